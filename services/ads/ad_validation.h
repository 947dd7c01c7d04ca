#ifndef TTADS_SERVICES_ADS_AD_VALIDATION_H_
#define TTADS_SERVICES_ADS_AD_VALIDATION_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "libs/status/status.h"
#include "ttads/ads/v1/ads_service.pb.h"

namespace ttads::ads {

// Where the creative of a new ad comes from (exactly one per request).
enum class CreativeSource {
  kVideoUrl,
  kVideoId,
  kImageUrls,
  kImageIds,
  kSparkPost
};

// What validation decided about a CreateAd request, before anything reaches
// TikTok.
struct ValidatedAd {
  CreativeSource source = CreativeSource::kVideoId;
  // The ad_format sent to TikTok: the explicit one, else SINGLE_VIDEO for
  // every source. SINGLE_IMAGE (exactly one image) and CAROUSEL_ADS (with
  // music_id) only when asked for.
  std::string ad_format;
  // Image sources rendered into a slideshow video (SINGLE_VIDEO).
  bool slideshow = false;
  // The corrected call to action; empty when none was given.
  std::string call_to_action;
  // The caller opted in to a CUSTOMIZED_USER identity (use_brand_identity,
  // identity_type CUSTOMIZED_USER, or an inline brand_identity).
  bool customized_user_opt_in = false;
  // Human-readable corrections ("call_to_action DOWNLOAD -> DOWNLOAD_NOW").
  std::vector<std::string> notes;
};

// Sent when a CreateAd request names no call to action: TikTok requires
// call_to_action or call_to_action_id on every ad (Create ads), and
// LEARN_MORE fits every objective. The answer's notes say it was used.
inline constexpr char kDefaultCallToAction[] = "LEARN_MORE";

// TikTok's wire value for a creative enum field (dark_post_status,
// deeplink_type, fallback_type, *_postbid_partner, vertical_video_strategy,
// item_duet/stitch_status). Accepts TikTok's own values and Adspirer's
// vocabulary (ENABLE/DISABLE -> ON/OFF, DEFERRED -> DEFERRED_DEEPLINK,
// WEB_LANDING -> WEBSITE, DV -> DOUBLE_VERIFY, LIVE_STREAMING ->
// LIVE_STREAM). nullopt for an unknown value; other fields pass through.
std::optional<std::string> WireEnum(absl::string_view field,
                                    absl::string_view value);
// "ON, OFF, ENABLE (= ON), ..." for messages.
std::string AcceptedEnumValues(absl::string_view field);

// The caller's words for the enum fields of an AdInput, by field name
// ("deeplink_type" -> "DEFERRED"; absent: not set): what validation checks,
// quotes in its violations and notes, and maps to TikTok's word (WireEnum).
// The core request's words are its values' short names, TikTok's own
// (CoreWords); a seed's are the strings it sent (compat_service.h), which
// may be Adspirer's synonyms or unknown.
using AdWords = std::map<std::string, std::string>;

// The enum fields AdWords covers, in AdInput order.
const std::vector<std::string>& AdEnumFields();

// The words of `req`'s enum fields: each set value's short name (TikTok's
// word); the number as text for a value its enum does not declare (refused
// by validation as an unknown value).
AdWords CoreWords(const v1::AdInput& req);

// Every call to action TikTok accepts here, in documentation order.
const std::vector<std::string>& KnownCallsToAction();

// Normalises a call to action: trims, upper-cases, turns spaces/hyphens into
// underscores, keeps known values and corrects known synonyms (DOWNLOAD ->
// DOWNLOAD_NOW, INSTALL -> INSTALL_NOW, BUY_NOW -> SHOP_NOW, ...).
// nullopt for an unknown value.
std::optional<std::string> NormalizeCallToAction(absl::string_view value);

// TikTok's ad_text length: characters, with CJK counting double.
int AdTextLength(absl::string_view utf8);

// Checks every field of `req` (docs/ads.md "Validation") and collects every
// violation. INVALID_ARGUMENT with one google.rpc.BadRequest field violation
// per invalid field; nothing has been sent anywhere when it fails.
// `http_media_hosts` lists "host:port" targets whose media URLs (video_url,
// image_urls, brand_identity.image_url) may be plain http:// — the fetcher's
// private allow-list (tests, internal media proxies); everything else must be
// https://.
// The enum fields are checked as `words` spell them (their typed values in
// `req` are not read).
absl::StatusOr<ValidatedAd> ValidateCreateAd(
    const v1::AdInput& req, const AdWords& words,
    const std::vector<std::string>& http_media_hosts = {});
// As above with CoreWords(req): the core request.
absl::StatusOr<ValidatedAd> ValidateCreateAd(
    const v1::AdInput& req,
    const std::vector<std::string>& http_media_hosts = {});

// The creative-field checks shared by CreateAd and UpdateAd (no source,
// required-field or identity checks), the enum fields as `words` spell them.
// Appends to `violations`.
void ValidateCreativeFields(const v1::AdInput& req, const AdWords& words,
                            std::vector<status::FieldViolation>* violations,
                            std::string* normalized_cta,
                            std::vector<std::string>* notes);
// As above with CoreWords(req) (UpdateAd).
void ValidateCreativeFields(const v1::AdInput& req,
                            std::vector<status::FieldViolation>* violations,
                            std::string* normalized_cta,
                            std::vector<std::string>* notes);

}  // namespace ttads::ads

#endif  // TTADS_SERVICES_ADS_AD_VALIDATION_H_
