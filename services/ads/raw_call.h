#ifndef TTADS_SERVICES_ADS_RAW_CALL_H_
#define TTADS_SERVICES_ADS_RAW_CALL_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/idempotency/run_once.h"
#include "libs/server/call_context.h"
#include "services/ads/advertiser_tokens.h"
#include "services/ads/tiktok_ads_api.h"
#include "ttads/ads/v1/ads_service.pb.h"

namespace ttads::ads {

// The guarded raw call (CallTikTokApi, Ibexa's "Make an API Call");
// blocking. The path is canonicalised first (raw_call_path.h) and the
// caller's headers vetted (raw_call_headers.h): INVALID_ARGUMENT for a path
// that is not one plain TikTok path under open_api, a refused header, or a
// method other than GET/POST/PUT/PATCH/DELETE (empty: GET);
// PERMISSION_DENIED outside the allow-list. Nothing is sent then, and no
// token is looked up. TikTok answering HTTP 405 (the endpoint takes another
// method) is INVALID_ARGUMENT on `method`.
//
// GET reads; every other method may mutate. Their `request_id` is
// honoured through libs/idempotency ("ads.CallTikTokApi"): TikTok's answer
// (its envelope, whatever its code) is replayed for 24 h, another request
// under the key is ALREADY_EXISTS. What an arbitrary call created cannot be
// looked up in general, so a call that takes over an attempt that had sent
// its request (its owner died, or TikTok's answer was lost) resends
// nothing: FAILED_PRECONDITION, reason RAW_CALL_OUTCOME_UNKNOWN (replayed
// too) — the caller checks TikTok and sends a new request id. A GET is sent
// every time.
class RawCaller {
 public:
  // `idempotency` null: request ids are ignored.
  RawCaller(TikTokAdsApi* tiktok, const AdvertiserTokens* tokens,
            std::vector<std::string> allowlist,
            idempotency::IdempotencyStore* idempotency = nullptr)
      : tiktok_(tiktok),
        tokens_(tokens),
        allowlist_(std::move(allowlist)),
        idempotency_(idempotency) {}

  absl::StatusOr<v1::CallTikTokApiResponse> Call(
      const server::CallContext& call, const v1::CallTikTokApiRequest& req);

 private:
  TikTokAdsApi* tiktok_;
  const AdvertiserTokens* tokens_;
  std::vector<std::string> allowlist_;
  idempotency::IdempotencyStore* idempotency_;
};

}  // namespace ttads::ads

#endif  // TTADS_SERVICES_ADS_RAW_CALL_H_
