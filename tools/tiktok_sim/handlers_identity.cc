// Identity endpoints: list, create (CUSTOMIZED_USER only), identity videos.

#include "absl/strings/str_cat.h"
#include "tools/tiktok_sim/handlers.h"

namespace ttads::tiktok_sim {
namespace {

const char* const kIdentityTypes[] = {"CUSTOMIZED_USER", "AUTH_CODE", "TT_USER",
                                      "BC_AUTH_TT", "TTS_TT"};

bool KnownType(const std::string& t) {
  for (const char* k : kIdentityTypes) {
    if (t == k) return true;
  }
  return false;
}

Json PublicIdentity(Json j) {
  j.erase("advertiser_id");
  j.erase("image_id");
  return j;
}

ApiResult IdentityGet(SimState& s, const ApiRequest& req) {
  std::string adv;
  if (auto e = RequireAdvertiser(req, &adv)) return *e;
  std::string type = ParamString(req.params, "identity_type").value_or("");
  if (!type.empty() && !KnownType(type)) {
    return Err(kParamError,
               absl::StrCat("identity_type: unknown value ", type));
  }
  std::string bc =
      ParamString(req.params, "identity_authorized_bc_id").value_or("");
  if (type == "BC_AUTH_TT" && bc.empty()) {
    return Err(kParamError,
               "identity_authorized_bc_id: required for BC_AUTH_TT");
  }
  Paging paging;
  if (auto e = ReadPaging(req.params, 20, 100, &paging)) return *e;
  std::vector<Json> items;
  for (const auto& j : SimState::OfAdvertiser(s.identities, adv)) {
    if (!type.empty() && j["identity_type"] != type) continue;
    if (!bc.empty() && j.value("identity_authorized_bc_id", "") != bc) {
      continue;
    }
    items.push_back(PublicIdentity(j));
  }
  return Ok(ListData("identity_list", items, paging));
}

ApiResult IdentityCreate(SimState& s, const ApiRequest& req) {
  std::string adv;
  if (auto e = RequireAdvertiser(req, &adv)) return *e;
  std::string type =
      ParamString(req.params, "identity_type").value_or("CUSTOMIZED_USER");
  if (type != "CUSTOMIZED_USER") {
    return Err(kParamError,
               "identity_type: only CUSTOMIZED_USER can be created");
  }
  auto name = ParamString(req.params, "display_name");
  if (!name || name->empty()) {
    return Err(kParamError, "display_name: required");
  }
  if (CodePointCount(*name) > 100) {
    return Err(kParamError, "display_name: at most 100 characters");
  }
  std::string image = ParamString(req.params, "image_uri").value_or("");
  std::string profile = "https://sim.local/avatar/default.png";
  if (!image.empty()) {
    auto it = s.images.find(image);
    if (it == s.images.end() || it->second["advertiser_id"] != adv) {
      return Err(kParamError, "image_uri: not an image_id of this advertiser");
    }
    profile = it->second["image_url"];
  }
  std::string id = s.NewId();
  s.identities[id] = {
      {"identity_id", id},       {"identity_type", "CUSTOMIZED_USER"},
      {"advertiser_id", adv},    {"display_name", *name},
      {"user_name", ""},         {"profile_image", profile},
      {"image_id", image},       {"available_status", "AVAILABLE"},
      {"can_pull_video", false}, {"can_push_video", false},
      {"ads_only_mode", false}};
  return Ok({{"identity_id", id}});
}

ApiResult IdentityVideoGet(SimState& s, const ApiRequest& req) {
  std::string adv;
  if (auto e = RequireAdvertiser(req, &adv)) return *e;
  std::string id = ParamString(req.params, "identity_id").value_or("");
  std::string type = ParamString(req.params, "identity_type").value_or("");
  if (id.empty()) return Err(kParamError, "identity_id: required");
  if (type.empty()) return Err(kParamError, "identity_type: required");
  auto it = s.identities.find(id);
  if (it == s.identities.end() || it->second["advertiser_id"] != adv ||
      it->second["identity_type"] != type) {
    return Err(kNotFound, "identity does not exist");
  }
  if (type == "CUSTOMIZED_USER") {
    return Err(kParamError, "identity_type: CUSTOMIZED_USER has no posts");
  }
  Json list = Json::array();
  for (const auto& [item_id, v] : s.identity_videos) {
    if (v["identity_id"] == id) {
      Json out = v;
      out.erase("identity_id");
      list.push_back(out);
    }
  }
  return Ok(
      {{"video_list", list}, {"cursor", list.size()}, {"has_more", false}});
}

}  // namespace

void AddIdentityRoutes(std::vector<Route>& routes) {
  routes.push_back({"GET", "/identity/get/", true, false, IdentityGet});
  routes.push_back({"POST", "/identity/create/", true, false, IdentityCreate});
  routes.push_back(
      {"GET", "/identity/video/get/", true, false, IdentityVideoGet});
}

}  // namespace ttads::tiktok_sim
