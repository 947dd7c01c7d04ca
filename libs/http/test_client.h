#ifndef TTADS_LIBS_HTTP_TEST_CLIENT_H_
#define TTADS_LIBS_HTTP_TEST_CLIENT_H_

// A blocking libcurl client for tests on loopback. One TestClient keeps one
// curl handle, so consecutive requests reuse the connection when the server
// allows it (see Result::new_connections). Not thread-safe: use one client
// per thread.

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ttads::http {

class TestClient {
 public:
  struct Result {
    int curl_code = 0;       // CURLcode; 0 = transfer completed.
    std::string curl_error;  // Message for a non-zero curl_code.
    int status = 0;          // HTTP status (0 if none was received).
    std::multimap<std::string, std::string> headers;  // Names lower-cased.
    std::string body;
    long new_connections = 0;  // Connections opened for this request.
    std::vector<std::string> body_pieces;  // As received (for streaming).

    std::string Header(const std::string& lower_name) const;
  };

  // One multipart/form-data part. With `filename` set it is a file part.
  struct Part {
    std::string name;
    std::string value;
    std::optional<std::string> filename;
    std::string content_type;  // Optional.
  };

  TestClient();
  ~TestClient();
  TestClient(const TestClient&) = delete;
  TestClient& operator=(const TestClient&) = delete;

  // `headers` are "Name: value" lines. A body is sent for any method when
  // non-empty (or when method is POST/PUT/PATCH).
  Result Request(const std::string& method, const std::string& url,
                 const std::vector<std::string>& headers = {},
                 const std::string& body = "", long timeout_ms = 10000);
  Result Get(const std::string& url,
             const std::vector<std::string>& headers = {}) {
    return Request("GET", url, headers);
  }
  Result PostMultipart(const std::string& url, const std::vector<Part>& parts,
                       const std::vector<std::string>& headers = {},
                       long timeout_ms = 10000);

 private:
  void* curl_;  // CURL*
};

}  // namespace ttads::http

#endif  // TTADS_LIBS_HTTP_TEST_CLIENT_H_
