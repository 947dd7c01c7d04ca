#include "tools/tiktok_sim/open_platform.h"

#include <algorithm>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "libs/http/query.h"

namespace ttads::tiktok_sim {
namespace {

using Clock = std::chrono::system_clock;

constexpr char kAuthorizePath[] = "/v2/auth/authorize/";
constexpr char kTokenPath[] = "/v2/oauth/token/";
constexpr char kRevokePath[] = "/v2/oauth/revoke/";
constexpr char kVideoListPath[] = "/v2/video/list/";
constexpr char kOEmbedPath[] = "/oembed";

// Scopes a consent may ask for (TikTok's scope overview; share.sound.create
// is the name Ibexa's Upload a Sound module shows).
constexpr const char* kKnownScopes[] = {
    "user.info.basic", "user.info.profile", "user.info.stats",   "video.list",
    "video.upload",    "video.publish",     "share.sound.create"};

// The Video Object's fields (List Videos / Video Object pages).
constexpr const char* kVideoFields[] = {"id",
                                        "create_time",
                                        "cover_image_url",
                                        "share_url",
                                        "video_description",
                                        "duration",
                                        "height",
                                        "width",
                                        "title",
                                        "embed_html",
                                        "embed_link",
                                        "like_count",
                                        "comment_count",
                                        "share_count",
                                        "view_count"};

constexpr int kMaxCountLimit = 20;
constexpr int kMaxCountDefault = 10;

http::HttpResponse JsonReply(int status, const Json& j) {
  return http::HttpResponse::Json(
      status, j.dump(-1, ' ', false, Json::error_handler_t::replace));
}

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

bool KnownField(const std::string& s) {
  return std::find_if(std::begin(kVideoFields), std::end(kVideoFields),
                      [&](const char* k) { return s == k; }) !=
         std::end(kVideoFields);
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

// GET /v2/auth/authorize/ (Login Kit for Web): client_key, scope,
// response_type=code, redirect_uri, state. Problems with the client or the
// redirect are answered here (400); the others go back to redirect_uri.
http::HttpResponse Authorize(SimState& s, const http::HttpRequest& req,
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

// Reads an application/x-www-form-urlencoded body; nullopt for another
// content type.
std::optional<http::QueryParams> FormBody(const http::HttpRequest& req) {
  std::string type = req.headers.Get("Content-Type").value_or("");
  if (!absl::StartsWithIgnoreCase(type, "application/x-www-form-urlencoded")) {
    return std::nullopt;
  }
  return http::ParseQuery(req.body);
}

// POST /v2/oauth/token/ (Manage User Access Tokens, OAuth v2).
http::HttpResponse Token(SimState& s, const http::HttpRequest& req,
                         const std::string& log_id, Clock::time_point now) {
  if (req.method != "POST") {
    return http::HttpResponse::Text(405, "405 method not allowed\n");
  }
  auto form = FormBody(req);
  if (!form) {
    return OAuthError(400, "invalid_request",
                      "Content-Type must be application/x-www-form-urlencoded",
                      log_id);
  }
  const std::string client_key = First(*form, "client_key");
  const std::string secret = First(*form, "client_secret");
  const std::string grant_type = First(*form, "grant_type");
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
    const std::string code = First(*form, "code");
    const std::string redirect = First(*form, "redirect_uri");
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
    const std::string refresh = First(*form, "refresh_token");
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

// POST /v2/oauth/revoke/: revokes the grant behind an access token (and so
// its refresh token). An unknown token answers 200 as RFC 7009 says.
http::HttpResponse Revoke(SimState& s, const http::HttpRequest& req,
                          const std::string& log_id) {
  if (req.method != "POST") {
    return http::HttpResponse::Text(405, "405 method not allowed\n");
  }
  auto form = FormBody(req);
  if (!form) {
    return OAuthError(400, "invalid_request",
                      "Content-Type must be application/x-www-form-urlencoded",
                      log_id);
  }
  const std::string token = First(*form, "token");
  if (First(*form, "client_key").empty() ||
      First(*form, "client_secret").empty() || token.empty()) {
    return OAuthError(400, "invalid_request",
                      "client_key, client_secret and token are required",
                      log_id);
  }
  if (First(*form, "client_key") != s.app_id ||
      First(*form, "client_secret") != s.app_secret) {
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

Json VideoJson(const SimState& s, const VideoPost& p,
               const std::vector<std::string>& fields) {
  const TikTokUser& user = s.open.users.at(p.open_id);
  const std::string share = PostShareUrl(user, p);
  Json all = {
      {"id", p.id},
      {"create_time", p.create_time},
      {"cover_image_url",
       absl::StrCat("https://sim.local/tiktok/cover/", p.id, ".jpeg")},
      {"share_url", share},
      {"video_description", p.title},
      {"duration", p.duration},
      {"height", 1920},
      {"width", 1080},
      {"title", p.title},
      {"embed_html",
       absl::StrCat("<blockquote class=\"tiktok-embed\" cite=\"", share,
                    "\" data-video-id=\"", p.id, "\"></blockquote>")},
      {"embed_link", absl::StrCat("https://www.tiktok.com/player/v1/", p.id)},
      {"like_count", p.like_count},
      {"comment_count", p.comment_count},
      {"share_count", p.share_count},
      {"view_count", p.view_count}};
  Json out = Json::object();
  for (const auto& f : fields) out[f] = all[f];
  return out;
}

// POST /v2/video/list/ (Display API, List Videos).
http::HttpResponse VideoList(SimState& s, const http::HttpRequest& req,
                             const std::string& log_id, Clock::time_point now) {
  auto error = [&](int status, const std::string& code,
                   const std::string& message) {
    return OpenApiError(status, code, message, log_id);
  };
  if (req.method != "POST") {
    return http::HttpResponse::Text(405, "405 method not allowed\n");
  }
  const UserGrant* granted = nullptr;
  if (auto refused =
          AuthorizeUser(s, req, "video.list", log_id, now, &granted)) {
    return *refused;
  }
  const UserGrant& grant = *granted;
  if (!absl::StartsWithIgnoreCase(req.headers.Get("Content-Type").value_or(""),
                                  "application/json")) {
    return error(400, "invalid_params",
                 "Content-Type must be application/json");
  }
  std::vector<std::string> fields;
  for (absl::string_view f :
       absl::StrSplit(req.QueryParam("fields").value_or(""), ',',
                      absl::SkipWhitespace())) {
    std::string name(absl::StripAsciiWhitespace(f));
    if (!KnownField(name)) {
      return error(400, "invalid_params",
                   absl::StrCat("fields: unknown field ", name));
    }
    if (std::find(fields.begin(), fields.end(), name) == fields.end()) {
      fields.push_back(name);
    }
  }
  if (fields.empty()) {
    return error(400, "invalid_params", "fields is required");
  }
  Json body =
      req.body.empty() ? Json::object() : Json::parse(req.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    return error(400, "invalid_params", "body must be a JSON object");
  }
  int64_t cursor = 0;
  int64_t max_count = kMaxCountDefault;
  if (body.contains("cursor") && !body["cursor"].is_null()) {
    if (!body["cursor"].is_number_integer() ||
        body["cursor"].get<int64_t>() < 0) {
      return error(400, "invalid_params",
                   "cursor must be a non-negative int64 (Unix milliseconds)");
    }
    cursor = body["cursor"].get<int64_t>();
  }
  if (body.contains("max_count") && !body["max_count"].is_null()) {
    if (!body["max_count"].is_number_integer()) {
      return error(400, "invalid_params", "max_count must be an int32");
    }
    max_count = body["max_count"].get<int64_t>();
    if (max_count < 1 || max_count > kMaxCountLimit) {
      return error(
          400, "invalid_params",
          absl::StrCat("max_count must be between 1 and ", kMaxCountLimit));
    }
  }
  Json videos = Json::array();
  bool has_more = false;
  int64_t next_cursor = cursor;
  for (const VideoPost* p : s.open.PostsOf(grant.open_id)) {
    if (cursor > 0 && p->create_time * 1000 >= cursor) continue;
    if (static_cast<int64_t>(videos.size()) == max_count) {
      has_more = true;
      break;
    }
    videos.push_back(VideoJson(s, *p, fields));
    next_cursor = p->create_time * 1000;
  }
  return JsonReply(
      200,
      {{"data",
        {{"videos", videos}, {"cursor", next_cursor}, {"has_more", has_more}}},
       {"error", {{"code", "ok"}, {"message", ""}, {"log_id", log_id}}}});
}

// GET /oembed?url=<a post's https://www.tiktok.com/@user/video/<id> URL>.
http::HttpResponse OEmbed(const SimState& s, const http::HttpRequest& req) {
  if (req.method != "GET") {
    return http::HttpResponse::Text(405, "405 method not allowed\n");
  }
  const std::string url = req.QueryParam("url").value_or("");
  std::string_view raw_path, query;
  http::SplitTarget(url, &raw_path, &query);
  const std::string path(raw_path);
  const std::string prefix = "https://www.tiktok.com/@";
  std::vector<std::string> parts;
  if (absl::StartsWith(path, prefix)) {
    parts = absl::StrSplit(path.substr(prefix.size()), '/');
  }
  if (parts.size() != 3 || parts[1] != "video") {
    return JsonReply(
        400, {{"status_msg", "Invalid TikTok video URL"}, {"code", 400}});
  }
  auto post = s.open.posts.find(parts[2]);
  if (post == s.open.posts.end() ||
      s.open.users.at(post->second.open_id).username != parts[0]) {
    return JsonReply(404, {{"status_msg", "Video not found"}, {"code", 404}});
  }
  const TikTokUser& user = s.open.users.at(post->second.open_id);
  const std::string share = PostShareUrl(user, post->second);
  return JsonReply(
      200,
      {{"version", "1.0"},
       {"type", "video"},
       {"title", post->second.title},
       {"author_url", absl::StrCat("https://www.tiktok.com/@", user.username)},
       {"author_name", user.display_name},
       {"author_unique_id", user.username},
       {"width", "100%"},
       {"height", "100%"},
       {"html",
        absl::StrCat("<blockquote class=\"tiktok-embed\" cite=\"", share,
                     "\" data-video-id=\"", post->second.id,
                     "\"><section></section></blockquote> <script async "
                     "src=\"https://www.tiktok.com/embed.js\"></script>")},
       {"thumbnail_width", 576},
       {"thumbnail_height", 1024},
       {"thumbnail_url", absl::StrCat("https://sim.local/tiktok/cover/",
                                      post->second.id, ".jpeg")},
       {"provider_url", "https://www.tiktok.com"},
       {"provider_name", "TikTok"}});
}

}  // namespace

std::optional<http::HttpResponse> AuthorizeUser(
    SimState& s, const http::HttpRequest& req, const std::string& scope,
    const std::string& log_id, Clock::time_point now, const UserGrant** grant) {
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

std::vector<const VideoPost*> OpenPlatformState::PostsOf(
    const std::string& open_id) const {
  std::vector<const VideoPost*> out;
  for (const auto& [id, p] : posts) {
    if (p.open_id == open_id) out.push_back(&p);
  }
  std::sort(out.begin(), out.end(), [](const VideoPost* a, const VideoPost* b) {
    return a->create_time > b->create_time;
  });
  return out;
}

bool IsOpenPlatformPath(const std::string& path) {
  return absl::StartsWith(path, "/v2/") || path == kOEmbedPath;
}

http::HttpResponse OpenApiError(int http_status, const std::string& code,
                                const std::string& message,
                                const std::string& log_id) {
  return JsonReply(
      http_status,
      {{"data", Json::object()},
       {"error", {{"code", code}, {"message", message}, {"log_id", log_id}}}});
}

http::HttpResponse HandleOpenPlatform(SimState& state,
                                      const http::HttpRequest& req,
                                      const std::string& log_id,
                                      Clock::time_point now) {
  try {
    if (req.path == kAuthorizePath) return Authorize(state, req, now);
    if (req.path == kTokenPath) return Token(state, req, log_id, now);
    if (req.path == kRevokePath) return Revoke(state, req, log_id);
    if (req.path == kVideoListPath) return VideoList(state, req, log_id, now);
    if (req.path == kOEmbedPath) return OEmbed(state, req);
    if (req.path == kSoundUploadPath) {
      return UploadSound(state, req, log_id, now);
    }
  } catch (const std::exception& e) {
    return OpenApiError(500, "internal_error", e.what(), log_id);
  }
  return http::HttpResponse::Text(404, "404 page not found\n");
}

VideoPost PublishPost(SimState& state, const std::string& open_id,
                      const std::string& title, Clock::time_point now) {
  int64_t t =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch())
          .count();
  auto existing = state.open.PostsOf(open_id);
  if (!existing.empty()) t = std::max(t, existing.front()->create_time + 1);
  VideoPost p;
  p.id = absl::StrFormat("74%017d", state.open.next_post++);
  p.open_id = open_id;
  p.create_time = t;
  p.title = title;
  state.open.posts[p.id] = p;
  return p;
}

std::string PostShareUrl(const TikTokUser& user, const VideoPost& post) {
  return absl::StrCat("https://www.tiktok.com/@", user.username, "/video/",
                      post.id);
}

}  // namespace ttads::tiktok_sim
