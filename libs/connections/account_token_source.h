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
// service's one way to get one, and the one way to refresh one (on use, and
// in the background through RefreshIfDue). Tokens are refreshed *before* they
// expire (within refresh_margin), by one caller at a time across all replicas
// (a RefreshLease): the holder re-reads the tokens (someone may just have
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
  // What RefreshIfDue did.
  enum class RefreshOutcome {
    kRefreshed,       // TikTok issued new tokens; they are stored.
    kNotDue,          // The token lasts beyond the margin (someone else may
                      // just have refreshed it): nothing asked of TikTok.
    kBusy,            // Another caller holds the lease and is refreshing.
    kNeedsReconsent,  // TikTok refused for good (invalid_grant): marked
                      // kNeedsReconsent now.
    kInactive,        // Already needs re-consent or revoked: not tried.
  };

  AccountTokenSource(TikTokAccountStore* store, RefreshLease* lease,
                     tiktok_open::LoginApi* login,
                     AccountTokenSourceOptions options = {},
                     std::function<absl::Time()> clock = absl::Now);

  absl::StatusOr<std::string> AccessToken(std::string_view team_id,
                                          std::string_view connection_id,
                                          absl::Time deadline);

  // The background refresher's way in: refreshes the token now if it
  // expires within `margin`, through the same lease as AccessToken (so a
  // background refresh and an on-use refresh anywhere never both call
  // TikTok), without waiting for another holder. Errors: a refresh TikTok
  // did not answer or refused for another reason than invalid_grant (the
  // LoginApi's UNAVAILABLE, DEADLINE_EXCEEDED, FAILED_PRECONDITION
  // TIKTOK_CLIENT_INVALID / TIKTOK_REFUSED: nothing is marked); NOT_FOUND;
  // the store's and the lease's errors.
  absl::StatusOr<RefreshOutcome> RefreshIfDue(std::string_view team_id,
                                              std::string_view connection_id,
                                              absl::Duration margin,
                                              absl::Time deadline);

 private:
  // What the lease holder found and did.
  struct Held {
    std::string access_token;  // The current one (the new one if refreshed).
    absl::Time access_expire_time;
    RefreshOutcome outcome = RefreshOutcome::kNotDue;
    absl::Status failure;  // A refresh that failed without marking.
  };
  // The holder's part: refresh unless someone already did (the token
  // lasts beyond `margin`).
  absl::StatusOr<Held> RefreshHeld(std::string_view team_id,
                                   std::string_view id, absl::Duration margin,
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
