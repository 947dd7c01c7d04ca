#ifndef TTADS_SERVICES_ADS_AD_STATUS_UPDATER_H_
#define TTADS_SERVICES_ADS_AD_STATUS_UPDATER_H_

#include "absl/status/statusor.h"
#include "libs/server/call_context.h"
#include "services/ads/advertiser_tokens.h"
#include "services/ads/tiktok_ads_api.h"
#include "ttads/ads/v1/ads_service.pb.h"

namespace ttads::ads {

// Enables, disables or deletes ads (UpdateAdStatus); blocking.
//  - 1–1000 ad ids and an operation, else INVALID_ARGUMENT;
//  - duplicates are sent once;
//  - the ads are looked up first, 100 per /ad/get/: unknown and deleted ads
//    are reported in `failures` and never sent (a deleted ad cannot change);
//  - the rest go out 20 per /ad/status/update/ (TikTok's limit); a failed
//    batch puts its ads in `failures` and the others still go;
//  - FAILED_PRECONDITION (AD_DELETED) when every ad is deleted.
class AdStatusUpdater {
 public:
  AdStatusUpdater(TikTokAdsApi* tiktok, const AdvertiserTokens* tokens)
      : tiktok_(tiktok), tokens_(tokens) {}

  absl::StatusOr<v1::UpdateAdStatusResponse> Update(
      const server::CallContext& call, const v1::UpdateAdStatusRequest& req);

  static constexpr size_t kLookupBatch = 100;
  static constexpr size_t kStatusBatch = 20;

 private:
  TikTokAdsApi* tiktok_;
  const AdvertiserTokens* tokens_;
};

}  // namespace ttads::ads

#endif  // TTADS_SERVICES_ADS_AD_STATUS_UPDATER_H_
