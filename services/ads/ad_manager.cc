#include "services/ads/ad_manager.h"

#include <set>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "google/protobuf/util/json_util.h"
#include "libs/status/status.h"
#include "services/ads/ad_validation.h"
#include "services/ads/identity_bc.h"
#include "services/ads/raw_call_path.h"

namespace ttads::ads {
namespace {

using nlohmann::json;

std::string Str(const json& j, const char* key) {
  if (!j.is_object() || !j.contains(key)) return "";
  const auto& v = j[key];
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
  return "";
}

void SetTime(const std::string& text, google::protobuf::Timestamp* ts) {
  absl::Time t;
  if (absl::ParseTime("%Y-%m-%d %H:%M:%S", text, absl::UTCTimeZone(), &t,
                      nullptr)) {
    ts->set_seconds(absl::ToUnixSeconds(t));
  }
}

std::string TikTokTime(const google::protobuf::Timestamp& ts) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%S",
                          absl::FromUnixSeconds(ts.seconds()),
                          absl::UTCTimeZone());
}

google::protobuf::Struct ToStruct(const json& j) {
  google::protobuf::Struct s;
  (void)google::protobuf::util::JsonStringToMessage(j.dump(), &s);
  return s;
}

absl::StatusOr<int> PageFromToken(const std::string& token) {
  if (token.empty()) return 1;
  int page = 0;
  if (!absl::SimpleAtoi(token, &page) || page < 1) {
    return status::InvalidArgument(
        "page_token is invalid",
        {{"page_token", "not a token from a previous response"}});
  }
  return page;
}

std::string NextToken(const json& data, int page) {
  int64_t total_page = 1;
  if (data.contains("page_info") && data["page_info"].is_object()) {
    total_page = data["page_info"].value("total_page", int64_t{1});
  }
  return page < total_page ? std::to_string(page + 1) : "";
}

int TotalNumber(const json& data) {
  if (data.contains("page_info") && data["page_info"].is_object()) {
    return static_cast<int>(
        data["page_info"].value("total_number", int64_t{0}));
  }
  return 0;
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

bool IsPatchable(const std::string& field) {
  // Update ads, patch_update: ad_name, identity_id, identity_type,
  // identity_authorized_bc_id, video_id, image_ids, music_id, tiktok_item_id,
  // ad_text, ad_texts. Of those, UpdateAd can change these four.
  return field == "ad_name" || field == "ad_text" || field == "video_id" ||
         field == "image_ids";
}

json FullCreative(const json& item) {
  json c = json::object();
  for (const auto& k : FullUpdateFields()) {
    auto it = item.find(k);
    if (it == item.end() || it->is_null()) continue;
    if ((it->is_string() || it->is_array() || it->is_object()) && it->empty()) {
      continue;  // TikTok's "unset" spelled as an empty value.
    }
    c[k] = *it;
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
      std::string s = v.is_string() ? v.get<std::string>() : "";
      out[f] = s.empty() ? json(nullptr) : json(WireEnum(f, s).value_or(s));
    } else if ((v.is_string() || v.is_array()) && v.empty()) {
      out[f] = nullptr;  // Cleared: left out of the creative.
    } else {
      out[f] = v;
    }
  }
  return out;
}

namespace {

bool OneOf(const std::string& v, std::initializer_list<const char*> allowed) {
  for (const char* a : allowed) {
    if (v == a) return true;
  }
  return false;
}

}  // namespace

