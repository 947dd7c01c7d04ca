#include "libs/tiktok/error_class.h"

#include <cstdint>
#include <utility>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"

namespace ttads::tiktok {
namespace {

using absl::StatusCode;

// Margin past the second boundary so a retry is not counted in the second
// that throttled it (clocks of client and TikTok differ a little).
constexpr absl::Duration kSecondBoundaryMargin = absl::Milliseconds(50);

absl::Duration UntilNextSecond(absl::Time now) {
  int64_t ms = absl::ToUnixMillis(now);
  int64_t next = (ms / 1000 + 1) * 1000;
  return absl::Milliseconds(next - ms) + kSecondBoundaryMargin;
}

CodeClass Permanent(StatusCode code) { return {code, false, {}}; }
CodeClass Retry(StatusCode code, absl::Duration delay) {
  return {code, true, delay};
}

}  // namespace

void SetTikTokErrorInfo(absl::Status& status, const TikTokErrorInfo& info) {
  if (status.ok()) return;
  nlohmann::json json = {
      {"code", info.code},
      {"http_status", info.http_status},
      {"message", info.message},
      {"request_id", info.request_id},
      {"retryable", info.retryable},
      {"ambiguous", info.ambiguous},
      {"retry_delay_ms", absl::ToInt64Milliseconds(info.retry_delay)},
      {"attempts", info.attempts},
  };
  status.SetPayload(
      kTikTokErrorInfoTypeUrl,
      absl::Cord(
          json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)));
}

std::optional<TikTokErrorInfo> GetTikTokErrorInfo(const absl::Status& status) {
  absl::optional<absl::Cord> payload =
      status.GetPayload(kTikTokErrorInfoTypeUrl);
  if (!payload.has_value()) return std::nullopt;
  nlohmann::json json = nlohmann::json::parse(std::string(*payload), nullptr,
                                              /*allow_exceptions=*/false);
  if (!json.is_object()) return std::nullopt;
  TikTokErrorInfo info;
  info.code = json.value("code", 0);
  info.http_status = json.value("http_status", 0);
  info.message = json.value("message", "");
  info.request_id = json.value("request_id", "");
  info.retryable = json.value("retryable", false);
  info.ambiguous = json.value("ambiguous", false);
  info.retry_delay = absl::Milliseconds(json.value("retry_delay_ms", 0));
  info.attempts = json.value("attempts", 0);
  return info;
}

bool IsRetryable(const absl::Status& status) {
  auto info = GetTikTokErrorInfo(status);
  return info.has_value() && info->retryable;
}

bool IsAmbiguous(const absl::Status& status) {
  auto info = GetTikTokErrorInfo(status);
  return info.has_value() && info->ambiguous;
}

bool IsTokenRevoked(const absl::Status& status) {
  auto info = GetTikTokErrorInfo(status);
  return info.has_value() && info->code == 40105;
}

absl::Status MakeTikTokError(absl::StatusCode code, absl::string_view message,
                             const TikTokErrorInfo& info) {
  absl::Status status(code, message);
  SetTikTokErrorInfo(status, info);
  return status;
}

CodeClass ClassifyCode(int code, absl::Time now) {
  switch (code) {
    // Throttling.
    case 40100:  // app QPS/QPM
    case 40016:
    case 40133:  // advertiser QPS
      return Retry(StatusCode::kResourceExhausted, UntilNextSecond(now));
    case 40132:  // frequency limit on one field value: "later"
      return Retry(StatusCode::kResourceExhausted, absl::Seconds(5));
    case 61000:  // blocklisted for too many requests: slowly
      return Retry(StatusCode::kResourceExhausted, absl::Seconds(60));
    // Not ready yet / transient on TikTok's side.
    case 40201:  // task not ready
    case 40901:  // video still transcoding
      return Retry(StatusCode::kUnavailable, absl::Seconds(1));
    case 40202:  // write conflict
      return Retry(StatusCode::kAborted, absl::Milliseconds(200));
    case 40902:  // URL or image fetch failed
    case 40903:
    case 40913:
      return Retry(StatusCode::kUnavailable, absl::Seconds(1));
    case 60001:  // maintenance
      return Retry(StatusCode::kUnavailable, absl::Seconds(30));
    // Credentials. UNAUTHENTICATED for all token problems; callers tell a
    // revoked token (40105) from an expired/empty one by the code.
    case 40102:
    case 40104:
    case 40105:
      return Permanent(StatusCode::kUnauthenticated);
    case 40101:  // invalid app_id/secret: our configuration
    case 40113:  // app blocked
      return Permanent(StatusCode::kFailedPrecondition);
    case 40001:
    case 40106:
    case 40130:  // scope not authorized
    case 40118:  // allowlist-only feature
      return Permanent(StatusCode::kPermissionDenied);
    case 40007:
    case 40300:
    case 40301:
      return Permanent(StatusCode::kNotFound);
    case 40000:
    case 40002:
    case 40011:
    case 40061:
    case 40062:
    case 40900:  // MD5 signature mismatch
    case 40905:
    case 40906:
    case 40907:
    case 40908:
    case 40909:
      return Permanent(StatusCode::kInvalidArgument);
    case 40110:  // auth_code used, expired or cancelled
      return Permanent(StatusCode::kFailedPrecondition);
    case 40050:  // TikTok's own duplicate rejection
    case 40911:  // duplicate material name
      return Permanent(StatusCode::kAlreadyExists);
    case 40502:  // ad count limit reached: a quota, not throttling
      return Permanent(StatusCode::kResourceExhausted);
    case 40008:
    case 40009:
    case 40014:
      return Permanent(StatusCode::kUnimplemented);
    default:
      break;
  }
  if (code >= 50000 && code <= 59999) {  // 50000/50002, 51xxx, 52xxx, ...
    return Retry(StatusCode::kUnavailable, absl::Milliseconds(500));
  }
  if (code >= 40000 && code <= 49999) {
    return Permanent(StatusCode::kFailedPrecondition);
  }
  return Permanent(StatusCode::kUnknown);
}

