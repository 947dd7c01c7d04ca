#ifndef TTADS_LIBS_TIKTOK_ERROR_CLASS_H_
#define TTADS_LIBS_TIKTOK_ERROR_CLASS_H_

#include <curl/curl.h>

#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "libs/tiktok/envelope.h"

namespace ttads::tiktok {

// Every error status produced by the TikTok client carries this payload
// (absl::Status::SetPayload) under kTikTokErrorInfoTypeUrl. The payload is a
// compact JSON object:
//   {"code": 40100, "http_status": 200, "message": "...", "request_id": "...",
//    "retryable": true, "ambiguous": false, "retry_delay_ms": 350,
//    "attempts": 2}
// Use GetTikTokErrorInfo() rather than parsing it by hand.
inline constexpr absl::string_view kTikTokErrorInfoTypeUrl =
    "type.ttads.dev/ttads.tiktok.ErrorInfo";

struct TikTokErrorInfo {
  // TikTok envelope code; 0 when the failure happened below the envelope
  // (HTTP status, transport, non-JSON body).
  int code = 0;
  // HTTP status of the response; 0 when no response arrived.
  int http_status = 0;
  // TikTok's message, or a description of the HTTP/transport failure.
  std::string message;
  // TikTok's request_id (support asks for it); empty without an envelope.
  std::string request_id;
  // The same call may succeed if sent again later.
  bool retryable = false;
  // The request may have been applied by TikTok (it was fully sent, then the
  // answer was lost: timeout, dropped connection, empty reply, 502/504,
  // garbled 200). Callers of non-idempotent calls must reconcile (look the
  // object up) instead of resending blindly.
  bool ambiguous = false;
  // Minimum wait before trying again, as TikTok's rules suggest (e.g. "after
  // the current second" for 40100). Zero when there is no suggestion.
  absl::Duration retry_delay = absl::ZeroDuration();
  // Attempts the client made (filled by the client; 0 elsewhere).
  int attempts = 0;
};

// Attaches `info` to `status` (no-op for an OK status).
void SetTikTokErrorInfo(absl::Status& status, const TikTokErrorInfo& info);

// Reads the payload back; nullopt when the status carries none.
std::optional<TikTokErrorInfo> GetTikTokErrorInfo(const absl::Status& status);

// Conveniences over GetTikTokErrorInfo().
bool IsRetryable(const absl::Status& status);
bool IsAmbiguous(const absl::Status& status);
// True for TikTok code 40105 (token invalid or revoked): callers mark the
// stored connection revoked.
bool IsTokenRevoked(const absl::Status& status);

// Builds a status with the payload attached.
absl::Status MakeTikTokError(absl::StatusCode code, absl::string_view message,
                             const TikTokErrorInfo& info);

// What a non-zero TikTok envelope code means for the caller.
struct CodeClass {
  absl::StatusCode status_code = absl::StatusCode::kUnknown;
  bool retryable = false;
  absl::Duration retry_delay = absl::ZeroDuration();
};

// The classification table (docs/tiktok-client.md). `now` is used for
// "retry after the current second" (40100/40016/40133): the delay runs to
// the next whole second plus a small margin.
CodeClass ClassifyCode(int code, absl::Time now);

// OK for code 0 and 20001 (partial success); otherwise the classified error
// with TikTok's code, message and request_id in the payload.
absl::Status StatusFromEnvelope(const Envelope& envelope, int http_status,
                                absl::Time now);

// The result of one completed HTTP exchange (a response arrived), before any
// retry decision: parses the envelope and applies, in order,
//  - a parseable envelope with a non-zero code: ClassifyCode (TikTok's code
//    wins over the HTTP status);
//  - HTTP 5xx: UNAVAILABLE, retryable; 502 and 504 are also ambiguous (a
//    proxy lost the origin's answer);
//  - HTTP 429: RESOURCE_EXHAUSTED, retryable after 1 s;
//  - HTTP 401/403/404/other 4xx: UNAUTHENTICATED / PERMISSION_DENIED /
//    NOT_FOUND / INTERNAL, not retryable (a 404 usually means a path without
//    its trailing slash);
//  - 2xx with a body that is not an envelope: UNAVAILABLE, retryable,
//    ambiguous (something in between answered for TikTok).
absl::StatusOr<Envelope> ResultFromResponse(int http_status,
                                            std::string_view body,
                                            absl::Time now);

// What the transport knew when a transfer failed without a usable response.
struct TransportFailure {
  CURLcode curl_code = CURLE_OK;
  std::string detail;  // curl's error buffer, if any
  // The whole request (headers and body) was handed to the connection, so
  // TikTok may have acted on it.
  bool request_sent = false;
  // The transfer stopped because the caller's deadline (not a shorter
  // per-attempt limit) ran out.
  bool deadline_expired = false;
};

// Classifies a transport failure:
//  - not sent (resolve/connect failure, timeout or reset before the request
//    was fully written): UNAVAILABLE, retryable, not ambiguous;
//  - sent (timeout while waiting, reset/EOF after sending, empty reply,
//    partial response): UNAVAILABLE, retryable, ambiguous;
//  - the caller's deadline ran out: DEADLINE_EXCEEDED, not retryable,
//    ambiguous if sent;
//  - client shutdown: CANCELLED; local file read errors: INTERNAL; TLS peer
//    verification failures: UNAVAILABLE, not retryable.
absl::Status StatusFromTransport(const TransportFailure& failure);

}  // namespace ttads::tiktok

#endif  // TTADS_LIBS_TIKTOK_ERROR_CLASS_H_
