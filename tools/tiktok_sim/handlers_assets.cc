// Read-only assets: campaigns, ad groups, pixels, catalogs, apps, lead forms.

#include "absl/strings/str_cat.h"
#include "tools/tiktok_sim/handlers.h"

namespace ttads::tiktok_sim {
namespace {

Json WithoutInternal(Json j) {
  j.erase("advertiser_id");
  return j;
}

// Shared by campaign/get and adgroup/get: `filtering` with id lists and
// objective_type.
ApiResult ListStructure(const std::map<std::string, Json>& m,
                        const ApiRequest& req, const char* id_key) {
  std::string adv;
  if (auto e = RequireAdvertiser(req, &adv)) return *e;
  Paging paging;
  if (auto e = ReadPaging(req.params, 10, 1000, &paging)) return *e;
  std::string error;
  Json f = ParamJson(req.params, "filtering", &error).value_or(Json::object());
  if (!error.empty()) return Err(kParamError, error);
  if (!f.is_object()) return Err(kParamError, "filtering: must be an object");
  std::vector<Json> items;
  for (const auto& j : SimState::OfAdvertiser(m, adv)) {
    bool keep = true;
    for (const char* key : {"campaign_ids", "adgroup_ids"}) {
      if (!f.contains(key) || !f[key].is_array() || f[key].empty()) continue;
      std::string field =
          std::string(key).substr(0, std::string(key).size() - 1);
      if (!j.contains(field)) continue;
      bool found = false;
      for (const auto& v : f[key]) found = found || v == j[field];
      keep = keep && found;
    }
    if (f.contains("objective_type") &&
        j.value("objective_type", f["objective_type"].get<std::string>()) !=
            f["objective_type"]) {
      keep = false;
    }
    if (keep) {
      Json out = j;  // TikTok keeps advertiser_id on these objects.
      items.push_back(out);
    }
  }
  (void)id_key;
  return Ok(ListData("list", items, paging));
}

ApiResult CampaignGet(SimState& s, const ApiRequest& req) {
  return ListStructure(s.campaigns, req, "campaign_id");
}

ApiResult AdGroupGet(SimState& s, const ApiRequest& req) {
  // Ad groups carry the campaign's objective for filtering convenience.
  std::map<std::string, Json> groups = s.adgroups;
  for (auto& [id, g] : groups) {
    auto c = s.campaigns.find(g.value("campaign_id", ""));
    if (c != s.campaigns.end())
      g["objective_type"] = c->second["objective_type"];
  }
  return ListStructure(groups, req, "adgroup_id");
}

ApiResult PixelList(SimState& s, const ApiRequest& req) {
  std::string adv;
  if (auto e = RequireAdvertiser(req, &adv)) return *e;
  Paging paging;
  if (auto e = ReadPaging(req.params, 20, 20, &paging)) return *e;
  std::string want = ParamString(req.params, "pixel_id").value_or("");
  std::vector<Json> items;
  for (const auto& j : SimState::OfAdvertiser(s.pixels, adv)) {
    if (!want.empty() && j["pixel_id"] != want) continue;
    items.push_back(WithoutInternal(j));
  }
  return Ok(ListData("pixels", items, paging));
}

ApiResult CatalogGet(SimState& s, const ApiRequest& req) {
  // bc_id is required by the contract (contract/assets.json).
  std::string bc = ParamString(req.params, "bc_id").value_or("");
  bool reachable = false;
  for (const auto& id : req.token_advertisers) {
    auto it = s.advertisers.find(id);
    if (it != s.advertisers.end() && it->second.value("bc_id", "") == bc) {
      reachable = true;
    }
  }
  if (!reachable || !s.business_centers.count(bc)) {
    return Err(kNoPermission, "no permission for this Business Center");
  }
  Paging paging;
  if (auto e = ReadPaging(req.params, 10, 1000, &paging)) return *e;
  std::string want = ParamString(req.params, "catalog_id").value_or("");
  std::vector<Json> items;
  for (const auto& [id, c] : s.catalogs) {
    if (c["bc_id"] != bc) continue;
    if (!want.empty() && id != want) continue;
    items.push_back(c);
  }
  return Ok(ListData("list", items, paging));
}

ApiResult AppList(SimState& s, const ApiRequest& req) {
  std::string adv;
  if (auto e = RequireAdvertiser(req, &adv)) return *e;
  Json apps = Json::array();
  for (const auto& j : SimState::OfAdvertiser(s.apps, adv)) {
    apps.push_back(WithoutInternal(j));
  }
  return Ok({{"apps", apps}});
}

ApiResult PageGet(SimState& s, const ApiRequest& req) {
  std::string adv;
  if (auto e = RequireAdvertiser(req, &adv)) return *e;
  Paging paging;
  if (auto e = ReadPaging(req.params, 10, 100, &paging)) return *e;
  std::string type =
      ParamString(req.params, "business_type").value_or("LEAD_GEN");
  std::string status = ParamString(req.params, "status").value_or("");
  std::vector<Json> items;
  for (const auto& j : SimState::OfAdvertiser(s.pages, adv)) {
    if (j["business_type"] != type) continue;
    if (!status.empty() && j["status"] != status) continue;
    items.push_back(WithoutInternal(j));
  }
  return Ok(ListData("list", items, paging));
}

}  // namespace

void AddAssetRoutes(std::vector<Route>& routes) {
  routes.push_back({"GET", "/campaign/get/", true, false, CampaignGet});
  routes.push_back({"GET", "/adgroup/get/", true, false, AdGroupGet});
  routes.push_back({"GET", "/pixel/list/", true, false, PixelList});
  routes.push_back({"GET", "/catalog/get/", true, false, CatalogGet});
  routes.push_back({"GET", "/app/list/", true, false, AppList});
  routes.push_back({"GET", "/page/get/", true, false, PageGet});
}

std::optional<ApiResult> RequireAdvertiser(const ApiRequest& req,
                                           std::string* advertiser_id) {
  auto adv = ParamString(req.params, "advertiser_id");
  if (!adv || adv->empty()) return Err(kParamError, "advertiser_id: required");
  *advertiser_id = *adv;
  return std::nullopt;
}

Json ListData(const std::string& list_key, const std::vector<Json>& items,
              const Paging& paging) {
  Json page_info;
  Json page = Paginate(items, paging, &page_info);
  return {{list_key, page}, {"page_info", page_info}};
}

std::vector<Route> AllRoutes() {
  std::vector<Route> routes;
  AddOAuthRoutes(routes);
  AddIdentityRoutes(routes);
  AddFileRoutes(routes);
  AddAdRoutes(routes);
  AddAssetRoutes(routes);
  AddReportRoutes(routes);
  AddDmpRoutes(routes);
  return routes;
}

}  // namespace ttads::tiktok_sim
