#ifndef TTADS_TOOLS_TIKTOK_SIM_OPEN_API_V2_H_
#define TTADS_TOOLS_TIKTOK_SIM_OPEN_API_V2_H_

// What the user platform's v2 data paths (open.tiktokapis.com/v2/: here the
// Display API, display_api.h, and the sound upload, sound_upload.h) share:
// the user access token a Login Kit grant issued (login_kit.h), sent as
// `Authorization: Bearer <token>` and checked for the scope the path needs,
// and the answer envelope
//   {"data": {...}, "error": {"code": "ok", "message": "", "log_id": ...}}
// with the error's code a string, not the Marketing API's number.
//
// TikTok for Developers, "Error Handling" (tiktok-api-v2-error-handling):
// access_token_invalid (401), scope_not_authorized (401), invalid_params
// (400), rate_limit_exceeded (429), internal_error (500). The messages below
// are the simulator's wording. docs/content.md ("TikTok's reference, as
// encoded") lists the facts with their pages; the ckr2436/Tiktok-OPS mirror
// holds the Marketing API reference only, not these pages.

#include <chrono>
#include <optional>
#include <string>

#include "libs/http/server.h"
#include "tools/tiktok_sim/sim_state.h"

namespace ttads::tiktok_sim {

// A JSON answer of the user platform (every path of open_platform.h but the
// sound upload's success): compact, invalid UTF-8 in strings replaced by
// U+FFFD rather than thrown.
http::HttpResponse JsonReply(int status, const Json& j);

// The v2 error envelope:
// {"data": {}, "error": {"code": code, "message": ..., "log_id": ...}}.
// Fault injection answers in it too (dispatch_open_platform.cc).
http::HttpResponse OpenApiError(int http_status, const std::string& code,
                                const std::string& message,
                                const std::string& log_id);

// The token check of a v2 data path: sets *grant to the grant behind the
// request's `Authorization: Bearer` token and returns nullopt, or returns
// the error answer: 401 access_token_invalid for a missing, unknown, expired
// (OpenPlatformState::access_token_ttl) or revoked token, 401
// scope_not_authorized when the user did not grant `scope`. Counts the use
// of a known token (UserAccessToken::calls), refused or not.
std::optional<http::HttpResponse> AuthorizeUser(
    SimState& s, const http::HttpRequest& req, const std::string& scope,
    const std::string& log_id, std::chrono::system_clock::time_point now,
    const UserGrant** grant);

// AuthorizeUser for a path that takes POST only: a request with another
// method answers 405 (text) first.
std::optional<http::HttpResponse> AuthorizeUserPost(
    SimState& s, const http::HttpRequest& req, const std::string& scope,
    const std::string& log_id, std::chrono::system_clock::time_point now,
    const UserGrant** grant);

}  // namespace ttads::tiktok_sim

#endif  // TTADS_TOOLS_TIKTOK_SIM_OPEN_API_V2_H_
