#ifndef TTADS_SERVICES_ADS_AD_STATUS_UPDATER_H_
#define TTADS_SERVICES_ADS_AD_STATUS_UPDATER_H_

#include "absl/status/statusor.h"
#include "libs/idempotency/run_once.h"
#include "libs/server/call_context.h"
#include "services/ads/advertiser_tokens.h"
#include "services/ads/tiktok_ads_api.h"
#include "ttads/ads/v1/ads_service.pb.h"

namespace ttads::ads {

// Enables, disables or deletes ads (SetAdStatus); blocking.
//  - 1–1000 ad ids and an operation, else INVALID_ARGUMENT;
//  - duplicates are sent once;
//  - the ads are looked up first, 100 per /ad/get/: unknown and deleted ads
//    are reported in `failures` and never sent (a deleted ad cannot change);
//  - the rest go out 20 per /ad/status/update/ (TikTok's limit); a failed
//    batch puts its ads in `failures` and the others still go;
//  - FAILED_PRECONDITION (AD_DELETED) when every ad is deleted.
// A `request_id` is honoured through libs/idempotency ("ads.UpdateAdStatus"):
// the same request again within 24 h gets the first answer and sends
// nothing, another request under the key is ALREADY_EXISTS. Setting a
// status is idempotent at TikTok, so a call that takes over an earlier
// attempt (its owner died, or its outcome was unknown) applies again; with
// DELETE it counts the ads it finds deleted as updated (the earlier attempt
// may have deleted them), so the answer is the one the first call would
// have given.
class AdStatusUpdater {
 public:
  // `idempotency` null: request ids are ignored.
  AdStatusUpdater(TikTokAdsApi* tiktok, const AdvertiserTokens* tokens,
                  idempotency::IdempotencyStore* idempotency = nullptr)
      : tiktok_(tiktok), tokens_(tokens), idempotency_(idempotency) {}

  absl::StatusOr<v1::SetAdStatusResponse> Update(
      const server::CallContext& call, const v1::SetAdStatusRequest& req);

  static constexpr size_t kLookupBatch = 100;
  static constexpr size_t kStatusBatch = 20;

 private:
  // One application of `req` (validated).
  absl::StatusOr<v1::SetAdStatusResponse> Apply(
      const server::CallContext& call, const v1::SetAdStatusRequest& req,
      idempotency::Attempt& attempt);

  TikTokAdsApi* tiktok_;
  const AdvertiserTokens* tokens_;
  idempotency::IdempotencyStore* idempotency_;
};

}  // namespace ttads::ads

#endif  // TTADS_SERVICES_ADS_AD_STATUS_UPDATER_H_
