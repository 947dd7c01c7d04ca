#ifndef TTADS_SERVICES_IDENTITY_ADS_ACCOUNTS_H_
#define TTADS_SERVICES_IDENTITY_ADS_ACCOUNTS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/connections/token_resolver.h"
#include "libs/server/call_context.h"
#include "services/identity/account_store.h"
#include "ttads/identity/v1/identity_service.pb.h"

namespace ttads::identity {

// Zernio's "connect ads for a platform" for TikTok, and the team's account
// list.
//
// A `tiktokads` account is created for (advertiser, posting account): with a
// posting account it is LINKED (parent set; TT_USER and Spark Ads available),
// without one it is ADS_ONLY (standalone ads use the Brand Identity; no
// Spark Ads). Connecting the same pair again returns the existing account
// with already_connected — concurrent connects create one account.
class AdsAccounts {
 public:
  AdsAccounts(AccountStore* accounts, connections::TokenResolver* tokens)
      : accounts_(accounts), tokens_(tokens) {}

  // Errors: INVALID_ARGUMENT for a platform other than "tiktok"; NOT_FOUND
  // for an unknown posting account (or one that is not a posting account);
  // token errors (FAILED_PRECONDITION NO_TOKEN, PERMISSION_DENIED) when the
  // caller cannot reach the advertiser.
  absl::StatusOr<v1::ConnectAdsAccountResponse> Connect(
      const server::CallContext& call, const v1::ConnectAdsAccountRequest& req);

  absl::StatusOr<std::vector<v1::Account>> List(const server::CallContext& call,
                                                const std::string& platform);

  // Registers a posting account under `account_id` (empty: a new id).
  // Errors: INVALID_ARGUMENT with field violations for a missing name
  // (1–100 characters), identity or advertiser.
  absl::StatusOr<v1::Account> CreatePosting(const server::CallContext& call,
                                            const v1::CreateAccountRequest& req,
                                            const std::string& account_id = "");

  // The team's account `account_id`; NOT_FOUND when there is none.
  absl::StatusOr<v1::Account> Get(const server::CallContext& call,
                                  const std::string& account_id) {
    return accounts_->Get(call.caller.team_id, account_id);
  }

 private:
  AccountStore* accounts_;
  connections::TokenResolver* tokens_;
};

}  // namespace ttads::identity

#endif  // TTADS_SERVICES_IDENTITY_ADS_ACCOUNTS_H_
