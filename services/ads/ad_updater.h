#ifndef TTADS_SERVICES_ADS_AD_UPDATER_H_
#define TTADS_SERVICES_ADS_AD_UPDATER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "google/protobuf/descriptor.h"
#include "libs/idempotency/run_once.h"
#include "libs/server/call_context.h"
#include "services/ads/ad_reader.h"
#include "services/ads/tiktok_ads_api.h"
#include "ttads/ads/v1/ads_service.pb.h"

namespace ttads::ads {

// /ad/update/'s two modes (Update ads, patch_update): whether UpdateAd can
// change `field` in patch mode (ad_name, ad_text, video_id, image_ids).
bool IsPatchable(const std::string& field);

// Why UpdateAd cannot change the Ad field `path` (AIP-134 mask path), or ""
// when it can: no such field of Ad, OUTPUT_ONLY, IMMUTABLE, card_type (not a
// v1.3 creative field) or another creation input. The changeable fields are
// exactly the Ad's fields without a field behaviour.
std::string WhyNotUpdatable(const std::string& path);

// Changes an existing ad (UpdateAd, AIP-134); blocking.
//  - `ad` is required. The fields changed are those `update_mask` names,
//    each one UpdateAd can change (else a violation of `update_mask`,
//    WhyNotUpdatable). Without a mask (or with an empty one), the fields set
//    in `ad`: OUTPUT_ONLY ones are ignored (AIP-203), IMMUTABLE ones must
//    equal the ad's as read (else a violation of `ad.<field>`, and nothing
//    is sent), any other that UpdateAd cannot change is a violation of
//    `ad.<field>`; at least one field must be left to change.
//  - The new values follow CreateAd's rules; ad_text and landing_page_url
//    cannot be cleared. Every violation found before the read is reported
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
  // What a valid request changes.
  struct Patch {
    // The Ad fields to change.
    std::vector<std::string> mask;
    // IMMUTABLE fields set in `ad` without a mask: must equal the ad's.
    std::vector<const google::protobuf::FieldDescriptor*> unchanged;
    // `ad` as the domain's AdInput.
    v1::AdInput values;
    std::string call_to_action;  // Normalised.
  };

  // One application of the validated request.
  absl::StatusOr<v1::Ad> Apply(const server::CallContext& call,
                               const v1::UpdateAdRequest& req,
                               const Patch& patch);

  TikTokAdsApi* tiktok_;
  AdReader* reader_;
  idempotency::IdempotencyStore* idempotency_;
};

}  // namespace ttads::ads

#endif  // TTADS_SERVICES_ADS_AD_UPDATER_H_