v1::Ad AdFromJson(const json& item) {
  v1::Ad ad;
  ad.set_ad_id(Str(item, "ad_id"));
  ad.set_advertiser_id(Str(item, "advertiser_id"));
  ad.set_campaign_id(Str(item, "campaign_id"));
  ad.set_adgroup_id(Str(item, "adgroup_id"));
  ad.set_ad_name(Str(item, "ad_name"));
  ad.set_ad_text(Str(item, "ad_text"));
  ad.set_ad_format(Str(item, "ad_format"));
  ad.set_operation_status(Str(item, "operation_status"));
  ad.set_secondary_status(Str(item, "secondary_status"));
  ad.set_identity_id(Str(item, "identity_id"));
  common::v1::IdentityType type;
  if (common::v1::IdentityType_Parse(Str(item, "identity_type"), &type)) {
    ad.set_identity_type(type);
  }
  ad.set_call_to_action(Str(item, "call_to_action"));
  ad.set_landing_page_url(Str(item, "landing_page_url"));
  ad.set_video_id(Str(item, "video_id"));
  if (item.contains("image_ids") && item["image_ids"].is_array()) {
    for (const auto& id : item["image_ids"]) {
      if (id.is_string()) ad.add_image_ids(id.get<std::string>());
    }
  }
  SetTime(Str(item, "create_time"), ad.mutable_create_time());
  SetTime(Str(item, "modify_time"), ad.mutable_modify_time());
  json rest = item;
  for (const char* k :
       {"ad_id", "advertiser_id", "campaign_id", "adgroup_id", "ad_name",
        "ad_text", "ad_format", "operation_status", "secondary_status",
        "identity_id", "identity_type", "call_to_action", "landing_page_url",
        "video_id", "image_ids", "create_time", "modify_time"}) {
    rest.erase(k);
  }
  *ad.mutable_fields() = ToStruct(rest);
  return ad;
}

absl::StatusOr<connections::ResolvedToken> AdManager::Token(
    const server::CallContext& call, const std::string& advertiser_id) {
  return tokens_->Resolve(
      {call.caller.team_id, call.caller.member_id, call.caller.role},
      advertiser_id);
}

absl::StatusOr<AdManager::RawAd> AdManager::GetRaw(
    const server::CallContext& call, const std::string& advertiser_id,
    const std::string& ad_id) {
  if (ad_id.empty()) {
    return status::InvalidArgument("ad_id is required",
                                   {{"ad_id", "required"}});
  }
  auto token = Token(call, advertiser_id);
  if (!token.ok()) return token.status();
  auto env = client_->Call(
      tiktok::HttpCall::Get(
          "ad/get/",
          {{"advertiser_id", token->advertiser_id},
           {"filtering",
            {{"ad_ids", {ad_id}}, {"primary_status", "STATUS_ALL"}}}},
          token->access_token),
      call.deadline);
  if (!env.ok()) return env.status();
  const json& list =
      env->data.contains("list") ? env->data["list"] : json::array();
  if (!list.is_array() || list.empty() || !list[0].is_object()) {
    return absl::NotFoundError(absl::StrCat(
        "ad ", ad_id, " not found in advertiser ", token->advertiser_id));
  }
  return RawAd{list[0], *std::move(token)};
}

absl::StatusOr<v1::Ad> AdManager::Get(const server::CallContext& call,
                                      const v1::GetAdRequest& req) {
  auto raw = GetRaw(call, req.advertiser_id(), req.ad_id());
  if (!raw.ok()) return raw.status();
  return AdFromJson(raw->item);
}

