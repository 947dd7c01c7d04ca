#ifndef TTADS_LIBS_TIKTOK_ENVELOPE_H_
#define TTADS_LIBS_TIKTOK_ENVELOPE_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"

namespace ttads::tiktok {

// TikTok Marketing API v1.3 response envelope:
//   {"code": int, "message": str, "request_id": str, "data": {...}}
// `code == 0` is success and `20001` is partial success; anything else is an
// error even when the HTTP status is 200.
struct Envelope {
  int code = 0;
  std::string message;
  std::string request_id;
  nlohmann::json data;  // null when the response had no "data"

  bool ok() const { return code == 0 || code == kPartialSuccess; }

  static constexpr int kPartialSuccess = 20001;
};

// Parses a response body into an Envelope without judging `code`.
// Returns INVALID_ARGUMENT when the body is not JSON, is not an object, or
// lacks an integer "code" (callers turn this into a transport-level error).
// "message" and "request_id" default to empty; "data" defaults to null.
absl::StatusOr<Envelope> ParseEnvelope(std::string_view body);

}  // namespace ttads::tiktok

#endif  // TTADS_LIBS_TIKTOK_ENVELOPE_H_
