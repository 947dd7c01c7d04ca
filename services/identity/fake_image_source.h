#ifndef TTADS_SERVICES_IDENTITY_FAKE_IMAGE_SOURCE_H_
#define TTADS_SERVICES_IDENTITY_FAKE_IMAGE_SOURCE_H_

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "services/identity/image_source.h"

namespace ttads::identity {

// An in-memory image host for unit tests: serves the bytes or the error set
// for a URL (an unknown URL is INVALID_ARGUMENT "HTTP 404", as the fetcher
// reports a 4xx) and records every request with its deadline. Thread-safe.
class FakeImageSource : public ImageSource {
 public:
  struct Request {
    std::string url;
    absl::Time deadline;
  };

  void Serve(const std::string& url, std::string bytes);
  void Fail(const std::string& url, absl::Status status);
  std::vector<Request> requests();

  absl::StatusOr<std::string> Fetch(const std::string& url,
                                    absl::Time deadline) override;

 private:
  std::mutex mu_;
  std::map<std::string, absl::StatusOr<std::string>> answers_;
  std::vector<Request> requests_;
};

}  // namespace ttads::identity

#endif  // TTADS_SERVICES_IDENTITY_FAKE_IMAGE_SOURCE_H_
