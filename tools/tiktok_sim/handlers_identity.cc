// Identity endpoints: list, create (CUSTOMIZED_USER only), posts of an
// identity. Answers follow TikTok's reference pages ("Get the identity
// list", "Create an identity", "Get posts under an identity"), cited in
// docs/tiktok-contract/identity.md. Parameter rules (required, enums,
// conditions, unknown parameters) are contract data (contract/identity.json),
// checked before these handlers run; what remains here needs the state.

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "tools/tiktok_sim/handlers.h"

namespace ttads::tiktok_sim {
namespace {

// The answer fields of one identity, as the reference lists them.
Json PublicIdentity(const Json& j) {
  const bool tiktok_account =
      j["identity_type"] == "TT_USER" || j["identity_type"] == "BC_AUTH_TT";
  Json out = {{"identity_id", j["identity_id"]},
              {"identity_type", j["identity_type"]},
              {"identity_authorized_bc_id",
               j.value("identity_authorized_bc_id", Json(nullptr))},
              {"display_name", j["display_name"]},
              {"profile_image", j["profile_image"]},
              {"can_push_video", j.value("can_push_video", false)},
              {"can_pull_video", j.value("can_pull_video", false)},
              {"can_use_live_ads", tiktok_account},
              {"can_manage_message", tiktok_account}};
  // "Only valid for TT_USER and BC_AUTH_TT type of identities."
  if (tiktok_account) out["available_status"] = j["available_status"];
  return out;
}

// GET /identity/get/. Without identity_type every identity is listed, but
// page_info is not reliable then ("Correct pagination info is available
// only when you have specified identity_type"): the simulator models that
// by counting only CUSTOMIZED_USER identities in it, so a client that
// trusts it misses the other types past the first page.
ApiResult IdentityGet(SimState& s, const ApiRequest& req) {
  std::string adv;
  if (auto e = RequireAdvertiser(req, &adv)) return *e;
  std::string type = ParamString(req.params, "identity_type").value_or("");
  std::string bc =
      ParamString(req.params, "identity_authorized_bc_id").value_or("");
  std::string keyword = ParamString(req.params, "keyword").value_or("");
  Paging paging;
  if (auto e = ReadPaging(req.params, 20, 100, &paging)) return *e;
  std::vector<Json> items;
  std::vector<Json> customized;
  for (const auto& j : SimState::OfAdvertiser(s.identities, adv)) {
    if (!type.empty() && j["identity_type"] != type) continue;
    if (type == "BC_AUTH_TT" &&
        j.value("identity_authorized_bc_id", "") != bc) {
      continue;
    }
    if (!keyword.empty() && j["identity_type"] == "CUSTOMIZED_USER" &&
        !absl::StrContains(absl::AsciiStrToLower(j.value("display_name", "")),
                           absl::AsciiStrToLower(keyword))) {
      continue;
    }
    items.push_back(PublicIdentity(j));
    if (j["identity_type"] == "CUSTOMIZED_USER") customized.push_back(j);
  }
  Json data = ListData("identity_list", items, paging);
  if (type.empty()) {
    Json unreliable;
    Paginate(customized, paging, &unreliable);
    data["page_info"] = unreliable;
  }
  return Ok(std::move(data));
}

// POST /identity/create/: advertiser_id, display_name (at most 100
// characters) and optional image_uri; only CUSTOMIZED_USER identities are
// created (the page has no identity_type parameter).
ApiResult IdentityCreate(SimState& s, const ApiRequest& req) {
  std::string adv;
  if (auto e = RequireAdvertiser(req, &adv)) return *e;
  std::string name = ParamString(req.params, "display_name").value_or("");
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
  s.identities[id] = {{"identity_id", id},
                      {"identity_type", "CUSTOMIZED_USER"},
                      {"advertiser_id", adv},
                      {"display_name", name},
                      {"profile_image", profile},
                      {"image_id", image},
                      {"available_status", "AVAILABLE"},
                      {"can_pull_video", false},
                      {"can_push_video", false}};
  return Ok({{"identity_id", id}});
}

// One post as the reference answers it: item_id, item_type, status, text,
// auth_info, anchor_list, video_info (format, bit_rate, width, height,
// duration, size, signature, url, poster_url — no video id) and
// carousel_info (null for videos).
Json PublicPost(const Json& v) {
  Json video_info = v.value("video_info", Json::object());
  video_info.erase("video_id");
  if (!video_info.contains("format")) video_info["format"] = "mp4";
  return {{"item_id", v["item_id"]},
          {"item_type", "VIDEO"},
          {"status", v.value("status", "ITEM_STATUS_HESITATE_RECOMMEND")},
          {"text", v.value("text", "")},
          {"auth_info", v.value("auth_info", Json::object())},
          {"anchor_list", Json::array()},
          {"video_info", video_info},
          {"carousel_info", nullptr}};
}

// GET /identity/video/get/: advertiser_id, identity_id and identity_type
// (AUTH_CODE, TT_USER, BC_AUTH_TT) required; identity_authorized_bc_id
// required for BC_AUTH_TT; keyword only for AUTH_CODE; item_type VIDEO
// (default) or CAROUSEL; count 1-20 (larger values read as 20); cursor from
// the previous answer.
ApiResult IdentityVideoGet(SimState& s, const ApiRequest& req) {
  std::string adv;
  if (auto e = RequireAdvertiser(req, &adv)) return *e;
  std::string id = ParamString(req.params, "identity_id").value_or("");
  std::string type = ParamString(req.params, "identity_type").value_or("");
  std::string bc =
      ParamString(req.params, "identity_authorized_bc_id").value_or("");
  std::string item_type = ParamString(req.params, "item_type").value_or("");
  std::string error;
  long long count = ParamInt(req.params, "count", &error).value_or(20);
  if (!error.empty()) return Err(kParamError, error);
  if (count > 20) count = 20;  // "greater than 20 ... ignored": at most 20.
  long long offset = 0;
  if (auto cursor = ParamString(req.params, "cursor");
      cursor && !cursor->empty() &&
      (!absl::SimpleAtoi(*cursor, &offset) || offset < 0)) {
    return Err(kParamError, "cursor: not a cursor from a previous answer");
  }
  auto it = s.identities.find(id);
  if (it == s.identities.end() || it->second["advertiser_id"] != adv ||
      it->second["identity_type"] != type) {
    return Err(kNotFound, "identity does not exist");
  }
  if (type == "BC_AUTH_TT" &&
      it->second.value("identity_authorized_bc_id", "") != bc) {
    return Err(kParamError,
               "identity_authorized_bc_id: not the Business Center of this "
               "identity");
  }
  std::vector<Json> posts;
  if (item_type != "CAROUSEL") {
    for (const auto& [item_id, v] : s.identity_videos) {
      if (v["identity_id"] == id) posts.push_back(PublicPost(v));
    }
  }
  Json list = Json::array();
  long long end = std::min<long long>(offset + count, posts.size());
  for (long long i = offset; i < end; ++i) list.push_back(posts[i]);
  return Ok({{"video_list", list},
             {"cursor", std::to_string(end)},
             {"has_more", end < static_cast<long long>(posts.size())}});
}

}  // namespace

void AddIdentityRoutes(std::vector<Route>& routes) {
  routes.push_back({"GET", "/identity/get/", true, false, IdentityGet});
  routes.push_back({"POST", "/identity/create/", true, false, IdentityCreate});
  routes.push_back(
      {"GET", "/identity/video/get/", true, false, IdentityVideoGet});
}

}  // namespace ttads::tiktok_sim
