#ifndef TTADS_SERVICES_ADS_RAW_CALL_HEADERS_H_
#define TTADS_SERVICES_ADS_RAW_CALL_HEADERS_H_

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace ttads::ads {

// The most headers, and the longest value, a raw call may carry.
inline constexpr size_t kMaxRawCallHeaders = 20;
inline constexpr size_t kMaxRawCallHeaderValue = 1024;

// The caller's headers of CallTikTokApi (Ibexa "Headers") as they are sent.
//
// Forwarded: `Accept-Language` and names starting "X-" (TikTok's reference
// documents no other request header but Access-Token and Content-Type,
// which ttads sets). Refused, each with a field violation on
// `headers["<name>"]` as the caller spelled it, before anything is sent:
//   - a name that is not an HTTP token (RFC 9110: letters, digits and
//     !#$%&'*+-.^_`|~), or a value with control bytes (CR, LF, NUL, ...)
//     or longer than kMaxRawCallHeaderValue;
//   - what ttads sets or what would change the request itself: Access-Token,
//     Authorization, Cookie, Host, Content-Length, Content-Type,
//     Transfer-Encoding, Expect, Accept, traceparent, tracestate;
//   - hop-by-hop headers: Connection, Keep-Alive, Proxy-*, TE, Trailer,
//     Upgrade;
//   - forwarding and method overrides: Forwarded, Via, X-Forwarded-*,
//     X-Real-IP, X-HTTP-Method-Override, X-HTTP-Method, X-Method-Override;
//   - two names equal but for case;
//   - any other name (not Accept-Language and not "X-...").
// More than kMaxRawCallHeaders: a violation on `headers`. The result keeps
// the caller's spelling, in name order.
absl::StatusOr<std::vector<std::pair<std::string, std::string>>>
SafeRawCallHeaders(const std::map<std::string, std::string>& headers);

}  // namespace ttads::ads

#endif  // TTADS_SERVICES_ADS_RAW_CALL_HEADERS_H_
