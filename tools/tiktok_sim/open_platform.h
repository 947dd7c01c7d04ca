#ifndef TTADS_TOOLS_TIKTOK_SIM_OPEN_PLATFORM_H_
#define TTADS_TOOLS_TIKTOK_SIM_OPEN_PLATFORM_H_

// TikTok's user-facing platform as the simulator speaks it (the organic
// side, next to the Marketing API): Login Kit OAuth v2, the Display API's
// video list and oEmbed. docs/simulator.md ("TikTok users") is the guide;
// every rule below cites its TikTok page there.
//
//   GET  /v2/auth/authorize/   consent (auto-approved): 302 to redirect_uri
//                              with code, scopes, state; or error=...
//   POST /v2/oauth/token/      form: client_key, client_secret, grant_type
//                              authorization_code (code, redirect_uri) or
//                              refresh_token (refresh_token). Flat JSON
//                              answer; errors {error, error_description,
//                              log_id} (HTTP 400, or 401 invalid_client).
//   POST /v2/oauth/revoke/     form: client_key, client_secret, token.
//   POST /v2/video/list/       Authorization: Bearer, ?fields=..., JSON body
//                              {cursor, max_count <= 20}; answer
//                              {data: {videos, cursor, has_more},
//                               error: {code, message, log_id}}.
//   GET  /oembed?url=...       oEmbed JSON for a public post's URL.
//   POST /v2/share/sound/upload/
//                              Authorization: Bearer (scope
//                              share.sound.create), multipart/form-data
//                              with the file in part `sound`; answer
//                              {data: {share_id}, error: {...}}. TikTok's
//                              public reference does not document a sound
//                              upload: this shape is ttads' choice
//                              (open_platform_sound.cc, docs/content.md).
//
// Sim-only consent parameters: `open_id` picks the user (default the demo
// user), `grant` lists the scopes the user agrees to (default: all asked),
// `deny=1` answers error=access_denied.

#include <chrono>
#include <optional>
#include <string>

#include "libs/http/server.h"
#include "tools/tiktok_sim/sim_state.h"

namespace ttads::tiktok_sim {

// True for the paths HandleOpenPlatform serves.
bool IsOpenPlatformPath(const std::string& path);

// Serves one request of the paths above against `state` at time `now`.
// `log_id` goes into error answers. Never throws.
http::HttpResponse HandleOpenPlatform(
    SimState& state, const http::HttpRequest& req, const std::string& log_id,
    std::chrono::system_clock::time_point now);

// The v2 error envelope for a Display API path (fault injection uses it):
// {"data": {}, "error": {"code": code, "message": ..., "log_id": ...}}.
http::HttpResponse OpenApiError(int http_status, const std::string& code,
                                const std::string& message,
                                const std::string& log_id);

// Publishes a new post for `open_id` (now, or one second after the user's
// newest post); returns it. The user must exist.
VideoPost PublishPost(SimState& state, const std::string& open_id,
                      const std::string& title,
                      std::chrono::system_clock::time_point now);

// The Display API's token check: the grant behind the request's
// `Authorization: Bearer` token, or the v2 error answer (401
// access_token_invalid for a missing, unknown, expired or revoked token; 401
// scope_not_authorized without `scope`). Counts the token's use.
std::optional<http::HttpResponse> AuthorizeUser(
    SimState& s, const http::HttpRequest& req, const std::string& scope,
    const std::string& log_id, std::chrono::system_clock::time_point now,
    const UserGrant** grant);

// The sound upload path and its handler (open_platform_sound.cc).
inline constexpr char kSoundUploadPath[] = "/v2/share/sound/upload/";
http::HttpResponse UploadSound(SimState& s, const http::HttpRequest& req,
                               const std::string& log_id,
                               std::chrono::system_clock::time_point now);

// The oEmbed page URL of a post: https://www.tiktok.com/@<user>/video/<id>.
std::string PostShareUrl(const TikTokUser& user, const VideoPost& post);

}  // namespace ttads::tiktok_sim

#endif  // TTADS_TOOLS_TIKTOK_SIM_OPEN_PLATFORM_H_
