#include "services/ads/raw_call.h"

#include "libs/status/status.h"
#include "libs/status/status_macros.h"
#include "services/ads/raw_call_path.h"

namespace ttads::ads {

absl::StatusOr<v1::CallTikTokApiResponse> RawCaller::Call(
    const server::CallContext& call, const v1::CallTikTokApiRequest& req) {
  RawCall raw;
  TTADS_ASSIGN_OR_RETURN(raw.path, CanonicalRawCallPath(req.path()));
  raw.method = req.method().empty() ? "GET" : req.method();
  if (raw.method != "GET" && raw.method != "POST") {
    return status::InvalidArgument(
        "invalid API call",
        {{"method",
          "only GET and POST are supported (TikTok uses no others)"}});
  }
  TTADS_RETURN_IF_ERROR(CheckRawCallAllowed(raw.path, allowlist_));
  TTADS_ASSIGN_OR_RETURN(AdvertiserAccess access,
                         tokens_->For(call, req.advertiser_id()));
  raw.query.insert(req.query().begin(), req.query().end());
  if (raw.method == "POST") raw.body = req.body();
  return tiktok_->Raw(access, raw, call.deadline);
}

}  // namespace ttads::ads