absl::StatusOr<v1::SearchAdsResponse> AdManager::Search(
    const server::CallContext& call, const v1::SearchAdsRequest& req) {
  std::vector<status::FieldViolation> bad;
  if (req.page_size() < 0 || req.page_size() > 1000) {
    bad.push_back({"page_size", "must be 1-1000"});
  }
  for (auto [name, size] : {std::pair{"campaign_ids", req.campaign_ids_size()},
                            std::pair{"adgroup_ids", req.adgroup_ids_size()},
                            std::pair{"ad_ids", req.ad_ids_size()}}) {
    if (size > 100) bad.push_back({name, "at most 100 ids"});
  }
  if (!req.primary_status().empty() &&
      !OneOf(req.primary_status(),
             {"STATUS_NOT_DELETE", "STATUS_ALL", "STATUS_DELETE",
              "STATUS_DISABLE", "STATUS_DELIVERY_OK"})) {
    bad.push_back({"primary_status", "unknown primary status"});
  }
  if (req.has_create_start_time() && req.has_create_end_time() &&
      req.create_end_time().seconds() < req.create_start_time().seconds()) {
    bad.push_back({"create_end_time", "must not be before create_start_time"});
  }
  auto page = PageFromToken(req.page_token());
  if (!page.ok()) return page.status();
  if (!bad.empty())
    return status::InvalidArgument("invalid search", std::move(bad));
  auto token = Token(call, req.advertiser_id());
  if (!token.ok()) return token.status();
  json filtering = json::object();
  auto ids = [](const auto& field) {
    return std::vector<std::string>(field.begin(), field.end());
  };
  if (req.campaign_ids_size())
    filtering["campaign_ids"] = ids(req.campaign_ids());
  if (req.adgroup_ids_size()) filtering["adgroup_ids"] = ids(req.adgroup_ids());
  if (req.ad_ids_size()) filtering["ad_ids"] = ids(req.ad_ids());
  if (!req.primary_status().empty())
    filtering["primary_status"] = req.primary_status();
  if (req.has_create_start_time()) {
    filtering["creation_filter_start_time"] =
        TikTokTime(req.create_start_time());
  }
  if (req.has_create_end_time()) {
    filtering["creation_filter_end_time"] = TikTokTime(req.create_end_time());
  }
  if (req.has_modified_after())
    filtering["modified_after"] = TikTokTime(req.modified_after());
  auto env = client_->Call(
      tiktok::HttpCall::Get(
          "ad/get/",
          {{"advertiser_id", token->advertiser_id},
           {"filtering", filtering},
           {"page", *page},
           {"page_size", req.page_size() == 0 ? 10 : req.page_size()}},
          token->access_token),
      call.deadline);
  if (!env.ok()) return env.status();
  v1::SearchAdsResponse out;
  if (env->data.contains("list")) {
    for (const auto& item : env->data["list"])
      *out.add_ads() = AdFromJson(item);
  }
  out.set_next_page_token(NextToken(env->data, *page));
  out.set_total_size(TotalNumber(env->data));
  return out;
}

