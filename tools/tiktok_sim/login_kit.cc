#include "tools/tiktok_sim/login_kit.h"

#include <algorithm>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "libs/http/query.h"
#include "tools/tiktok_sim/open_api_v2.h"

namespace ttads::tiktok_sim {
namespace {

using Clock = std::chrono::system_clock;

// Scopes a consent may ask for (TikTok's scope overview; share.sound.create
// is the name Ibexa's Upload a Sound module shows).
constexpr const char* kKnownScopes[] = {
    "user.info.basic", "user.info.profile", "user.info.stats",   "video.list",
    "video.upload",    "video.publish",     "share.sound.create"};

http::HttpResponse OAuthError(int status, const std::string& error,
                              const std::string& description,
                              const std::string& log_id) {
  return JsonReply(status, {{"error", error},
                            {"error_description", description},
                            {"log_id", log_id}});
}

bool KnownScope(const std::string& s) {
  return std::find_if(std::begin(kKnownScopes), std::end(kKnownScopes),
                      [&](const char* k) { return s == k; }) !=
         std::end(kKnownScopes);
}

std::set<std::string> SplitScopes(const std::string& raw) {
  std::set<std::string> out;
  for (absl::string_view s : absl::StrSplit(raw, ',', absl::SkipWhitespace())) {
    out.emplace(absl::StripAsciiWhitespace(s));
  }
  return out;
}

std::string First(const http::QueryParams& q, const std::string& key) {
  auto it = q.find(key);
  return it == q.end() ? "" : it->second;
}

std::string Redirect(
    const std::string& uri,
    const std::vector<std::pair<std::string, std::string>>& params) {
  std::string out = uri;
  char sep = uri.find('?') == std::string::npos ? '?' : '&';
  for (const auto& [k, v] : params) {
    absl::StrAppend(&out, std::string(1, sep), k, "=", http::PercentEncode(v));
    sep = '&';
  }
  return out;
}

http::HttpResponse Found(const std::string& location) {
  http::HttpResponse r = http::HttpResponse::Text(
      302, absl::StrCat("Redirecting to ", location, "\n"));
  r.headers.Add("Location", location);
  return r;
}

// Issues a new access token for the grant and rotates its refresh token;
// returns the token endpoint's answer.
Json TokenAnswer(SimState& s, uint64_t grant_id, Clock::time_point now) {
  UserGrant& g = s.open.grants[grant_id];
  std::string access = s.NewSecret("act.");
  s.open.access_tokens[access] = {grant_id, now + s.open.access_token_ttl, 0};
  if (!g.refresh_token.empty()) s.open.refresh_tokens.erase(g.refresh_token);
  g.refresh_token = s.NewSecret("rft.");
  g.refresh_expires_at = now + s.open.refresh_token_ttl;
  s.open.refresh_tokens[g.refresh_token] = grant_id;
  return {{"access_token", access},
          {"expires_in", s.open.access_token_ttl.count()},
          {"open_id", g.open_id},
          {"refresh_token", g.refresh_token},
          {"refresh_expires_in", s.open.refresh_token_ttl.count()},
          {"scope", absl::StrJoin(g.scopes, ",")},
          {"token_type", "Bearer"}};
}

// The start both POST paths share: 405 (text) for another method, then the
// application/x-www-form-urlencoded body into *form, or invalid_request for
// another content type. nullopt when the request may go on.
std::optional<http::HttpResponse> ReadForm(const http::HttpRequest& req,
                                           const std::string& log_id,
                                           http::QueryParams* form) {
  if (req.method != "POST") {
    return http::HttpResponse::Text(405, "405 method not allowed\n");
  }
  std::string type = req.headers.Get("Content-Type").value_or("");
  if (!absl::StartsWithIgnoreCase(type, "application/x-www-form-urlencoded")) {
    return OAuthError(400, "invalid_request",
                      "Content-Type must be application/x-www-form-urlencoded",
                      log_id);
  }
  *form = http::ParseQuery(req.body);
  return std::nullopt;
}

}  // namespace

http::HttpResponse HandleAuthorize(SimState& s, const http::HttpRequest& req,
                                   Clock::time_point now) {
  if (req.method != "GET") {
    return http::HttpResponse::Text(405, "405 method not allowed\n");
  }
  const std::string client_key = req.QueryParam("client_key").value_or("");
  const std::string redirect = req.QueryParam("redirect_uri").value_or("");
  const std::string state = req.QueryParam("state").value_or("");
  if (client_key != s.app_id) {
    return http::HttpResponse::Text(400, "unknown client_key\n");
  }
  if (!absl::StartsWith(redirect, "https://") &&
      !absl::StartsWith(redirect, "http://")) {
    return http::HttpResponse::Text(400,
                                    "redirect_uri must be an http(s) URL\n");
  }
  auto fail = [&](const std::string& error, const std::string& description) {
    return Found(Redirect(redirect, {{"error", error},
                                     {"error_description", description},
                                     {"state", state}}));
  };
  if (req.QueryParam("response_type").value_or("") != "code") {
    return fail("unsupported_response_type", "response_type must be code");
  }
  std::set<std::string> asked =
      SplitScopes(req.QueryParam("scope").value_or(""));
  if (asked.empty()) return fail("invalid_scope", "scope is required");
  for (const auto& sc : asked) {
    if (!KnownScope(sc)) {
      return fail("invalid_scope", absl::StrCat("unknown scope ", sc));
    }
  }
  if (req.QueryParam("deny").value_or("") == "1") {
    return fail("access_denied", "the user declined");
  }
  std::string open_id = req.QueryParam("open_id").value_or("");
  if (open_id.empty() && !s.open.users.empty()) {
    open_id = s.open.users.begin()->first;
  }
  if (!s.open.users.count(open_id)) {
    return http::HttpResponse::Text(400, "unknown open_id\n");
  }
  std::set<std::string> granted = asked;
  if (auto g = req.QueryParam("grant")) {
    granted.clear();
    for (const auto& sc : SplitScopes(*g)) {
      if (asked.count(sc)) granted.insert(sc);
    }
  }
  std::string code = s.NewSecret("");
  s.open.codes[code] = {open_id, granted, redirect, now + s.auth_code_ttl,
                        false};
  return Found(Redirect(redirect, {{"code", code},
                                   {"scopes", absl::StrJoin(granted, ",")},
                                   {"state", state}}));
}

http::HttpResponse HandleToken(SimState& s, const http::HttpRequest& req,
                               const std::string& log_id,
                               Clock::time_point now) {
  http::QueryParams form;
  if (auto refused = ReadForm(req, log_id, &form)) return *refused;
  const std::string client_key = First(form, "client_key");
  const std::string secret = First(form, "client_secret");
  const std::string grant_type = First(form, "grant_type");
  if (client_key.empty() || secret.empty() || grant_type.empty()) {
    return OAuthError(400, "invalid_request",
                      "client_key, client_secret and grant_type are required",
                      log_id);
  }
  if (client_key != s.app_id || secret != s.app_secret) {
    return OAuthError(401, "invalid_client", "Client key or secret is invalid",
                      log_id);
  }
  if (grant_type == "authorization_code") {
    const std::string code = First(form, "code");
    const std::string redirect = First(form, "redirect_uri");
    if (code.empty() || redirect.empty()) {
      return OAuthError(400, "invalid_request",
                        "code and redirect_uri are required", log_id);
    }
    auto it = s.open.codes.find(code);
    if (it == s.open.codes.end() || it->second.used ||
        now >= it->second.expires_at) {
      return OAuthError(400, "invalid_grant",
                        "Authorization code is expired or invalid", log_id);
    }
    if (it->second.redirect_uri != redirect) {
      return OAuthError(400, "invalid_grant",
                        "redirect_uri does not match the authorization",
                        log_id);
    }
    it->second.used = true;
    uint64_t id = s.open.next_grant_id++;
    s.open.grants[id] = {
        it->second.open_id, client_key, it->second.scopes, "", {}, false};
    return JsonReply(200, TokenAnswer(s, id, now));
  }
  if (grant_type == "refresh_token") {
    const std::string refresh = First(form, "refresh_token");
    if (refresh.empty()) {
      return OAuthError(400, "invalid_request", "refresh_token is required",
                        log_id);
    }
    auto it = s.open.refresh_tokens.find(refresh);
    if (it == s.open.refresh_tokens.end()) {
      return OAuthError(400, "invalid_grant",
                        "Refresh token is invalid or expired", log_id);
    }
    UserGrant& g = s.open.grants[it->second];
    if (g.revoked || now >= g.refresh_expires_at) {
      return OAuthError(400, "invalid_grant",
                        "Refresh token is invalid or expired", log_id);
    }
    ++s.open.refreshes;
    return JsonReply(200, TokenAnswer(s, it->second, now));
  }
  return OAuthError(
      400, "unsupported_grant_type",
      absl::StrCat("grant_type ", grant_type, " is not supported"), log_id);
}

http::HttpResponse HandleRevoke(SimState& s, const http::HttpRequest& req,
                                const std::string& log_id) {
  http::QueryParams form;
  if (auto refused = ReadForm(req, log_id, &form)) return *refused;
  const std::string token = First(form, "token");
  if (First(form, "client_key").empty() ||
      First(form, "client_secret").empty() || token.empty()) {
    return OAuthError(400, "invalid_request",
                      "client_key, client_secret and token are required",
                      log_id);
  }
  if (First(form, "client_key") != s.app_id ||
      First(form, "client_secret") != s.app_secret) {
    return OAuthError(401, "invalid_client", "Client key or secret is invalid",
                      log_id);
  }
  auto it = s.open.access_tokens.find(token);
  if (it != s.open.access_tokens.end()) {
    UserGrant& g = s.open.grants[it->second.grant_id];
    g.revoked = true;
    s.open.refresh_tokens.erase(g.refresh_token);
  }
  return JsonReply(200, Json::object());
}

}  // namespace ttads::tiktok_sim
