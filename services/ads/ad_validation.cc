#include "services/ads/ad_validation.h"

#include <algorithm>
#include <map>
#include <optional>
#include <string_view>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "libs/contracts/enum_names.h"
#include "libs/text/utf8.h"

namespace ttads::ads {
namespace {

using status::FieldViolation;
using Violations = std::vector<FieldViolation>;

const std::vector<std::string>& Formats() {
  static const auto* v = new std::vector<std::string>{
      "SINGLE_VIDEO", "SINGLE_IMAGE", "CAROUSEL_ADS", "CATALOG_CAROUSEL",
      "LIVE_CONTENT"};
  return *v;
}

bool OneOf(const std::string& value, const std::vector<std::string>& allowed) {
  for (const auto& a : allowed) {
    if (a == value) return true;
  }
  return false;
}

void CheckEnum(Violations* out, const char* field, const std::string& value,
               const std::vector<std::string>& allowed) {
  if (value.empty() || OneOf(value, allowed)) return;
  out->push_back(
      {field, absl::StrCat("must be one of ", absl::StrJoin(allowed, ", "),
                           "; got \"", value, "\"")});
}

bool IsDigits(absl::string_view s) {
  if (s.empty() || s.size() > 32) return false;
  for (char c : s) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

void CheckId(Violations* out, const std::string& field,
             const std::string& value) {
  if (!value.empty() && !IsDigits(value)) {
    out->push_back({field, "must be a numeric TikTok id"});
  }
}

// An absolute https:// URL with a host and no whitespace.
bool IsHttpsUrl(absl::string_view url) {
  if (!absl::StartsWithIgnoreCase(url, "https://")) return false;
  absl::string_view rest = url.substr(8);
  if (rest.empty() || rest[0] == '/' || rest[0] == ':' || rest[0] == '?') {
    return false;
  }
  for (char c : url) {
    if (absl::ascii_isspace(static_cast<unsigned char>(c)) ||
        static_cast<unsigned char>(c) < 0x20) {
      return false;
    }
  }
  return url.size() <= 2048;
}

void CheckHttps(Violations* out, const std::string& field,
                const std::string& value) {
  if (!value.empty() && !IsHttpsUrl(value)) {
    out->push_back({field, "must be an absolute https:// URL"});
  }
}

bool IsCjk(char32_t cp) {
  return (cp >= 0x1100 && cp <= 0x11ff) || (cp >= 0x2e80 && cp <= 0x9fff) ||
         (cp >= 0xac00 && cp <= 0xd7af) || (cp >= 0xf900 && cp <= 0xfaff) ||
         (cp >= 0xff00 && cp <= 0xffef) || (cp >= 0x20000 && cp <= 0x2fa1f);
}

bool IsEmoji(char32_t cp) {
  return (cp >= 0x1f000 && cp <= 0x1faff) || (cp >= 0x2600 && cp <= 0x27bf) ||
         (cp >= 0xfe00 && cp <= 0xfe0f);
}

// Characters (code points) of `s`; -1 when it is not UTF-8.
int CharCount(std::string_view s) {
  const std::optional<size_t> n = text::CodePointCount(s);
  return n.has_value() ? static_cast<int>(*n) : -1;
}

void CheckLength(Violations* out, const std::string& field,
                 const std::string& value, int max) {
  int n = CharCount(value);
  if (n < 0) {
    out->push_back({field, "must be UTF-8 text"});
  } else if (n > max) {
    out->push_back({field, absl::StrCat("must be at most ", max,
                                        " characters (got ", n, ")")});
  }
}

// A media URL: https://, or http:// to an allow-listed host:port.
bool IsMediaUrl(absl::string_view url, const std::vector<std::string>& hosts) {
  if (IsHttpsUrl(url)) return true;
  if (!absl::StartsWithIgnoreCase(url, "http://")) return false;
  absl::string_view rest = url.substr(7);
  absl::string_view host = rest.substr(0, rest.find_first_of("/?#"));
  for (const auto& h : hosts) {
    if (h == host) return true;
  }
  return false;
}

// Accepted spellings per creative enum field: TikTok's own value, and
// Adspirer's word for it (adspirer-add-tiktok-ad.txt) mapped to TikTok's.
// TikTok's values: Create ads (Tiktok-OPS API Reference/Ads/Create_ads).
const std::map<std::string, std::vector<std::pair<std::string, std::string>>>&
EnumVocabulary() {
  static const auto* v = new std::map<
      std::string, std::vector<std::pair<std::string, std::string>>>{
      {"dark_post_status",
       {{"ON", "ON"}, {"OFF", "OFF"}, {"ENABLE", "ON"}, {"DISABLE", "OFF"}}},
      {"deeplink_type",
       {{"NORMAL", "NORMAL"},
        {"DEFERRED_DEEPLINK", "DEFERRED_DEEPLINK"},
        {"DEFERRED", "DEFERRED_DEEPLINK"}}},
      {"fallback_type",
       {{"APP_INSTALL", "APP_INSTALL"},
        {"WEBSITE", "WEBSITE"},
        {"UNSET", "UNSET"},
        {"WEB_LANDING", "WEBSITE"}}},
      {"brand_safety_postbid_partner",
       {{"DOUBLE_VERIFY", "DOUBLE_VERIFY"},
        {"IAS", "IAS"},
        {"ZEFR", "ZEFR"},
        {"DV", "DOUBLE_VERIFY"}}},
      {"viewability_postbid_partner",
       {{"MOAT", "MOAT"},
        {"DOUBLE_VERIFY", "DOUBLE_VERIFY"},
        {"IAS", "IAS"},
        {"DV", "DOUBLE_VERIFY"}}},
      {"vertical_video_strategy",
       {{"UNSET", "UNSET"},
        {"SINGLE_VIDEO", "SINGLE_VIDEO"},
        {"CATALOG_VIDEOS", "CATALOG_VIDEOS"},
        {"CATALOG_UPLOADED_VIDEOS", "CATALOG_UPLOADED_VIDEOS"},
        {"LIVE_STREAM", "LIVE_STREAM"},
        {"LIVE_STREAMING", "LIVE_STREAM"}}},
      {"item_duet_status", {{"ENABLE", "ENABLE"}, {"DISABLE", "DISABLE"}}},
      {"item_stitch_status", {{"ENABLE", "ENABLE"}, {"DISABLE", "DISABLE"}}},
  };
  return *v;
}

}  // namespace

std::optional<std::string> WireEnum(absl::string_view field,
                                    absl::string_view value) {
  auto it = EnumVocabulary().find(std::string(field));
  if (it == EnumVocabulary().end()) return std::string(value);
  for (const auto& [word, wire] : it->second) {
    if (word == value) return wire;
  }
  return std::nullopt;
}

std::string AcceptedEnumValues(absl::string_view field) {
  auto it = EnumVocabulary().find(std::string(field));
  if (it == EnumVocabulary().end()) return "";
  std::vector<std::string> words;
  for (const auto& [word, wire] : it->second) {
    words.push_back(word == wire ? word
                                 : absl::StrCat(word, " (= ", wire, ")"));
  }
  return absl::StrJoin(words, ", ");
}

const std::vector<std::string>& AdEnumFields() {
  static const auto* v =
      new std::vector<std::string>{"ad_format",
                                   "deeplink_type",
                                   "fallback_type",
                                   "disclaimer_type",
                                   "vertical_video_strategy",
                                   "item_duet_status",
                                   "item_stitch_status",
                                   "dark_post_status",
                                   "brand_safety_postbid_partner",
                                   "viewability_postbid_partner"};
  return *v;
}

AdWords CoreWords(const v1::AdInput& req) {
  AdWords words;
  const google::protobuf::Reflection* reflection = req.GetReflection();
  for (const auto& name : AdEnumFields()) {
    const google::protobuf::FieldDescriptor* field =
        req.GetDescriptor()->FindFieldByName(name);
    const int number = reflection->GetEnumValue(req, field);
    if (number == 0) continue;
    const google::protobuf::EnumValueDescriptor* value =
        field->enum_type()->FindValueByNumber(number);
    words[name] =
        value == nullptr ? std::to_string(number) : contracts::ShortName(value);
  }
  return words;
}

const std::vector<std::string>& KnownCallsToAction() {
  static const auto* v = new std::vector<std::string>{
      "LEARN_MORE",   "SHOP_NOW",  "SIGN_UP",     "DOWNLOAD_NOW",
      "INSTALL_NOW",  "ORDER_NOW", "BOOK_NOW",    "APPLY_NOW",
      "SUBSCRIBE",    "WATCH_NOW", "CONTACT_US",  "GET_QUOTE",
      "SEND_MESSAGE", "CALL_NOW",  "VISIT_STORE", "PLAY_GAME",
      "LISTEN_NOW",   "READ_MORE", "VIEW_NOW",    "INTERESTED",
      "GET_SHOWTIMES"};
  return *v;
}

std::optional<std::string> NormalizeCallToAction(absl::string_view value) {
  std::string v = absl::AsciiStrToUpper(absl::StripAsciiWhitespace(value));
  v = absl::StrReplaceAll(v, {{" ", "_"}, {"-", "_"}});
  if (OneOf(v, KnownCallsToAction())) return v;
  static const auto* synonyms = new std::map<std::string, std::string>{
      {"DOWNLOAD", "DOWNLOAD_NOW"}, {"INSTALL", "INSTALL_NOW"},
      {"BUY_NOW", "SHOP_NOW"},      {"BUY", "SHOP_NOW"},
      {"SHOP", "SHOP_NOW"},         {"ORDER", "ORDER_NOW"},
      {"BOOK", "BOOK_NOW"},         {"APPLY", "APPLY_NOW"},
      {"WATCH", "WATCH_NOW"},       {"SIGNUP", "SIGN_UP"},
      {"SIGN_UP_NOW", "SIGN_UP"},   {"LEARNMORE", "LEARN_MORE"},
      {"CONTACT", "CONTACT_US"},    {"CALL", "CALL_NOW"},
      {"LISTEN", "LISTEN_NOW"},     {"SUBSCRIBE_NOW", "SUBSCRIBE"},
      {"GET_A_QUOTE", "GET_QUOTE"}, {"PLAY", "PLAY_GAME"}};
  auto it = synonyms->find(v);
  if (it != synonyms->end()) return it->second;
  return std::nullopt;
}

namespace {

// The caller's word for enum field `field`; "" when not set.
const std::string& Word(const AdWords& words, const char* field) {
  static const auto* empty = new std::string;
  auto it = words.find(field);
  return it == words.end() ? *empty : it->second;
}

// AdTextLength, also setting `*has_emoji` when any character is an emoji.
int AdTextLengthAndEmoji(std::string_view utf8, bool* has_emoji) {
  int n = 0;
  const bool valid = text::ForEachCodePoint(utf8, [&](char32_t cp) {
    n += IsCjk(cp) ? 2 : 1;
    if (IsEmoji(cp)) *has_emoji = true;
  });
  return valid ? n : -1;
}

}  // namespace

int AdTextLength(absl::string_view utf8) {
  bool has_emoji = false;
  return AdTextLengthAndEmoji(std::string_view(utf8.data(), utf8.size()),
                              &has_emoji);
}

void ValidateCreativeFields(const v1::AdInput& req,
                            std::vector<FieldViolation>* out,
                            std::string* normalized_cta,
                            std::vector<std::string>* notes) {
  ValidateCreativeFields(req, CoreWords(req), out, normalized_cta, notes);
}

void ValidateCreativeFields(const v1::AdInput& req, const AdWords& words,
                            std::vector<FieldViolation>* out,
                            std::string* normalized_cta,
                            std::vector<std::string>* notes) {
  const std::string& deeplink_type = Word(words, "deeplink_type");
  const std::string& fallback_type = Word(words, "fallback_type");
  const std::string& disclaimer_type = Word(words, "disclaimer_type");
  const std::string& brand_safety_partner =
      Word(words, "brand_safety_postbid_partner");
  const std::string& viewability_partner =
      Word(words, "viewability_postbid_partner");
  if (!req.ad_text().empty()) {
    bool emoji = false;
    int n = AdTextLengthAndEmoji(req.ad_text(), &emoji);
    if (n < 0) {
      out->push_back({"ad_text", "must be UTF-8 text"});
    } else if (n > 100) {
      out->push_back({"ad_text", absl::StrCat("must be 1-100 characters (CJK "
                                              "counts double); got ",
                                              n)});
    } else if (emoji) {
      out->push_back(
          {"ad_text", "must not contain emoji (TikTok rejects them)"});
    }
  }
  CheckHttps(out, "landing_page_url", req.landing_page_url());
  CheckLength(out, "ad_name", req.ad_name(), 480);
  CheckLength(out, "display_name", req.display_name(), 40);
  if (!req.call_to_action().empty()) {
    auto cta = NormalizeCallToAction(req.call_to_action());
    if (!cta) {
      out->push_back({"call_to_action",
                      absl::StrCat("unknown call to action \"",
                                   req.call_to_action(), "\"; valid values: ",
                                   absl::StrJoin(KnownCallsToAction(), ", "))});
    } else {
      if (*cta != req.call_to_action()) {
        notes->push_back(absl::StrCat("call_to_action ", req.call_to_action(),
                                      " -> ", *cta));
      }
      *normalized_cta = *cta;
    }
  }
  CheckId(out, "card_id", req.card_id());
  if (!req.card_type().empty()) {
    // Create/Update ads (v1.3) have no card_type; card_id alone names the
    // creative portfolio.
    out->push_back({"card_type",
                    "not a TikTok v1.3 creative field; card_id alone names "
                    "the card"});
  }
  CheckHttps(out, "click_tracking_url", req.click_tracking_url());
  CheckHttps(out, "impression_tracking_url", req.impression_tracking_url());
  CheckHttps(out, "video_view_tracking_url", req.video_view_tracking_url());
  CheckId(out, "tracking_pixel_id", req.tracking_pixel_id());
  if (!req.deeplink().empty()) {
    size_t scheme = req.deeplink().find("://");
    if (scheme == std::string::npos || scheme == 0 ||
        req.deeplink().size() > 1024 ||
        absl::StrContains(req.deeplink(), " ")) {
      out->push_back({"deeplink",
                      "must be a URI with a scheme, e.g. myapp://product/123"});
    }
  } else {
    if (!deeplink_type.empty()) {
      out->push_back({"deeplink_type", "needs deeplink"});
    }
    if (!fallback_type.empty()) {
      out->push_back({"fallback_type", "needs deeplink"});
    }
  }
  auto check_wire = [&](const char* field, const std::string& value) {
    if (value.empty()) return;
    auto wire = WireEnum(field, value);
    if (!wire) {
      out->push_back(
          {field, absl::StrCat("unknown value \"", value, "\"; valid values: ",
                               AcceptedEnumValues(field))});
    } else if (*wire != value) {
      notes->push_back(
          absl::StrCat(field, " ", value, " sent to TikTok as ", *wire));
    }
  };
  check_wire("deeplink_type", deeplink_type);
  check_wire("fallback_type", fallback_type);
  if (WireEnum("fallback_type", fallback_type) == "WEBSITE" &&
      req.landing_page_url().empty()) {
    out->push_back({"fallback_type", "WEBSITE needs landing_page_url"});
  }
  CheckLength(out, "disclaimer_text", req.disclaimer_text(), 90);
  for (int i = 0; i < req.disclaimer_clickable_texts_size(); ++i) {
    const auto& t = req.disclaimer_clickable_texts(i);
    std::string prefix = absl::StrCat("disclaimer_clickable_texts[", i, "].");
    if (t.text().empty()) out->push_back({prefix + "text", "required"});
    CheckLength(out, prefix + "text", t.text(), 40);
    if (t.url().empty()) {
      out->push_back({prefix + "url", "required"});
    } else {
      CheckHttps(out, prefix + "url", t.url());
    }
  }
  // Create ads: at most 3 clickable disclaimers, 40 characters together.
  if (req.disclaimer_clickable_texts_size() > 3) {
    out->push_back({"disclaimer_clickable_texts", "at most 3 items"});
  }
  int total = 0;
  for (const auto& t : req.disclaimer_clickable_texts()) {
    total += std::max(0, CharCount(t.text()));
  }
  if (total > 40) {
    out->push_back({"disclaimer_clickable_texts",
                    absl::StrCat("the texts together must be at most 40 "
                                 "characters (got ",
                                 total, ")")});
  }
  CheckEnum(out, "disclaimer_type", disclaimer_type,
            {"TEXT_LINK", "TEXT_ONLY"});
  if (disclaimer_type == "TEXT_ONLY" &&
      req.disclaimer_clickable_texts_size() > 0) {
    out->push_back(
        {"disclaimer_type", "TEXT_ONLY cannot carry clickable texts"});
  }
  if (disclaimer_type == "TEXT_LINK" &&
      req.disclaimer_clickable_texts_size() == 0) {
    out->push_back({"disclaimer_clickable_texts", "required with TEXT_LINK"});
  }
  if ((req.disclaimer_clickable_texts_size() > 0 || !disclaimer_type.empty()) &&
      req.disclaimer_text().empty() &&
      req.disclaimer_clickable_texts_size() == 0) {
    out->push_back({"disclaimer_text", "required with disclaimer_type"});
  }
  check_wire("vertical_video_strategy", Word(words, "vertical_video_strategy"));
  check_wire("item_duet_status", Word(words, "item_duet_status"));
  check_wire("item_stitch_status", Word(words, "item_stitch_status"));
  check_wire("dark_post_status", Word(words, "dark_post_status"));
  check_wire("brand_safety_postbid_partner", brand_safety_partner);
  check_wire("viewability_postbid_partner", viewability_partner);
  CheckHttps(out, "brand_safety_vast_url", req.brand_safety_vast_url());
  CheckHttps(out, "viewability_vast_url", req.viewability_vast_url());
  if (!req.brand_safety_vast_url().empty() && brand_safety_partner.empty()) {
    out->push_back({"brand_safety_postbid_partner",
                    "required with brand_safety_vast_url"});
  }
  if (!req.viewability_vast_url().empty() && viewability_partner.empty()) {
    out->push_back(
        {"viewability_postbid_partner", "required with viewability_vast_url"});
  }
  if (req.has_vast_moat_enabled() && req.vast_moat_enabled()) {
    if (!viewability_partner.empty() &&
        WireEnum("viewability_postbid_partner", viewability_partner) !=
            "MOAT") {
      out->push_back(
          {"vast_moat_enabled", "conflicts with viewability_postbid_partner " +
                                    viewability_partner});
    } else {
      notes->push_back(
          "vast_moat_enabled is not a v1.3 creative field: sent as "
          "viewability_postbid_partner MOAT");
    }
  }
  CheckId(out, "page_id", req.page_id());
}

absl::StatusOr<ValidatedAd> ValidateCreateAd(
    const v1::AdInput& req, const std::vector<std::string>& http_media_hosts) {
  return ValidateCreateAd(req, CoreWords(req), http_media_hosts);
}

absl::StatusOr<ValidatedAd> ValidateCreateAd(
    const v1::AdInput& req, const AdWords& words,
    const std::vector<std::string>& http_media_hosts) {
  Violations out;
  ValidatedAd result;
  CheckId(&out, "advertiser_id", req.advertiser_id());
  if (req.adgroup_id().empty()) {
    out.push_back({"adgroup_id", "required"});
  } else {
    CheckId(&out, "adgroup_id", req.adgroup_id());
  }
  if (req.ad_text().empty())
    out.push_back({"ad_text", "required (1-100 characters)"});
  if (req.landing_page_url().empty()) {
    out.push_back({"landing_page_url", "required (https)"});
  }
  if (req.request_id().size() > 128) {
    out.push_back({"request_id", "must be at most 128 characters"});
  }
  ValidateCreativeFields(req, words, &out, &result.call_to_action,
                         &result.notes);
  if (result.call_to_action.empty()) {
    // TikTok requires call_to_action or call_to_action_id (Create ads).
    result.call_to_action = kDefaultCallToAction;
    result.notes.push_back(absl::StrCat("call_to_action: none given; ",
                                        kDefaultCallToAction,
                                        " sent (TikTok requires one)"));
  }

  // Creative source: exactly one.
  std::vector<std::string> sources;
  if (!req.video_url().empty()) sources.push_back("video_url");
  if (!req.video_id().empty()) sources.push_back("video_id");
  if (req.image_urls_size() > 0) sources.push_back("image_urls");
  if (req.image_ids_size() > 0) sources.push_back("image_ids");
  if (!req.tiktok_item_id().empty()) sources.push_back("tiktok_item_id");
  if (sources.empty()) {
    out.push_back({"video_url",
                   "one creative source is required: video_url, video_id, "
                   "image_urls, image_ids or tiktok_item_id"});
  } else if (sources.size() > 1) {
    for (const auto& s : sources) {
      out.push_back({s, absl::StrCat("give exactly one creative source; got ",
                                     absl::StrJoin(sources, ", "))});
    }
  } else {
    const std::string& s = sources[0];
    result.source = s == "video_url"    ? CreativeSource::kVideoUrl
                    : s == "video_id"   ? CreativeSource::kVideoId
                    : s == "image_urls" ? CreativeSource::kImageUrls
                    : s == "image_ids"  ? CreativeSource::kImageIds
                                        : CreativeSource::kSparkPost;
  }
  if (!req.video_url().empty() &&
      !IsMediaUrl(req.video_url(), http_media_hosts)) {
    out.push_back({"video_url", "must be an absolute https:// URL"});
  }
  CheckId(&out, "video_id", req.video_id());
  CheckId(&out, "tiktok_item_id", req.tiktok_item_id());
  CheckId(&out, "music_id", req.music_id());
  if (req.image_urls_size() > 35) {
    out.push_back({"image_urls", "at most 35 images"});
  }
  if (req.image_ids_size() > 35)
    out.push_back({"image_ids", "at most 35 images"});
  for (int i = 0; i < req.image_urls_size(); ++i) {
    std::string field = absl::StrCat("image_urls[", i, "]");
    if (!IsMediaUrl(req.image_urls(i), http_media_hosts)) {
      out.push_back({field, "must be an absolute https:// URL"});
    }
  }
  for (int i = 0; i < req.image_ids_size(); ++i) {
    CheckId(&out, absl::StrCat("image_ids[", i, "]"), req.image_ids(i));
  }

  // Format: explicit wins when consistent with the source.
  const bool video =
      sources.size() == 1 && (result.source == CreativeSource::kVideoUrl ||
                              result.source == CreativeSource::kVideoId ||
                              result.source == CreativeSource::kSparkPost);
  const bool images = sources.size() == 1 && !video;
  const std::string& format_word = Word(words, "ad_format");
  if (!format_word.empty()) {
    std::string f = absl::AsciiStrToUpper(format_word);
    if (!OneOf(f, Formats())) {
      CheckEnum(&out, "ad_format", f, Formats());
    } else if (sources.size() == 1) {
      if ((f == "SINGLE_IMAGE" || f == "CAROUSEL_ADS") && video) {
        out.push_back({"ad_format", f + " needs image_urls or image_ids"});
      } else if (f == "CAROUSEL_ADS" && req.music_id().empty()) {
        out.push_back({"music_id",
                       "required by TikTok for CAROUSEL_ADS; omit ad_format "
                       "to send the images as a slideshow video instead"});
      } else if (f == "SINGLE_IMAGE" &&
                 req.image_urls_size() + req.image_ids_size() > 1) {
        out.push_back({sources[0], "SINGLE_IMAGE takes exactly one image"});
      } else if (f == "CATALOG_CAROUSEL" || f == "LIVE_CONTENT") {
        out.push_back({"ad_format", f + " is not supported by this endpoint"});
      }
    }
    result.ad_format = f;
  } else {
    result.ad_format = "SINGLE_VIDEO";
  }
  result.slideshow = images && result.ad_format == "SINGLE_VIDEO";

  // Identity.
  using common::v1::IdentityType;
  const IdentityType type = req.identity_type();
  result.customized_user_opt_in =
      req.use_brand_identity() ||
      type == common::v1::IDENTITY_TYPE_CUSTOMIZED_USER ||
      req.has_brand_identity();
  const bool spark = !req.tiktok_item_id().empty();
  if (type == common::v1::IDENTITY_TYPE_TTS_TT) {
    out.push_back({"identity_type",
                   "TTS_TT cannot run new ads here; use "
                   "TT_USER, BC_AUTH_TT or AUTH_CODE"});
  }
  if (!req.identity_id().empty())
    CheckId(&out, "identity_id", req.identity_id());
  if (!req.identity_id().empty() &&
      type == common::v1::IDENTITY_TYPE_UNSPECIFIED) {
    out.push_back({"identity_type", "required with identity_id"});
  }
  if (spark) {
    if (result.customized_user_opt_in) {
      out.push_back({type == common::v1::IDENTITY_TYPE_CUSTOMIZED_USER
                         ? "identity_type"
                         : "use_brand_identity",
                     "Spark Ads need TT_USER, AUTH_CODE or BC_AUTH_TT, not a "
                     "CUSTOMIZED_USER (Brand Identity)"});
    }
  }
  if (req.has_brand_identity()) {
    const auto& b = req.brand_identity();
    if (b.display_name().empty()) {
      out.push_back(
          {"brand_identity.display_name", "required (1-40 characters)"});
    }
    CheckLength(&out, "brand_identity.display_name", b.display_name(), 40);
    if (b.image_url().empty()) {
      out.push_back({"brand_identity.image_url", "required"});
    } else {
      if (!IsMediaUrl(b.image_url(), http_media_hosts)) {
        out.push_back(
            {"brand_identity.image_url", "must be an absolute https:// URL"});
      }
    }
    if (req.account_id().empty()) {
      out.push_back({"account_id",
                     "required with brand_identity (the "
                     "tiktokads account it is saved on)"});
    }
    if (!req.identity_id().empty()) {
      out.push_back(
          {"brand_identity", "conflicts with an explicit identity_id"});
    }
  }
  if (!out.empty()) {
    std::string message =
        absl::StrCat("the ad request has ", out.size(), " invalid field",
                     out.size() == 1 ? "" : "s", ":");
    for (const auto& v : out)
      absl::StrAppend(&message, " ", v.field, " (", v.description, ");");
    message.pop_back();
    return status::InvalidArgument(message, std::move(out));
  }
  return result;
}

}  // namespace ttads::ads