absl::StatusOr<v1::UpdateAdStatusResponse> AdManager::UpdateStatus(
    const server::CallContext& call, const v1::UpdateAdStatusRequest& req) {
  std::vector<status::FieldViolation> bad;
  if (req.ad_ids_size() == 0) bad.push_back({"ad_ids", "at least one ad id"});
  if (req.ad_ids_size() > 1000)
    bad.push_back({"ad_ids", "at most 1000 ad ids"});
  if (req.operation_status() == v1::AD_OPERATION_UNSPECIFIED) {
    bad.push_back({"operation_status", "ENABLE, DISABLE or DELETE"});
  }
  if (!bad.empty())
    return status::InvalidArgument("invalid status update", std::move(bad));
  auto token = Token(call, req.advertiser_id());
  if (!token.ok()) return token.status();
  std::vector<std::string> ids;
  std::set<std::string> seen;
  for (const auto& id : req.ad_ids()) {
    if (seen.insert(id).second) ids.push_back(id);
  }
  // Current state, 100 per lookup.
  std::map<std::string, std::string> secondary;
  for (size_t i = 0; i < ids.size(); i += 100) {
    std::vector<std::string> chunk(ids.begin() + i,
                                   ids.begin() + std::min(ids.size(), i + 100));
    auto env = client_->Call(
        tiktok::HttpCall::Get(
            "ad/get/",
            {{"advertiser_id", token->advertiser_id},
             {"filtering",
              {{"ad_ids", chunk}, {"primary_status", "STATUS_ALL"}}},
             {"fields", {"ad_id", "secondary_status"}},
             {"page_size", 1000}},
            token->access_token),
        call.deadline);
    if (!env.ok()) return env.status();
    for (const auto& item : env->data.value("list", json::array())) {
      secondary[Str(item, "ad_id")] = Str(item, "secondary_status");
    }
  }
  v1::UpdateAdStatusResponse out;
  std::vector<std::string> send;
  int deleted = 0;
  for (const auto& id : ids) {
    auto it = secondary.find(id);
    if (it == secondary.end()) {
      (*out.mutable_failures())[id] = "not found in this advertiser";
    } else if (it->second == "AD_STATUS_DELETE") {
      (*out.mutable_failures())[id] = "deleted; its status cannot change";
      ++deleted;
    } else {
      send.push_back(id);
    }
  }
  const std::string op = v1::AdOperation_Name(req.operation_status());
  for (size_t i = 0; i < send.size(); i += 20) {
    std::vector<std::string> batch(
        send.begin() + i, send.begin() + std::min(send.size(), i + 20));
    auto env = client_->Call(
        tiktok::HttpCall::Post("ad/status/update/",
                               {{"advertiser_id", token->advertiser_id},
                                {"ad_ids", batch},
                                {"operation_status", op}},
                               token->access_token),
        call.deadline);
    if (!env.ok()) {
      for (const auto& id : batch) {
        (*out.mutable_failures())[id] = std::string(env.status().message());
      }
      continue;
    }
    for (const auto& id : batch) out.add_updated_ad_ids(id);
  }
  if (out.updated_ad_ids_size() == 0 && deleted > 0 &&
      deleted == static_cast<int>(ids.size())) {
    return status::PreconditionFailed("deleted ads cannot change status",
                                      "AD_DELETED", absl::StrJoin(ids, ","),
                                      "a deleted ad cannot change again");
  }
  return out;
}

absl::StatusOr<v1::Ad> AdManager::Update(const server::CallContext& call,
                                         const v1::UpdateAdRequest& req) {
  static const std::set<std::string> kUpdatable = {"ad_name",
                                                   "ad_text",
                                                   "call_to_action",
                                                   "landing_page_url",
                                                   "display_name",
                                                   "click_tracking_url",
                                                   "impression_tracking_url",
                                                   "video_view_tracking_url",
                                                   "tracking_pixel_id",
                                                   "deeplink",
                                                   "deeplink_type",
                                                   "fallback_type",
                                                   "page_id",
                                                   "card_id",
                                                   "video_id",
                                                   "image_ids"};
  std::vector<status::FieldViolation> bad;
  if (req.ad_id().empty()) bad.push_back({"ad_id", "required"});
  std::vector<std::string> mask =
      absl::StrSplit(req.update_mask(), ',', absl::SkipWhitespace());
  if (mask.empty()) bad.push_back({"update_mask", "name at least one field"});
  for (const auto& f : mask) {
    if (f == "card_type") {
      bad.push_back(
          {"update_mask", "card_type is not a TikTok v1.3 creative field"});
    } else if (!kUpdatable.count(f)) {
      bad.push_back({"update_mask", "cannot update " + f});
    }
  }
  std::string cta;
  std::vector<std::string> notes;
  ValidateCreativeFields(req.ad(), &bad, &cta, &notes);
  for (const auto& f : mask) {
    if ((f == "ad_text" || f == "landing_page_url") &&
        (f == "ad_text" ? req.ad().ad_text() : req.ad().landing_page_url())
            .empty()) {
      bad.push_back({"ad." + f, "cannot be cleared"});
    }
  }
  if (!bad.empty())
    return status::InvalidArgument("invalid ad update", std::move(bad));
  auto current = GetRaw(call, req.advertiser_id(), req.ad_id());
  if (!current.ok()) return current.status();
  json all;
  {
    std::string text;
    (void)google::protobuf::util::MessageToJsonString(req.ad(), &text, [] {
      google::protobuf::util::JsonPrintOptions o;
      o.preserve_proto_field_names = true;
      o.always_print_primitive_fields = true;
      return o;
    }());
    all = json::parse(text, nullptr, false);
  }
  json changes = UpdateChanges(mask, all, cta);
  // Patch mode when every change is one it can make; otherwise the whole
  // creative goes back with the changes (a full update replaces it).
  bool patch = true;
  for (const auto& f : mask) patch &= IsPatchable(f);
  json creative =
      patch ? json{{"ad_id", req.ad_id()}} : FullCreative(current->item);
  creative["ad_id"] = req.ad_id();
  for (const auto& [k, v] : changes.items()) {
    if (v.is_null()) {
      creative.erase(k);
    } else {
      creative[k] = v;
    }
  }
  if (!patch && !creative.contains("call_to_action") &&
      !creative.contains("call_to_action_id")) {
    creative["call_to_action"] = kDefaultCallToAction;
  }
  const std::string advertiser = Str(current->item, "advertiser_id").empty()
                                     ? current->token.advertiser_id
                                     : Str(current->item, "advertiser_id");
  auto env = client_->Call(
      tiktok::HttpCall::Post("ad/update/",
                             {{"advertiser_id", advertiser},
                              {"adgroup_id", Str(current->item, "adgroup_id")},
                              {"patch_update", patch},
                              {"creatives", json::array({creative})}},
                             current->token.access_token),
      call.deadline);
  if (!env.ok()) return env.status();
  v1::GetAdRequest get;
  get.set_advertiser_id(req.advertiser_id());
  get.set_ad_id(req.ad_id());
  return Get(call, get);
}

