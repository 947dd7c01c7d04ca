#ifndef TTADS_LIBS_TIKTOK_OPEN_OPEN_HTTP_H_
#define TTADS_LIBS_TIKTOK_OPEN_OPEN_HTTP_H_

// One blocking HTTP exchange with TikTok's user platform
// (open.tiktokapis.com, www.tiktok.com/oembed), on libcurl. The Marketing
// API client (libs/tiktok) speaks the v1.3 envelope only; these endpoints
// answer in other shapes (OAuth v2 errors, the v2 {data, error} envelope,
// oEmbed), so their callers read status and body themselves.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace ttads::tiktok_open {

struct HttpRequestSpec {
  std::string method = "GET";  // GET or POST
  std::string url;
  std::vector<std::string> headers;  // "Name: value"
  std::string body;
  int64_t max_response_bytes = 4 << 20;
};

struct HttpAnswer {
  int status = 0;
  std::string body;
};

// Sends `request` and waits for the whole answer, at most until `deadline`
// (and 30 s). Any HTTP status is an answer. Errors: DEADLINE_EXCEEDED when
// the deadline passed before or during the exchange, UNAVAILABLE for a
// transport failure (connect, reset, TLS) or an answer over
// max_response_bytes. Redirects are not followed.
absl::StatusOr<HttpAnswer> Exchange(const HttpRequestSpec& request,
                                    absl::Time deadline);

// "a=1&b=x%20y" from key/value pairs (values percent-encoded).
std::string FormEncode(
    const std::vector<std::pair<std::string, std::string>>& fields);

// `base` with exactly one '/' before `path` ("https://h/" + "v2/x/").
std::string JoinUrl(const std::string& base, const std::string& path);

}  // namespace ttads::tiktok_open

#endif  // TTADS_LIBS_TIKTOK_OPEN_OPEN_HTTP_H_
