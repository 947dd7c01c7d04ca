#ifndef TTADS_SERVICES_ADS_INTERNAL_AD_WIRE_H_
#define TTADS_SERVICES_ADS_INTERNAL_AD_WIRE_H_

#include <optional>
#include <string>
#include <vector>

#include "nlohmann/json.hpp"
#include "services/ads/tiktok_ads_api.h"
#include "ttads/ads/v1/ads_service.pb.h"

// TikTok's JSON spelling of ads (Get ads, Create ads, Update ads), for the
// TikTokAdsApi adapter only.
namespace ttads::ads::internal {

// A string or integer member as text; "" when absent or of another type.
std::string JsonText(const nlohmann::json& j, const char* key);

// Converts one /ad/get/ item to the API shape (unknown fields kept in
// `fields`).
v1::Ad AdFromJson(const nlohmann::json& item);

// The creative sent to /ad/create/ (docs/ads.md "What goes to TikTok").
nlohmann::json CreativeJson(const AdCreative& creative);

// `value` without what TikTok reads as unset: null, "", and objects and
// lists left empty once their own unset members are dropped (recursively);
// nullopt when nothing is left. Numbers and booleans are kept as they are.
std::optional<nlohmann::json> WithoutUnset(const nlohmann::json& value);

// The full-update creative for an ad as /ad/get/ returned it: the creative
// fields ttads may set, without what is unset (WithoutUnset).
nlohmann::json FullCreative(const nlohmann::json& item);

// The wire values of the `mask` fields of `ad` (the UpdateAd request's ad as
// JSON with proto field names, enum values by their short names): TikTok's
// enum spelling, numbers for tracking_pixel_id/page_id, null for a cleared
// field (an enum's `…_UNSPECIFIED` too). `normalized_cta` is the corrected
// call to action.
nlohmann::json UpdateChanges(const std::vector<std::string>& mask,
                             const nlohmann::json& ad,
                             const std::string& normalized_cta);

// The creative /ad/update/ receives for `update` (patch: the ad id and the
// changes; full: FullCreative of the current ad with the changes applied and
// LEARN_MORE when no call to action is left).
nlohmann::json UpdateCreative(const AdUpdate& update);

}  // namespace ttads::ads::internal

#endif  // TTADS_SERVICES_ADS_INTERNAL_AD_WIRE_H_