absl::StatusOr<v1::ListAdReportsResponse> AdManager::Reports(
    const server::CallContext& call, const v1::ListAdReportsRequest& req) {
  std::vector<status::FieldViolation> bad;
  const std::string report_type =
      req.report_type().empty() ? "BASIC" : req.report_type();
  const std::string service_type =
      req.service_type().empty() ? "AUCTION" : req.service_type();
  const std::string level =
      req.data_level().empty() ? "AUCTION_AD" : req.data_level();
  if (!OneOf(report_type, {"BASIC", "AUDIENCE", "PLAYABLE_MATERIAL", "CATALOG",
                           "BC", "TT_SHOP"})) {
    bad.push_back({"report_type", "unknown report type"});
  }
  if (service_type != "AUCTION")
    bad.push_back({"service_type", "must be AUCTION"});
  if (!OneOf(level, {"AUCTION_AD", "AUCTION_ADGROUP", "AUCTION_CAMPAIGN",
                     "AUCTION_ADVERTISER"})) {
    bad.push_back({"data_level", "unknown data level"});
  }
  if (req.dimensions_size() == 0) bad.push_back({"dimensions", "at least one"});
  if (req.metrics_size() == 0) bad.push_back({"metrics", "at least one"});
  if (req.page_size() < 0 || req.page_size() > 1000)
    bad.push_back({"page_size", "1-1000"});
  bool by_day = false, by_hour = false;
  for (const auto& d : req.dimensions()) {
    by_day |= d == "stat_time_day";
    by_hour |= d == "stat_time_hour";
  }
  if (req.lifetime()) {
    if (!req.start_date().empty() || !req.end_date().empty()) {
      bad.push_back({"lifetime", "lifetime takes no start_date/end_date"});
    }
    if (by_day || by_hour) {
      bad.push_back({"dimensions", "lifetime reports cannot split by time"});
    }
  } else {
    absl::CivilDay start, end;
    bool ok_start = absl::ParseCivilTime(req.start_date(), &start);
    bool ok_end = absl::ParseCivilTime(req.end_date(), &end);
    if (!ok_start)
      bad.push_back({"start_date", "required YYYY-MM-DD (or lifetime)"});
    if (!ok_end)
      bad.push_back({"end_date", "required YYYY-MM-DD (or lifetime)"});
    if (ok_start && ok_end) {
      int64_t days = end - start + 1;
      if (days < 1) {
        bad.push_back({"end_date", "must not be before start_date"});
      } else if (by_hour && days > 1) {
        bad.push_back({"end_date", "hourly reports cover at most 1 day"});
      } else if (by_day && days > 30) {
        // Reports: 30 days with stat_time_day, 365 otherwise.
        bad.push_back({"end_date", "daily reports cover at most 30 days"});
      } else if (days > 365) {
        bad.push_back({"end_date", "reports cover at most 365 days"});
      }
    }
  }
  json filtering;
  if (!req.filtering_json().empty()) {
    filtering = json::parse(req.filtering_json(), nullptr, false);
    // Reports, filtering: a list of {field_name, filter_type, filter_value}
    // objects, all three set; filter_value is a string.
    bool ok = !filtering.is_discarded() && filtering.is_array();
    for (size_t i = 0; ok && i < filtering.size(); ++i) {
      const json& f = filtering[i];
      ok = f.is_object() && f.size() == 3;
      for (const char* k : {"field_name", "filter_type", "filter_value"}) {
        ok = ok && f.contains(k) && f[k].is_string();
      }
    }
    if (!ok) {
      bad.push_back({"filtering_json",
                     "must be a JSON array of {field_name, filter_type, "
                     "filter_value} objects (strings)"});
    }
  }
  auto page = PageFromToken(req.page_token());
  if (!page.ok()) return page.status();
  if (!bad.empty())
    return status::InvalidArgument("invalid report request", std::move(bad));
  auto token = Token(call, req.advertiser_id());
  if (!token.ok()) return token.status();
  json params = {
      {"advertiser_id", token->advertiser_id},
      {"report_type", report_type},
      {"service_type", service_type},
      {"data_level", level},
      {"dimensions", std::vector<std::string>(req.dimensions().begin(),
                                              req.dimensions().end())},
      {"metrics",
       std::vector<std::string>(req.metrics().begin(), req.metrics().end())},
      {"page", *page},
      {"page_size", req.page_size() == 0 ? 10 : req.page_size()}};
  if (req.lifetime()) {
    params["query_lifetime"] = true;
  } else {
    params["start_date"] = req.start_date();
    params["end_date"] = req.end_date();
  }
  if (!filtering.is_null()) params["filtering"] = filtering;
  auto env = client_->Call(tiktok::HttpCall::Get("report/integrated/get/",
                                                 params, token->access_token),
                           call.deadline);
  if (!env.ok()) return env.status();
  v1::ListAdReportsResponse out;
  for (const auto& row : env->data.value("list", json::array())) {
    auto* r = out.add_rows();
    for (const char* part : {"dimensions", "metrics"}) {
      if (!row.contains(part) || !row[part].is_object()) continue;
      auto* map = std::string(part) == "dimensions" ? r->mutable_dimensions()
                                                    : r->mutable_metrics();
      for (const auto& [k, v] : row[part].items()) {
        std::string s = v.is_string() ? v.get<std::string>() : v.dump();
        if (s == "-" || v.is_null()) continue;  // absent, not zero
        (*map)[k] = s;
      }
    }
  }
  out.set_next_page_token(NextToken(env->data, *page));
  out.set_total_size(TotalNumber(env->data));
  return out;
}

