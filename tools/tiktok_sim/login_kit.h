#ifndef TTADS_TOOLS_TIKTOK_SIM_LOGIN_KIT_H_
#define TTADS_TOOLS_TIKTOK_SIM_LOGIN_KIT_H_

// Login Kit's OAuth v2 as the simulator speaks it: the consent page, the
// token endpoint (code exchange and refresh) and revoke. The client key and
// secret are the simulator's app_id / app_secret.
//
// TikTok for Developers pages: "Login Kit for Web" and "Manage User Access
// Tokens" (oauth-user-access-token-management) for the paths, parameters,
// answer fields and lifetimes; "OAuth Error Handling" (oauth-error-handling)
// for the error answers; the scope overview for the scope names.
// docs/content.md ("TikTok's reference, as encoded") lists each fact with
// its page; the ckr2436/Tiktok-OPS mirror holds the Marketing API reference
// only, not these pages.
//
//   GET  /v2/auth/authorize/  client_key, scope (comma-separated),
//        response_type=code, redirect_uri, state. Consent is approved at
//        once: 302 to redirect_uri?code=..&scopes=..&state=.. (the granted
//        scopes, sorted). An unknown client_key, a redirect_uri that is not
//        http(s) or an unknown user answers 400 here (text); the other
//        refusals go back to redirect_uri as error, error_description and
//        state: unsupported_response_type, invalid_scope (none or an unknown
//        one), access_denied. A code lives SimState::auth_code_ttl (10 min)
//        and works once.
//        Sim-only parameters: `open_id` picks the user (default: the first
//        by open_id, the demo user of the demo seed), `grant=a,b` the scopes
//        the user agrees to (those asked for only; default all), `deny=1`
//        answers error=access_denied.
//   POST /v2/oauth/token/     form: client_key, client_secret, grant_type
//        authorization_code (code; redirect_uri equal to the consent's) or
//        refresh_token (refresh_token). Answer {access_token, expires_in,
//        open_id, refresh_expires_in, refresh_token, scope, token_type
//        "Bearer"}; lifetimes OpenPlatformState::access_token_ttl (24 h) and
//        refresh_token_ttl (365 days). Every answer issues a new refresh
//        token and the old one stops working (the simulator's choice).
//   POST /v2/oauth/revoke/    form: client_key, client_secret, token (an
//        access token). Revokes the grant behind it, so its access and
//        refresh tokens stop working; answers 200 {} (the page shows no
//        answer body), also for an unknown token as RFC 7009 says.
//
// Errors of the two POST paths: {error, error_description, log_id} with
// invalid_request (400; also for a body that is not a form), invalid_client
// (401), invalid_grant (400: a code or refresh token unknown, used, expired,
// revoked, or a redirect_uri that differs) or unsupported_grant_type (400).
// The pages state no HTTP status for them: these are the simulator's. A
// method other than the path's answers 405 (text).

#include <chrono>
#include <string>

#include "libs/http/server.h"
#include "tools/tiktok_sim/sim_state.h"

namespace ttads::tiktok_sim {

inline constexpr char kAuthorizePath[] = "/v2/auth/authorize/";
inline constexpr char kTokenPath[] = "/v2/oauth/token/";
inline constexpr char kRevokePath[] = "/v2/oauth/revoke/";

// GET kAuthorizePath at time `now`.
http::HttpResponse HandleAuthorize(SimState& s, const http::HttpRequest& req,
                                   std::chrono::system_clock::time_point now);

// POST kTokenPath at time `now`; `log_id` goes into error answers.
http::HttpResponse HandleToken(SimState& s, const http::HttpRequest& req,
                               const std::string& log_id,
                               std::chrono::system_clock::time_point now);

// POST kRevokePath; `log_id` goes into error answers.
http::HttpResponse HandleRevoke(SimState& s, const http::HttpRequest& req,
                                const std::string& log_id);

}  // namespace ttads::tiktok_sim

#endif  // TTADS_TOOLS_TIKTOK_SIM_LOGIN_KIT_H_
