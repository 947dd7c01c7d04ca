#include "services/ads/raw_call.h"

#include "absl/strings/str_cat.h"
#include "libs/contracts/enum_names.h"
#include "libs/idempotency/request_digest.h"
#include "libs/status/status.h"
#include "libs/status/status_macros.h"
#include "libs/tiktok/error_class.h"
#include "services/ads/raw_call_headers.h"
#include "services/ads/raw_call_path.h"

namespace ttads::ads {
namespace {

// TikTok's HTTP 405 (the path takes another method) is the caller's choice
// of method, not a fault: INVALID_ARGUMENT on `method`.
absl::StatusOr<v1::CallTikTokApiResponse> MethodRefused(
    absl::StatusOr<v1::CallTikTokApiResponse> answer, const RawCall& raw) {
  if (answer.ok()) return answer;
  std::optional<tiktok::TikTokErrorInfo> info =
      tiktok::GetTikTokErrorInfo(answer.status());
  if (!info.has_value() || info->http_status != 405) return answer;
  return status::InvalidArgument(
      absl::StrCat("TikTok does not accept ", raw.method, " on ", raw.path),
      {{"method",
        absl::StrCat("TikTok answered HTTP 405 to ", raw.method, " ", raw.path,
                     " (its Marketing API uses GET and POST)")}});
}

}  // namespace

absl::StatusOr<v1::CallTikTokApiResponse> RawCaller::Call(
    const server::CallContext& call, const v1::CallTikTokApiRequest& req) {
  RawCall raw;
  TTADS_ASSIGN_OR_RETURN(raw.path, CanonicalRawCallPath(req.path()));
  // The enum's short names are the HTTP methods; unset is GET. A number
  // the enum does not declare has no name.
  raw.method = req.method() == v1::HTTP_METHOD_UNSPECIFIED
                   ? "GET"
                   : contracts::ShortName(req.method());
  if (raw.method.empty()) {
    return status::InvalidArgument(
        "invalid API call",
        {{"method", "one of GET, POST, PUT, PATCH, DELETE"}});
  }
  TTADS_ASSIGN_OR_RETURN(raw.headers,
                         SafeRawCallHeaders(std::map<std::string, std::string>(
                             req.headers().begin(), req.headers().end())));
  TTADS_RETURN_IF_ERROR(CheckRawCallAllowed(raw.path, allowlist_));
  raw.query.insert(req.query().begin(), req.query().end());
  if (raw.method == "GET") {
    TTADS_ASSIGN_OR_RETURN(AdvertiserAccess access,
                           tokens_->For(call, req.advertiser_id()));
    return MethodRefused(tiktok_->Raw(access, raw, call.deadline), raw);
  }
  raw.body = req.body();
  v1::CallTikTokApiResponse out;
  idempotency::Operation op;
  op.apply = [&](idempotency::Attempt& attempt,
                 google::protobuf::Message* response) -> absl::Status {
    if (!attempt.earlier_intent().empty()) {
      return status::WithErrorInfo(
          status::PreconditionFailed(
              absl::StrCat("an earlier call with request_id \"",
                           req.request_id(), "\" sent ", raw.method, " ",
                           raw.path,
                           " and its outcome is unknown; check TikTok and "
                           "send a new request_id to call again"),
              "RAW_CALL", raw.path, "outcome of the earlier POST unknown"),
          "RAW_CALL_OUTCOME_UNKNOWN");
    }
    TTADS_ASSIGN_OR_RETURN(AdvertiserAccess access,
                           tokens_->For(call, req.advertiser_id()));
    TTADS_RETURN_IF_ERROR(attempt.SaveIntent(raw.path));
    absl::StatusOr<v1::CallTikTokApiResponse> answer =
        MethodRefused(tiktok_->Raw(access, raw, call.deadline), raw);
    if (!answer.ok()) {
      // Refused before TikTok applied anything: the key is free again.
      if (!tiktok::IsAmbiguous(answer.status())) attempt.WroteNothing();
      return answer.status();
    }
    *static_cast<v1::CallTikTokApiResponse*>(response) = *std::move(answer);
    return absl::OkStatus();
  };
  TTADS_RETURN_IF_ERROR(idempotency::RunOnce(
      idempotency_,
      {call.caller.team_id, "ads.CallTikTokApi", req.request_id()},
      idempotency::RequestDigest(req), call.deadline, &out, op));
  return out;
}

}  // namespace ttads::ads