absl::StatusOr<v1::ListIdentityVideosResponse> AdManager::IdentityVideos(
    const server::CallContext& call, const v1::ListIdentityVideosRequest& req) {
  if (req.identity_id().empty()) {
    return status::InvalidArgument("identity_id is required",
                                   {{"identity_id", "required"}});
  }
  if (req.identity_type() == common::v1::CUSTOMIZED_USER) {
    return status::InvalidArgument(
        "a CUSTOMIZED_USER has no TikTok posts",
        {{"identity_type", "Spark Ads need TT_USER, AUTH_CODE or BC_AUTH_TT"}});
  }
  auto token = Token(call, req.advertiser_id());
  if (!token.ok()) return token.status();
  json params = {{"advertiser_id", token->advertiser_id},
                 {"identity_id", req.identity_id()},
                 {"identity_type",
                  req.identity_type() == common::v1::IDENTITY_TYPE_UNSPECIFIED
                      ? "TT_USER"
                      : common::v1::IdentityType_Name(req.identity_type())}};
  if (req.identity_type() == common::v1::BC_AUTH_TT) {
    // TikTok requires the identity's Business Center for BC_AUTH_TT.
    auto bc = AuthorizedBcOf(options_.identity, call, token->advertiser_id,
                             req.identity_id());
    if (!bc.ok()) return bc.status();
    params["identity_authorized_bc_id"] = *bc;
  }
  if (!req.page_token().empty()) params["cursor"] = req.page_token();
  if (req.page_size() > 0) params["count"] = req.page_size();
  auto env = client_->Call(
      tiktok::HttpCall::Get("identity/video/get/", params, token->access_token),
      call.deadline);
  if (!env.ok()) return env.status();
  v1::ListIdentityVideosResponse out;
  for (const auto& item : env->data.value("video_list", json::array())) {
    auto* v = out.add_videos();
    v->set_item_id(Str(item, "item_id"));
    v->set_text(Str(item, "text"));
    // TikTok's video_info carries no video id (a post is addressed by
    // item_id); video_id stays empty.
    if (item.contains("video_info") && item["video_info"].is_object()) {
      v->set_cover_url(Str(item["video_info"], "poster_url"));
    }
  }
  if (env->data.value("has_more", false)) {
    out.set_next_page_token(env->data["cursor"].is_string()
                                ? env->data["cursor"].get<std::string>()
                                : env->data["cursor"].dump());
  }
  return out;
}