absl::Status StatusFromEnvelope(const Envelope& envelope, int http_status,
                                absl::Time now) {
  if (envelope.ok()) return absl::OkStatus();
  CodeClass cls = ClassifyCode(envelope.code, now);
  TikTokErrorInfo info;
  info.code = envelope.code;
  info.http_status = http_status;
  info.message = envelope.message;
  info.request_id = envelope.request_id;
  info.retryable = cls.retryable;
  info.retry_delay = cls.retry_delay;
  return MakeTikTokError(
      cls.status_code,
      absl::StrCat("TikTok error ", envelope.code, ": ", envelope.message,
                   " (request_id ", envelope.request_id, ")"),
      info);
}

absl::StatusOr<Envelope> ResultFromResponse(int http_status,
                                            std::string_view body,
                                            absl::Time now) {
  absl::StatusOr<Envelope> envelope = ParseEnvelope(body);
  if (envelope.ok() && !envelope->ok()) {
    return StatusFromEnvelope(*envelope, http_status, now);
  }
  TikTokErrorInfo info;
  info.http_status = http_status;
  if (envelope.ok()) info.request_id = envelope->request_id;
  if (http_status >= 500) {
    info.retryable = true;
    info.ambiguous = http_status == 502 || http_status == 504;
    info.retry_delay = absl::Milliseconds(500);
    info.message = absl::StrCat("HTTP ", http_status);
    return MakeTikTokError(StatusCode::kUnavailable,
                           absl::StrCat("TikTok answered HTTP ", http_status),
                           info);
  }
  if (http_status == 429) {
    info.retryable = true;
    info.retry_delay = absl::Seconds(1);
    info.message = "HTTP 429";
    return MakeTikTokError(StatusCode::kResourceExhausted,
                           "TikTok answered HTTP 429", info);
  }
  if (http_status >= 400) {
    StatusCode code = StatusCode::kInternal;
    if (http_status == 401) code = StatusCode::kUnauthenticated;
    if (http_status == 403) code = StatusCode::kPermissionDenied;
    if (http_status == 404) code = StatusCode::kNotFound;
    info.message = absl::StrCat("HTTP ", http_status);
    return MakeTikTokError(
        code,
        absl::StrCat("TikTok answered HTTP ", http_status,
                     http_status == 404
                         ? " (unknown endpoint; paths end with '/')"
                         : ""),
        info);
  }
  if (!envelope.ok()) {
    info.retryable = true;
    info.ambiguous = true;
    info.retry_delay = absl::Milliseconds(500);
    info.message = std::string(envelope.status().message());
    return MakeTikTokError(StatusCode::kUnavailable,
                           absl::StrCat("TikTok answered HTTP ", http_status,
                                        " without a valid envelope: ",
                                        envelope.status().message()),
                           info);
  }
  return envelope;
}

absl::Status StatusFromTransport(const TransportFailure& failure) {
  TikTokErrorInfo info;
  info.message =
      absl::StrCat(curl_easy_strerror(failure.curl_code),
                   failure.detail.empty() ? "" : ": ", failure.detail);
  info.ambiguous = failure.request_sent;
  std::string what =
      failure.request_sent ? "after the request was sent" : "before sending";
  switch (failure.curl_code) {
    case CURLE_ABORTED_BY_CALLBACK:
      return MakeTikTokError(
          StatusCode::kCancelled,
          absl::StrCat("TikTok call cancelled (client shut down) ", what),
          info);
    case CURLE_READ_ERROR:
      info.ambiguous = false;  // The body was not complete: nothing applied.
      return MakeTikTokError(
          StatusCode::kInternal,
          absl::StrCat("reading the upload body failed: ", info.message), info);
    case CURLE_PEER_FAILED_VERIFICATION:
      info.ambiguous = false;
      return MakeTikTokError(
          StatusCode::kUnavailable,
          absl::StrCat("TLS verification of TikTok failed: ", info.message),
          info);
    default:
      break;
  }
  if (failure.deadline_expired) {
    return MakeTikTokError(
        StatusCode::kDeadlineExceeded,
        absl::StrCat("deadline exceeded calling TikTok ", what,
                     failure.request_sent ? " (outcome unknown)" : "", ": ",
                     info.message),
        info);
  }
  info.retryable = true;
  info.retry_delay = absl::ZeroDuration();
  return MakeTikTokError(
      StatusCode::kUnavailable,
      absl::StrCat("TikTok transport failure ", what,
                   failure.request_sent ? " (outcome unknown)" : "", ": ",
                   info.message),
      info);
}

}  // namespace ttads::tiktok
