// OAuth endpoints: auth_code exchange, advertiser list, token revocation.
// Answers follow TikTok's reference pages (cited per endpoint in
// docs/tiktok-contract/identity.md). Parameters and headers are contract
// data (contract/identity.json), checked before these handlers run.

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "tools/tiktok_sim/handlers.h"

namespace ttads::tiktok_sim {
namespace {

// A wrong app_id/secret pair is 40101 (their presence is the contract's).
std::optional<ApiResult> CheckApp(const SimState& s, const ApiRequest& req) {
  std::string app_id = ParamString(req.params, "app_id").value_or("");
  std::string secret = ParamString(req.params, "secret").value_or("");
  if (app_id != s.app_id || secret != s.app_secret) {
    return Err(kBadApp, "invalid app_id or secret");
  }
  return std::nullopt;
}

// POST /oauth2/access_token/ ("Obtain a long-term access token").
ApiResult ExchangeAuthCode(SimState& s, const ApiRequest& req) {
  std::string code = ParamString(req.params, "auth_code").value_or("");
  if (auto e = CheckApp(s, req)) return *e;
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

// GET /oauth2/advertiser/get/ ("Get authorized ad accounts"); the
// Access-Token header is checked by the dispatcher.
ApiResult AdvertiserGet(SimState& s, const ApiRequest& req) {
  if (auto e = CheckApp(s, req)) return *e;
  Json list = Json::array();
  for (const auto& id : req.token_advertisers) {
    auto it = s.advertisers.find(id);
    if (it == s.advertisers.end()) continue;
    list.push_back({{"advertiser_id", id},
                    {"advertiser_name", it->second["advertiser_name"]}});
  }
  return Ok({{"list", list}});
}

// POST /oauth2/revoke_token/ ("Revoke a long-term access token"): the
// Access-Token header is required (the contract: 40104 when absent; the
// dispatcher: 40105 when invalid or revoked), and so are app_id, secret and
// the access_token to revoke in the body.
ApiResult RevokeToken(SimState& s, const ApiRequest& req) {
  std::string token = ParamString(req.params, "access_token").value_or("");
  if (auto e = CheckApp(s, req)) return *e;
  auto it = s.tokens.find(token);
  if (it == s.tokens.end() || it->second.revoked ||
      it->second.app_id != s.app_id) {
    return Err(kTokenInvalid, "access_token is invalid or already revoked");
  }
  it->second.revoked = true;
  return Ok({{"advertiser_ids", it->second.advertiser_ids},
             {"app_id", it->second.app_id}});
}

}  // namespace

void AddOAuthRoutes(std::vector<Route>& routes) {
  routes.push_back(
      {"POST", "/oauth2/access_token/", false, false, ExchangeAuthCode});
  routes.push_back(
      {"GET", "/oauth2/advertiser/get/", true, false, AdvertiserGet});
  routes.push_back({"POST", "/oauth2/revoke_token/", true, false, RevokeToken});
}

}  // namespace ttads::tiktok_sim
