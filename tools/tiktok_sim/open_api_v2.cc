#include "tools/tiktok_sim/open_api_v2.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace ttads::tiktok_sim {

http::HttpResponse JsonReply(int status, const Json& j) {
  return http::HttpResponse::Json(
      status, j.dump(-1, ' ', false, Json::error_handler_t::replace));
}

http::HttpResponse OpenApiError(int http_status, const std::string& code,
                                const std::string& message,
                                const std::string& log_id) {
  return JsonReply(
      http_status,
      {{"data", Json::object()},
       {"error", {{"code", code}, {"message", message}, {"log_id", log_id}}}});
}

std::optional<http::HttpResponse> AuthorizeUser(
    SimState& s, const http::HttpRequest& req, const std::string& scope,
    const std::string& log_id, std::chrono::system_clock::time_point now,
    const UserGrant** grant) {
  auto error = [&](int status, const std::string& code,
                   const std::string& message) {
    return OpenApiError(status, code, message, log_id);
  };
  std::string auth = req.headers.Get("Authorization").value_or("");
  if (!absl::StartsWith(auth, "Bearer ")) {
    return error(401, "access_token_invalid",
                 "The access token is invalid or not found in the request.");
  }
  auto tok = s.open.access_tokens.find(auth.substr(7));
  if (tok == s.open.access_tokens.end()) {
    return error(401, "access_token_invalid",
                 "The access token is invalid or not found in the request.");
  }
  ++tok->second.calls;
  const UserGrant& g = s.open.grants[tok->second.grant_id];
  if (g.revoked || now >= tok->second.expires_at) {
    return error(401, "access_token_invalid",
                 "Access token is expired or revoked, please refresh token "
                 "and retry");
  }
  if (!g.scopes.count(scope)) {
    return error(401, "scope_not_authorized",
                 absl::StrCat("The user did not authorize the scope required "
                              "for completing this request: ",
                              scope));
  }
  *grant = &g;
  return std::nullopt;
}

std::optional<http::HttpResponse> AuthorizeUserPost(
    SimState& s, const http::HttpRequest& req, const std::string& scope,
    const std::string& log_id, std::chrono::system_clock::time_point now,
    const UserGrant** grant) {
  if (req.method != "POST") {
    return http::HttpResponse::Text(405, "405 method not allowed\n");
  }
  return AuthorizeUser(s, req, scope, log_id, now, grant);
}

}  // namespace ttads::tiktok_sim
