// Ads: create, get (filtering + paging), update (patch or full), status
// update. The request's shape is checked against contract/ads.json before
// these run; the handlers check what needs state (ids, identities, media).

#include <set>

#include "absl/strings/str_cat.h"
#include "tools/tiktok_sim/handlers.h"

namespace ttads::tiktok_sim {
namespace {

const std::set<std::string> kCtas = {
    "LEARN_MORE",    "SHOP_NOW",   "SIGN_UP",     "DOWNLOAD_NOW",
    "INSTALL_NOW",   "CONTACT_US", "APPLY_NOW",   "BOOK_NOW",
    "ORDER_NOW",     "WATCH_NOW",  "SUBSCRIBE",   "GET_QUOTE",
    "SEND_MESSAGE",  "CALL_NOW",   "VISIT_STORE", "PLAY_GAME",
    "GET_SHOWTIMES", "LISTEN_NOW", "READ_MORE",   "VIEW_NOW",
    "INTERESTED",    "CONTACT_US"};

std::string Field(const Json& c, const char* key) {
  auto it = c.find(key);
  if (it == c.end() || !it->is_string()) return "";
  return it->get<std::string>();
}

// Checks what one creative of `adv` refers to (identity, post, video,
// images). Its shape (required and conditionally required fields, enums,
// lengths, list sizes; create, full and patch update alike) is the
// contract's, checked before the handler runs. `prefix` names the creative
// in messages ("creatives[2].").
std::optional<ApiResult> ValidateCreative(const SimState& s,
                                          const std::string& adv, const Json& c,
                                          const std::string& prefix) {
  if (!c.is_object()) return Err(kParamError, prefix + ": must be an object");
  // The call-to-action enumeration page is not mirrored, so its value is
  // checked here rather than by the contract (docs/tiktok-contract/ads.md).
  std::string cta = Field(c, "call_to_action");
  if (!cta.empty() && !kCtas.count(cta)) {
    return Err(kParamError, prefix + "call_to_action: unknown value " + cta);
  }
  std::string identity_id = Field(c, "identity_id");
  std::string identity_type = Field(c, "identity_type");
  if (c.contains("identity_id")) {
    auto it = s.identities.find(identity_id);
    if (it == s.identities.end() || it->second["advertiser_id"] != adv ||
        it->second["identity_type"] != identity_type) {
      return Err(kParamError, prefix +
                                  "identity_id: identity not found for "
                                  "this advertiser and identity_type");
    }
    if (identity_type == "BC_AUTH_TT" &&
        Field(c, "identity_authorized_bc_id") !=
            it->second.value("identity_authorized_bc_id", "")) {
      return Err(kParamError, prefix +
                                  "identity_authorized_bc_id: must match the "
                                  "identity's");
    }
    if (it->second.value("available_status", "") != "AVAILABLE") {
      return Err(kParamError, prefix + "identity_id: identity not available (" +
                                  it->second.value("available_status", "") +
                                  ")");
    }
  }
  std::string item = Field(c, "tiktok_item_id");
  if (!item.empty()) {
    auto it = s.identity_videos.find(item);
    if (it == s.identity_videos.end() ||
        (!identity_id.empty() && it->second["identity_id"] != identity_id)) {
      return Err(kParamError,
                 prefix + "tiktok_item_id: post not found for this identity");
    }
  }
  std::string video = Field(c, "video_id");
  if (!video.empty()) {
    auto it = s.videos.find(video);
    if (it == s.videos.end() || it->second["advertiser_id"] != adv) {
      return Err(kParamError, prefix + "video_id: not found");
    }
  }
  for (const auto& img : c.value("image_ids", Json::array())) {
    auto it = img.is_string() ? s.images.find(img.get<std::string>())
                              : s.images.end();
    if (it == s.images.end() || it->second["advertiser_id"] != adv) {
      return Err(kParamError, prefix + "image_ids: image not found");
    }
  }
  return std::nullopt;
}

Json PublicAd(const Json& ad, const std::optional<Json>& fields) {
  if (!fields || !fields->is_array() || fields->empty()) return ad;
  Json out = Json::object();
  for (const auto& f : *fields) {
    if (f.is_string() && ad.contains(f.get<std::string>())) {
      out[f.get<std::string>()] = ad[f.get<std::string>()];
    }
  }
  return out;
}

ApiResult AdCreate(SimState& s, const ApiRequest& req) {
  std::string adv;
  if (auto e = RequireAdvertiser(req, &adv)) return *e;
  std::string gid = ParamString(req.params, "adgroup_id").value_or("");
  auto g = s.adgroups.find(gid);
  if (gid.empty() || g == s.adgroups.end() ||
      g->second["advertiser_id"] != adv) {
    return Err(kParamError, "adgroup_id: ad group not found");
  }
  std::string error;
  auto creatives = ParamJson(req.params, "creatives", &error);
  if (!error.empty()) return Err(kParamError, error);
  if (!creatives || !creatives->is_array()) {  // The contract requires it.
    return Err(kParamError, "creatives: required");
  }
  for (size_t i = 0; i < creatives->size(); ++i) {
    if (auto e = ValidateCreative(s, adv, (*creatives)[i],
                                  absl::StrCat("creatives[", i, "]."))) {
      return *e;
    }
  }
  Json ids = Json::array();
  std::string now = NowString();
  for (const auto& c : *creatives) {
    std::string id = s.NewId();
    Json ad = c;
    ad["ad_id"] = id;
    ad["advertiser_id"] = adv;
    ad["adgroup_id"] = gid;
    ad["campaign_id"] = g->second["campaign_id"];
    if (Field(c, "ad_name").empty()) ad["ad_name"] = absl::StrCat("Ad ", id);
    std::string op = Field(c, "operation_status");
    ad["operation_status"] = op == "DISABLE" ? "DISABLE" : "ENABLE";
    ad["secondary_status"] =
        op == "DISABLE" ? "AD_STATUS_DISABLE" : "AD_STATUS_DELIVERY_OK";
    ad["create_time"] = now;
    ad["modify_time"] = now;
    s.ads[id] = ad;
    ids.push_back(id);
  }
  return Ok({{"ad_ids", ids}});
}

bool InList(const std::optional<Json>& list, const Json& value) {
  if (!list || !list->is_array() || list->empty()) return true;
  for (const auto& v : *list) {
    if (v == value) return true;
  }
  return false;
}

ApiResult AdGet(SimState& s, const ApiRequest& req) {
  std::string adv;
  if (auto e = RequireAdvertiser(req, &adv)) return *e;
  Paging paging;
  if (auto e = ReadPaging(req.params, 10, 1000, &paging)) return *e;
  std::string error;
  auto filtering = ParamJson(req.params, "filtering", &error);
  auto fields = ParamJson(req.params, "fields", &error);
  if (!error.empty()) return Err(kParamError, error);
  Json f = filtering.value_or(Json::object());
  if (!f.is_object()) return Err(kParamError, "filtering: must be an object");
  auto list_of = [&](const char* key) -> std::optional<Json> {
    if (!f.contains(key)) return std::nullopt;
    return f[key];
  };
  std::string primary = f.value("primary_status", "STATUS_NOT_DELETE");
  std::string start = f.value("creation_filter_start_time", "");
  std::string end = f.value("creation_filter_end_time", "");
  std::string modified_after = f.value("modified_after", "");
  std::vector<Json> items;
  for (const auto& ad : SimState::OfAdvertiser(s.ads, adv)) {
    if (!InList(list_of("campaign_ids"), ad["campaign_id"])) continue;
    if (!InList(list_of("adgroup_ids"), ad["adgroup_id"])) continue;
    if (!InList(list_of("ad_ids"), ad["ad_id"])) continue;
    std::string secondary = ad.value("secondary_status", "");
    bool deleted = secondary == "AD_STATUS_DELETE";
    if (primary == "STATUS_NOT_DELETE" && deleted) continue;
    if (primary == "STATUS_DELETE" && !deleted) continue;
    if (primary == "STATUS_DISABLE" && secondary != "AD_STATUS_DISABLE") {
      continue;
    }
    if (primary == "STATUS_DELIVERY_OK" &&
        secondary != "AD_STATUS_DELIVERY_OK") {
      continue;
    }
    std::string created = ad.value("create_time", "");
    if (!start.empty() && created < start) continue;
    if (!end.empty() && created > end) continue;
    if (!modified_after.empty() &&
        ad.value("modify_time", "") <= modified_after) {
      continue;
    }
    Json out = ad;
    out.erase("advertiser_id");
    out["advertiser_id"] = adv;
    items.push_back(PublicAd(out, fields));
  }
  return Ok(ListData("list", items, paging));
}

ApiResult AdUpdate(SimState& s, const ApiRequest& req) {
  std::string adv;
  if (auto e = RequireAdvertiser(req, &adv)) return *e;
  std::string gid = ParamString(req.params, "adgroup_id").value_or("");
  // patch_update true: only the fields sent change (the contract limits
  // which); false: the creative is replaced by the one sent.
  auto patch_it = req.params.find("patch_update");
  bool patch = patch_it != req.params.end() && *patch_it == true;
  std::string error;
  auto creatives = ParamJson(req.params, "creatives", &error);
  if (!error.empty()) return Err(kParamError, error);
  if (!creatives || !creatives->is_array()) {  // The contract requires it.
    return Err(kParamError, "creatives: required");
  }
  for (size_t i = 0; i < creatives->size(); ++i) {
    const Json& c = (*creatives)[i];
    std::string prefix = absl::StrCat("creatives[", i, "].");
    std::string id = Field(c, "ad_id");
    auto it = s.ads.find(id);
    if (id.empty() || it == s.ads.end() || it->second["advertiser_id"] != adv ||
        (!gid.empty() && it->second["adgroup_id"] != gid)) {
      return Err(kParamError, prefix + "ad_id: ad not found in this ad group");
    }
    if (it->second["secondary_status"] == "AD_STATUS_DELETE") {
      return Err(kParamError, prefix + "ad_id: a deleted ad cannot be updated");
    }
    if (auto e = ValidateCreative(s, adv, c, prefix)) return *e;
  }
  std::string now = NowString();
  Json ids = Json::array();
  for (const auto& c : *creatives) {
    Json& ad = s.ads[Field(c, "ad_id")];
    if (!patch) {
      // A full update replaces the creative: fields it leaves out are gone.
      Json kept = Json::object();
      for (const char* k :
           {"ad_id", "advertiser_id", "adgroup_id", "campaign_id",
            "create_time", "operation_status", "secondary_status"}) {
        if (ad.contains(k)) kept[k] = ad[k];
      }
      ad = kept;
    }
    for (auto& [k, v] : c.items()) {
      if (k == "ad_id" || k == "advertiser_id" || k == "adgroup_id" ||
          k == "campaign_id" || k == "create_time") {
        continue;
      }
      ad[k] = v;
    }
    ad["modify_time"] = now;
    ids.push_back(ad["ad_id"]);
  }
  return Ok({{"ad_ids", ids}});
}

ApiResult AdStatusUpdate(SimState& s, const ApiRequest& req) {
  std::string adv;
  if (auto e = RequireAdvertiser(req, &adv)) return *e;
  std::string error;
  auto ids = ParamStringList(req.params, "ad_ids", &error);
  if (!error.empty()) return Err(kParamError, error);
  // The contract takes ad_ids or aco_ad_ids (1-20) and the operation_status
  // enum; ACO ads are not simulated.
  if (!ids || ids->empty()) {
    return Err(kParamError, "ad_ids: required (aco_ad_ids are not simulated)");
  }
  std::string op = ParamString(req.params, "operation_status").value_or("");
  for (const auto& id : *ids) {
    auto it = s.ads.find(id);
    if (it == s.ads.end() || it->second["advertiser_id"] != adv) {
      return Err(kNotFound, absl::StrCat("ad ", id, " does not exist"));
    }
    if (it->second["secondary_status"] == "AD_STATUS_DELETE") {
      return Err(
          kParamError,
          absl::StrCat("ad ", id, " is deleted; its status cannot change"));
    }
  }
  std::string now = NowString();
  for (const auto& id : *ids) {
    Json& ad = s.ads[id];
    if (op == "DELETE") {
      ad["secondary_status"] = "AD_STATUS_DELETE";
    } else {
      ad["operation_status"] = op;
      ad["secondary_status"] =
          op == "ENABLE" ? "AD_STATUS_DELIVERY_OK" : "AD_STATUS_DISABLE";
    }
    ad["modify_time"] = now;
  }
  return Ok({{"ad_ids", *ids}, {"status", op}});
}

}  // namespace

void AddAdRoutes(std::vector<Route>& routes) {
  routes.push_back({"POST", "/ad/create/", true, true, AdCreate});
  routes.push_back({"GET", "/ad/get/", true, false, AdGet});
  routes.push_back({"POST", "/ad/update/", true, false, AdUpdate});
  routes.push_back({"POST", "/ad/status/update/", true, false, AdStatusUpdate});
}

}  // namespace ttads::tiktok_sim
