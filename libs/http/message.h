#ifndef TTADS_LIBS_HTTP_MESSAGE_H_
#define TTADS_LIBS_HTTP_MESSAGE_H_

// The values a handler of HttpServer (server.h) receives and returns: the
// request, the response, and their header lists. Plain data, no I/O.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "libs/http/query.h"

namespace ttads::http {

class BodyReader;  // responder.h

// Header list with case-insensitive lookup; keeps arrival order and
// duplicates.
class Headers {
 public:
  void Add(std::string name, std::string value);
  // First value of `name` (case-insensitive), or nullopt.
  std::optional<std::string> Get(std::string_view name) const;
  bool Has(std::string_view name) const { return Get(name).has_value(); }
  const std::vector<std::pair<std::string, std::string>>& entries() const {
    return entries_;
  }

 private:
  std::vector<std::pair<std::string, std::string>> entries_;
};

struct HttpRequest {
  std::string method;  // "GET", "POST", ... as sent.
  std::string target;  // Raw request target: path + "?" + raw query.
  std::string path;    // Percent-decoded path, without the query.
  QueryParams query;   // Decoded query parameters.
  Headers headers;
  std::string body;  // Empty when body_reader is set.
  // Set instead of `body` when Options::stream_body chose to stream it.
  std::shared_ptr<BodyReader> body_reader;
  std::string remote_address;  // "ip:port" of the peer.

  // First query value of `name`, or nullopt.
  std::optional<std::string> QueryParam(std::string_view name) const;
};

struct HttpResponse {
  int status = 200;
  Headers headers;  // Content-Length / Connection are set by the server.
  std::string body;

  static HttpResponse Json(int status, std::string body);
  static HttpResponse Text(int status, std::string body);
  // {"error": message, "code": code, "details": []}: the error shape of
  // the gateway (services/gateway/error_mapping.h), for the server's own
  // answers. Non-ASCII bytes of `message` become '?'.
  static HttpResponse JsonError(int status, std::string_view code,
                                std::string_view message);
};

}  // namespace ttads::http

#endif  // TTADS_LIBS_HTTP_MESSAGE_H_
