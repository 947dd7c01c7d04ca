// OAuth endpoints: auth_code exchange, advertiser list, token revocation.
// Parameters, headers and answers follow TikTok's reference pages (cited per
// endpoint in docs/tiktok-contract/identity.md).

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "tools/tiktok_sim/handlers.h"
#include "tools/tiktok_sim/param_rules.h"

namespace ttads::tiktok_sim {
namespace {

// app_id and secret are required on every OAuth endpoint (40002 naming the
// missing one); a wrong pair is 40101.
std::optional<ApiResult> CheckApp(const SimState& s, const ApiRequest& req) {
  std::string app_id, secret;
  if (auto e = RequireParam(req, "app_id", &app_id)) return e;
  if (auto e = RequireParam(req, "secret", &secret)) return e;
  if (app_id != s.app_id || secret != s.app_secret) {
    return Err(kBadApp, "invalid app_id or secret");
  }
  return std::nullopt;
}

// POST /oauth2/access_token/ ("Obtain a long-term access token").
ApiResult ExchangeAuthCode(SimState& s, const ApiRequest& req) {
  if (auto e = OnlyParams(req, {"app_id", "secret", "auth_code"})) return *e;
  std::string code;
  if (auto e = RequireParam(req, "auth_code", &code)) return *e;
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
  if (auto e = OnlyParams(req, {"app_id", "secret"})) return *e;
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
// Access-Token header is required (checked by the dispatcher: 40104 when
// absent, 40105 when invalid or revoked), and so are app_id, secret and the
// access_token to revoke in the body.
ApiResult RevokeToken(SimState& s, const ApiRequest& req) {
  if (auto e = OnlyParams(req, {"app_id", "secret", "access_token"})) {
    return *e;
  }
  std::string token;
  if (auto e = RequireParam(req, "access_token", &token)) return *e;
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
