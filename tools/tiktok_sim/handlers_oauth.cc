// OAuth endpoints: auth_code exchange, advertiser list, token revocation.

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "tools/tiktok_sim/handlers.h"

namespace ttads::tiktok_sim {
namespace {

bool AppMatches(const SimState& s, const ApiRequest& req) {
  return ParamString(req.params, "app_id").value_or("") == s.app_id &&
         ParamString(req.params, "secret").value_or("") == s.app_secret;
}

ApiResult ExchangeAuthCode(SimState& s, const ApiRequest& req) {
  if (!AppMatches(s, req)) return Err(kBadApp, "invalid app_id or secret");
  std::string code = ParamString(req.params, "auth_code").value_or("");
  if (code.empty()) return Err(kParamError, "auth_code: required");
  auto it = s.auth_codes.find(code);
  if (it == s.auth_codes.end()) {
    return Err(kBadAuthCode, "auth_code is invalid");
  }
  if (it->second.used) {
    return Err(kBadAuthCode, "auth_code has already been used");
  }
  if (std::chrono::system_clock::now() >= it->second.expires_at) {
    return Err(kBadAuthCode, "auth_code has expired");
  }
  it->second.used = true;
  std::string token = s.NewSecret("act.");
  s.tokens[token] = {s.app_id, it->second.advertiser_ids, it->second.scopes,
                     false};
  return Ok({{"access_token", token},
             {"advertiser_ids", it->second.advertiser_ids},
             {"scope", it->second.scopes}});
}

ApiResult AdvertiserGet(SimState& s, const ApiRequest& req) {
  if (!AppMatches(s, req)) return Err(kBadApp, "invalid app_id or secret");
  Json list = Json::array();
  for (const auto& id : req.token_advertisers) {
    auto it = s.advertisers.find(id);
    if (it == s.advertisers.end()) continue;
    list.push_back({{"advertiser_id", id},
                    {"advertiser_name", it->second["advertiser_name"]}});
  }
  return Ok({{"list", list}});
}

ApiResult RevokeToken(SimState& s, const ApiRequest& req) {
  if (!AppMatches(s, req)) return Err(kBadApp, "invalid app_id or secret");
  std::string token = ParamString(req.params, "access_token").value_or("");
  auto it = s.tokens.find(token);
  if (it == s.tokens.end() || it->second.revoked) {
    return Err(kTokenInvalid, "access_token is invalid or already revoked");
  }
  it->second.revoked = true;
  return Ok(Json::object());
}

}  // namespace

void AddOAuthRoutes(std::vector<Route>& routes) {
  routes.push_back(
      {"POST", "/oauth2/access_token/", false, false, ExchangeAuthCode});
  routes.push_back(
      {"GET", "/oauth2/advertiser/get/", true, false, AdvertiserGet});
  routes.push_back(
      {"POST", "/oauth2/revoke_token/", false, false, RevokeToken});
}

}  // namespace ttads::tiktok_sim
