#ifndef TTADS_LIBS_CONNECTIONS_ACCOUNT_TOKEN_SOURCE_H_
#define TTADS_LIBS_CONNECTIONS_ACCOUNT_TOKEN_SOURCE_H_

#include <functional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/connections/refresh_lease.h"
#include "libs/connections/tiktok_account_store.h"
#include "libs/tiktok_open/login_api.h"

namespace ttads::connections {

struct AccountTokenSourceOptions {
  // A token expiring sooner than this is refreshed before use.
  absl::Duration refresh_margin = absl::Minutes(10);
  // How long one refresher may hold the lease.
  absl::Duration lease_ttl = absl::Seconds(30);
  // How often a replica that found the lease taken, with no usable token,
  // looks again.
  absl::Duration wait_step = absl::Milliseconds(50);
};

// A usable Login Kit access token for a TikTok account connection, every
// service's one way to get one. Tokens are refreshed *before* they expire
// (within refresh_margin), by one caller at a time across all replicas (a
// RefreshLease): the holder re-reads the tokens (someone may just have
// refreshed), refreshes at TikTok, stores the new pair (TikTok rotates the
// refresh token) and releases. Others meanwhile use the current token while
// it is still valid, or wait for the holder's result (bounded by their
// deadline).
//
// A refresh TikTok refuses for good (invalid_grant: refresh token expired
// or revoked) marks the connection kNeedsReconsent. A transient refresh
// failure leaves it active and returns the still-valid token, or the error
// when the token has already expired.
//
// Errors: NOT_FOUND (unknown id or another team's); FAILED_PRECONDITION
// reason TIKTOK_ACCOUNT_NEEDS_RECONSENT or TIKTOK_ACCOUNT_REVOKED (with a
// field violation on connection_id); DEADLINE_EXCEEDED while waiting for
// another replica's refresh; the LoginApi's UNAVAILABLE; the store's
// errors.
class AccountTokenSource {
 public:
  AccountTokenSource(TikTokAccountStore* store, RefreshLease* lease,
                     tiktok_open::LoginApi* login,
                     AccountTokenSourceOptions options = {},
                     std::function<absl::Time()> clock = absl::Now);

  absl::StatusOr<std::string> AccessToken(std::string_view team_id,
                                          std::string_view connection_id,
                                          absl::Time deadline);

 private:
  // The holder's part: refresh unless someone already did.
  absl::StatusOr<std::string> RefreshHeld(std::string_view team_id,
                                          std::string_view id,
                                          absl::Time deadline);

  TikTokAccountStore* store_;
  RefreshLease* lease_;
  tiktok_open::LoginApi* login_;
  AccountTokenSourceOptions options_;
  std::function<absl::Time()> clock_;
};

// FAILED_PRECONDITION for an account that is not active (reasons above).
absl::Status AccountNotActive(const TikTokAccount& account);

}  // namespace ttads::connections

#endif  // TTADS_LIBS_CONNECTIONS_ACCOUNT_TOKEN_SOURCE_H_
