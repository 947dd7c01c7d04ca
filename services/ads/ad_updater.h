#ifndef TTADS_SERVICES_ADS_AD_UPDATER_H_
#define TTADS_SERVICES_ADS_AD_UPDATER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/idempotency/run_once.h"
#include "libs/server/call_context.h"
#include "services/ads/ad_reader.h"
#include "services/ads/tiktok_ads_api.h"
#include "ttads/ads/v1/ads_service.pb.h"

namespace ttads::ads {

// /ad/update/'s two modes (Update ads, patch_update): whether UpdateAd can
// change `field` in patch mode (ad_name, ad_text, video_id, image_ids).
bool IsPatchable(const std::string& field);

// Changes an existing ad (UpdateAd); blocking.
//  - The mask names fields UpdateAd may change (card_type is refused: not a
//    v1.3 creative field); the new values follow CreateAd's rules; ad_text
//    and landing_page_url cannot be cleared. Every violation is reported
//    together and nothing is sent then.
//  - The ad is read first (NOT_FOUND when the advertiser has none).
//  - Patch mode (only the changes) when every masked field is patchable;
//    otherwise a read-modify-write full update: the ad as read, with the
//    changes, replaces the creative.
//  - Returns the ad as read back after the update.
// A `request_id` is honoured through libs/idempotency ("ads.UpdateAd"): the
// same request again within 24 h gets the first answer and sends nothing,
// another request under the key is ALREADY_EXISTS. Applying the same
// changes twice leaves the ad as once (the patch sets the same values, the
// full update sends the same creative built on the ad as read), so a call
// that takes over an earlier attempt applies again.
class AdUpdater {
 public:
  // `idempotency` null: request ids are ignored.
  AdUpdater(TikTokAdsApi* tiktok, AdReader* reader,
            idempotency::IdempotencyStore* idempotency = nullptr)
      : tiktok_(tiktok), reader_(reader), idempotency_(idempotency) {}

  absl::StatusOr<v1::Ad> Update(const server::CallContext& call,
                                const v1::UpdateAdRequest& req);

 private:
  // One application of the validated request.
  absl::StatusOr<v1::Ad> Apply(const server::CallContext& call,
                               const v1::UpdateAdRequest& req,
                               const std::vector<std::string>& mask,
                               const std::string& cta);

  TikTokAdsApi* tiktok_;
  AdReader* reader_;
  idempotency::IdempotencyStore* idempotency_;
};

}  // namespace ttads::ads

#endif  // TTADS_SERVICES_ADS_AD_UPDATER_H_
