#ifndef TTADS_SERVICES_IDENTITY_TIKTOK_ACCOUNTS_H_
#define TTADS_SERVICES_IDENTITY_TIKTOK_ACCOUNTS_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "libs/connections/tiktok_account_store.h"
#include "libs/server/call_context.h"
#include "libs/tiktok_open/login_api.h"
#include "services/identity/oauth_state_store.h"

namespace ttads::identity {

struct TikTokAccountsOptions {
  // TikTok's Login Kit page (the simulator serves the same path).
  std::string authorize_url = "https://www.tiktok.com/v2/auth/authorize/";
  std::string client_key;
  // Used when a start has no redirect_uri.
  std::string default_redirect_uri;
  absl::Duration state_ttl = absl::Minutes(10);
  std::vector<std::string> default_scopes = {"user.info.basic", "video.list"};
};

struct StartedAccountConnection {
  std::string authorization_url;
  std::string state;
  absl::Time expire_time;
};

// TikTok *account* connections (Login Kit, OAuth v2) of members: start
// (authorization URL + single-use state bound to the member, the redirect
// and the scopes asked), complete (code exchange; tokens encrypted at rest
// with the scopes the user granted), list and revoke. Refreshing is
// connections::AccountTokenSource's job: on use (every service that uses a
// token) and in the background (AccountRefresher, account_refresher.h).
// A failed completion stores nothing.
class TikTokAccounts {
 public:
  TikTokAccounts(OAuthStateStore* states,
                 connections::TikTokAccountStore* store,
                 tiktok_open::LoginApi* login, TikTokAccountsOptions options,
                 std::function<absl::Time()> clock = absl::Now);

  // Errors: INVALID_ARGUMENT (redirect_uri) for a missing or non-http(s)
  // redirect; INVALID_ARGUMENT (scopes[i]) for an unknown scope.
  absl::StatusOr<StartedAccountConnection> Start(
      const server::CallContext& call, const std::string& redirect_uri,
      const std::vector<std::string>& scopes);

  // Errors: INVALID_ARGUMENT (state / code) when missing;
  // FAILED_PRECONDITION OAUTH_STATE_INVALID (state) for an unknown, expired,
  // used or another member's state; the LoginApi's errors (e.g.
  // TIKTOK_GRANT_INVALID with a violation on code).
  absl::StatusOr<connections::TikTokAccount> Complete(
      const server::CallContext& call, const std::string& state,
      const std::string& code);

  // The team's connections; a mediabuyer's own only.
  absl::StatusOr<std::vector<connections::TikTokAccount>> List(
      const server::CallContext& call);

  // Revokes at TikTok, then marks revoked (tokens dropped). A refusal from
  // TikTok (the grant is already dead) still marks it; UNAVAILABLE /
  // DEADLINE_EXCEEDED are returned with nothing changed. Errors:
  // INVALID_ARGUMENT (connection_id) when empty; NOT_FOUND; PERMISSION_DENIED
  // for a mediabuyer revoking a teammate's.
  absl::StatusOr<connections::TikTokAccount> Revoke(
      const server::CallContext& call, const std::string& connection_id);

  // The Login Kit scopes a start may ask for.
  static bool KnownScope(const std::string& scope);

 private:
  OAuthStateStore* states_;
  connections::TikTokAccountStore* store_;
  tiktok_open::LoginApi* login_;
  TikTokAccountsOptions options_;
  std::function<absl::Time()> clock_;
};

}  // namespace ttads::identity

#endif  // TTADS_SERVICES_IDENTITY_TIKTOK_ACCOUNTS_H_
