#include "services/ads/internal/ad_wire.h"

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/time/time.h"
#include "google/protobuf/util/json_util.h"
#include "libs/contracts/enum_names.h"
#include "services/ads/ad_validation.h"

namespace ttads::ads::internal {
namespace {

using nlohmann::json;

void SetTime(const std::string& text, google::protobuf::Timestamp* ts) {
  absl::Time t;
  if (absl::ParseTime("%Y-%m-%d %H:%M:%S", text, absl::UTCTimeZone(), &t,
                      nullptr)) {
    ts->set_seconds(absl::ToUnixSeconds(t));
  }
}

google::protobuf::Struct ToStruct(const json& j) {
  google::protobuf::Struct s;
  (void)google::protobuf::util::JsonStringToMessage(j.dump(), &s);
  return s;
}

void SetIf(json& c, const char* key, const std::string& value) {
  if (!value.empty()) c[key] = value;
}

// An enum field in TikTok's spelling: the value's short name; not sent when
// unset (validation refused numbers the enum does not declare).
template <typename E>
void SetWire(json& c, const char* key, E value) {
  const std::string word = contracts::ShortName(value);
  if (static_cast<int>(value) == 0 || word.empty()) return;
  c[key] = word;
}

// Fields the reference types as number (tracking_pixel_id, page_id) go out
// as JSON numbers; validation checked they are decimal ids.
void SetNumber(json& c, const char* key, const std::string& value) {
  int64_t n = 0;
  if (!value.empty() && absl::SimpleAtoi(value, &n)) c[key] = n;
}

// The creative fields /ad/update/ takes in a full update that ttads may have
// set (Update ads, creatives[]); read back from /ad/get/ and sent again.
const std::vector<std::string>& FullUpdateFields() {
  static const auto* v =
      new std::vector<std::string>{"ad_name",
                                   "ad_format",
                                   "ad_text",
                                   "ad_texts",
                                   "identity_id",
                                   "identity_type",
                                   "identity_authorized_bc_id",
                                   "video_id",
                                   "image_ids",
                                   "music_id",
                                   "tiktok_item_id",
                                   "call_to_action",
                                   "call_to_action_id",
                                   "card_id",
                                   "landing_page_url",
                                   "display_name",
                                   "deeplink",
                                   "deeplink_type",
                                   "fallback_type",
                                   "click_tracking_url",
                                   "impression_tracking_url",
                                   "video_view_tracking_url",
                                   "tracking_pixel_id",
                                   "tracking_app_id",
                                   "page_id",
                                   "disclaimer_type",
                                   "disclaimer_text",
                                   "disclaimer_clickable_texts",
                                   "vertical_video_strategy",
                                   "item_duet_status",
                                   "item_stitch_status",
                                   "dark_post_status",
                                   "promotional_music_disabled",
                                   "creative_authorized",
                                   "brand_safety_postbid_partner",
                                   "brand_safety_vast_url",
                                   "viewability_postbid_partner",
                                   "viewability_vast_url",
                                   "app_name",
                                   "avatar_icon_web_uri",
                                   "playable_url",
                                   "aigc_disclosure_type"};
  return *v;
}

}  // namespace

std::string JsonText(const json& j, const char* key) {
  if (!j.is_object() || !j.contains(key)) return "";
  const auto& v = j[key];
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
  return "";
}

v1::Ad AdFromJson(const json& item) {
  v1::Ad ad;
  json rest = item;
  ad.set_ad_id(JsonText(item, "ad_id"));
  ad.set_advertiser_id(JsonText(item, "advertiser_id"));
  ad.set_campaign_id(JsonText(item, "campaign_id"));
  ad.set_adgroup_id(JsonText(item, "adgroup_id"));
  ad.set_ad_name(JsonText(item, "ad_name"));
  ad.set_ad_text(JsonText(item, "ad_text"));
  // TikTok's word by the enum's short name; a word the enum lacks (TikTok
  // added a value) stays UNSPECIFIED and is kept in `fields`.
  const std::string format_word = JsonText(item, "ad_format");
  v1::AdFormat format;
  if (format_word.empty() || contracts::ParseAnyName(format_word, &format)) {
    if (!format_word.empty()) ad.set_ad_format(format);
    rest.erase("ad_format");
  }
  const std::string operation_word = JsonText(item, "operation_status");
  v1::AdOperationStatus operation;
  if (operation_word.empty() ||
      contracts::ParseAnyName(operation_word, &operation)) {
    if (!operation_word.empty()) ad.set_operation_status(operation);
    rest.erase("operation_status");
  }
  ad.set_secondary_status(JsonText(item, "secondary_status"));
  ad.set_identity_id(JsonText(item, "identity_id"));
  common::v1::IdentityType type;
  if (contracts::ParseAnyName(JsonText(item, "identity_type"), &type)) {
    ad.set_identity_type(type);
  }
  ad.set_call_to_action(JsonText(item, "call_to_action"));
  ad.set_landing_page_url(JsonText(item, "landing_page_url"));
  ad.set_video_id(JsonText(item, "video_id"));
  if (item.contains("image_ids") && item["image_ids"].is_array()) {
    for (const auto& id : item["image_ids"]) {
      if (id.is_string()) ad.add_image_ids(id.get<std::string>());
    }
  }
  SetTime(JsonText(item, "create_time"), ad.mutable_create_time());
  SetTime(JsonText(item, "modify_time"), ad.mutable_modify_time());
  for (const char* k :
       {"ad_id", "advertiser_id", "campaign_id", "adgroup_id", "ad_name",
        "ad_text", "secondary_status", "identity_id", "identity_type",
        "call_to_action", "landing_page_url", "video_id", "image_ids",
        "create_time", "modify_time"}) {
    rest.erase(k);
  }
  *ad.mutable_fields() = ToStruct(rest);
  return ad;
}

json CreativeJson(const AdCreative& creative) {
  const v1::AdInput& r = creative.request;
  const common::v1::Identity& identity = creative.identity;
  json c = json::object();
  c["ad_name"] = creative.ad_name;
  c["ad_format"] = creative.ad_format;
  c["ad_text"] = r.ad_text();
  c["landing_page_url"] = r.landing_page_url();
  c["identity_id"] = identity.identity_id();
  c["identity_type"] = contracts::ShortName(identity.identity_type());
  SetIf(c, "identity_authorized_bc_id", identity.identity_authorized_bc_id());
  SetIf(c, "call_to_action", creative.call_to_action);
  SetIf(c, "display_name", r.display_name());
  SetIf(c, "video_id", creative.video_id);
  SetIf(c, "tiktok_item_id", r.tiktok_item_id());
  if (!creative.image_ids.empty()) c["image_ids"] = creative.image_ids;
  if (creative.ad_format == "CAROUSEL_ADS") SetIf(c, "music_id", r.music_id());
  SetIf(c, "card_id", r.card_id());
  SetIf(c, "click_tracking_url", r.click_tracking_url());
  SetIf(c, "impression_tracking_url", r.impression_tracking_url());
  SetIf(c, "video_view_tracking_url", r.video_view_tracking_url());
  SetNumber(c, "tracking_pixel_id", r.tracking_pixel_id());
  SetIf(c, "deeplink", r.deeplink());
  SetWire(c, "deeplink_type", r.deeplink_type());
  SetWire(c, "fallback_type", r.fallback_type());
  if (!r.disclaimer_text().empty() || r.disclaimer_clickable_texts_size() > 0) {
    c["disclaimer_type"] =
        r.disclaimer_type() == v1::DISCLAIMER_TYPE_UNSPECIFIED
            ? (r.disclaimer_clickable_texts_size() > 0 ? "TEXT_LINK"
                                                       : "TEXT_ONLY")
            : contracts::ShortName(r.disclaimer_type());
    if (!r.disclaimer_text().empty()) {
      c["disclaimer_text"] = {{"text", r.disclaimer_text()}};
    }
    json texts = json::array();
    for (const auto& t : r.disclaimer_clickable_texts()) {
      texts.push_back({{"text", t.text()}, {"url", t.url()}});
    }
    if (!texts.empty()) c["disclaimer_clickable_texts"] = texts;
  }
  SetWire(c, "vertical_video_strategy", r.vertical_video_strategy());
  SetWire(c, "item_duet_status", r.item_duet_status());
  SetWire(c, "item_stitch_status", r.item_stitch_status());
  SetWire(c, "dark_post_status", r.dark_post_status());
  if (r.has_promotional_music_disabled()) {
    c["promotional_music_disabled"] = r.promotional_music_disabled();
  }
  if (r.has_creative_authorized()) {
    c["creative_authorized"] = r.creative_authorized();
  }
  SetWire(c, "brand_safety_postbid_partner", r.brand_safety_postbid_partner());
  SetIf(c, "brand_safety_vast_url", r.brand_safety_vast_url());
  SetWire(c, "viewability_postbid_partner", r.viewability_postbid_partner());
  SetIf(c, "viewability_vast_url", r.viewability_vast_url());
  // vast_moat_enabled is not a Create ads field; TikTok's page recommends
  // viewability_postbid_partner MOAT for the same measurement.
  if (r.has_vast_moat_enabled() && r.vast_moat_enabled()) {
    c["viewability_postbid_partner"] = "MOAT";
  }
  SetNumber(c, "page_id", r.page_id());
  return c;
}

std::optional<json> WithoutUnset(const json& value) {
  if (value.is_null()) return std::nullopt;
  if (value.is_string()) {
    if (value.get_ref<const std::string&>().empty()) return std::nullopt;
    return value;
  }
  if (value.is_object()) {
    json out = json::object();
    for (const auto& [k, v] : value.items()) {
      if (std::optional<json> kept = WithoutUnset(v)) out[k] = *std::move(kept);
    }
    if (out.empty()) return std::nullopt;
    return out;
  }
  if (value.is_array()) {
    json out = json::array();
    for (const auto& v : value) {
      if (std::optional<json> kept = WithoutUnset(v)) {
        out.push_back(*std::move(kept));
      }
    }
    if (out.empty()) return std::nullopt;
    return out;
  }
  return value;
}

json FullCreative(const json& item) {
  json c = json::object();
  for (const auto& k : FullUpdateFields()) {
    auto it = item.find(k);
    if (it == item.end()) continue;
    // TikTok's "unset" is spelled null or as an empty value, also inside
    // objects and lists (e.g. a disclaimer whose text is "").
    if (std::optional<json> kept = WithoutUnset(*it)) c[k] = *std::move(kept);
  }
  return c;
}

json UpdateChanges(const std::vector<std::string>& mask, const json& ad,
                   const std::string& normalized_cta) {
  json out = json::object();
  for (const auto& f : mask) {
    if (f == "call_to_action") {
      out[f] = normalized_cta.empty() ? json(nullptr) : json(normalized_cta);
      continue;
    }
    if (!ad.is_object() || !ad.contains(f)) continue;
    const json& v = ad[f];
    if (f == "tracking_pixel_id" || f == "page_id") {
      int64_t n = 0;
      out[f] = v.is_string() && absl::SimpleAtoi(v.get<std::string>(), &n)
                   ? json(n)
                   : json(nullptr);
    } else if (f == "deeplink_type" || f == "fallback_type") {
      // The short JSON of UpdateCreative: TikTok's word, or the zero
      // value's full name for a field cleared.
      std::string s = v.is_string() ? v.get<std::string>() : "";
      if (absl::EndsWith(s, "_UNSPECIFIED")) s.clear();
      out[f] = s.empty() ? json(nullptr) : json(WireEnum(f, s).value_or(s));
    } else if ((v.is_string() || v.is_array()) && v.empty()) {
      out[f] = nullptr;  // Cleared: left out of the creative.
    } else {
      out[f] = v;
    }
  }
  return out;
}

json UpdateCreative(const AdUpdate& update) {
  json values;
  {
    std::string text;
    google::protobuf::util::JsonPrintOptions o;
    o.preserve_proto_field_names = true;
    o.always_print_primitive_fields = true;
    // Enum values by their short names: TikTok's words.
    (void)contracts::MessageToShortJson(update.values, o, &text);
    values = json::parse(text, nullptr, false);
  }
  json changes = UpdateChanges(update.mask, values, update.call_to_action);
  json creative = json::object();
  if (!update.patch && update.current != nullptr) {
    json item = json::parse(update.current->snapshot, nullptr, false);
    if (item.is_object()) creative = FullCreative(item);
  }
  creative["ad_id"] = update.ad_id;
  for (const auto& [k, v] : changes.items()) {
    std::optional<json> kept = WithoutUnset(v);
    if (kept.has_value()) {
      creative[k] = *std::move(kept);
    } else {
      creative.erase(k);  // Cleared: left out of the creative.
    }
  }
  if (!update.patch && !creative.contains("call_to_action") &&
      !creative.contains("call_to_action_id")) {
    creative["call_to_action"] = kDefaultCallToAction;
  }
  return creative;
}

}  // namespace ttads::ads::internal