absl::StatusOr<v1::CallTikTokApiResponse> AdManager::Raw(
    const server::CallContext& call, const v1::CallTikTokApiRequest& req) {
  auto path = CanonicalRawCallPath(req.path());
  if (!path.ok()) return path.status();
  const std::string method = req.method().empty() ? "GET" : req.method();
  if (method != "GET" && method != "POST") {
    return status::InvalidArgument(
        "invalid API call",
        {{"method",
          "only GET and POST are supported (TikTok uses no others)"}});
  }
  if (absl::Status allowed =
          CheckRawCallAllowed(*path, options_.raw_call_allowlist);
      !allowed.ok()) {
    return allowed;
  }
  auto token = Token(call, req.advertiser_id());
  if (!token.ok()) return token.status();
  json params = json::object();
  for (const auto& [k, v] : req.query()) {
    json parsed = json::parse(v, nullptr, false);
    params[k] =
        (!parsed.is_discarded() && (parsed.is_array() || parsed.is_object()))
            ? parsed
            : json(v);
  }
  if (!params.contains("advertiser_id"))
    params["advertiser_id"] = token->advertiser_id;
  tiktok::HttpCall hc;
  if (method == "GET") {
    hc = tiktok::HttpCall::Get(path->substr(1), params, token->access_token);
  } else {
    std::string body_text;
    (void)google::protobuf::util::MessageToJsonString(req.body(), &body_text);
    json body =
        json::parse(body_text.empty() ? "{}" : body_text, nullptr, false);
    if (!body.is_object()) body = json::object();
    for (const auto& [k, v] : params.items()) {
      if (!body.contains(k)) body[k] = v;
    }
    hc = tiktok::HttpCall::Post(path->substr(1), body, token->access_token);
  }
  auto env = client_->Call(std::move(hc), call.deadline);
  if (!env.ok()) return env.status();
  v1::CallTikTokApiResponse out;
  out.set_code(env->code);
  out.set_message(env->message);
  out.set_request_id(env->request_id);
  if (env->data.is_object()) *out.mutable_data() = ToStruct(env->data);
  return out;
}

}  // namespace ttads::ads
