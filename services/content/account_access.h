#ifndef TTADS_SERVICES_CONTENT_ACCOUNT_ACCESS_H_
#define TTADS_SERVICES_CONTENT_ACCOUNT_ACCESS_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "libs/connections/account_token_source.h"
#include "libs/connections/tiktok_account_store.h"
#include "libs/server/call_context.h"

namespace ttads::content {

// Who may act through a TikTok account connection: the connection is the
// caller team's; owners and managers use any of the team's, mediabuyers
// their own; it is active; the user granted the scope the action needs
// (checked here, before TikTok is asked).
class AccountAccess {
 public:
  AccountAccess(connections::TikTokAccountStore* store,
                connections::AccountTokenSource* tokens)
      : store_(store), tokens_(tokens) {}

  // The connection, checked. Errors: INVALID_ARGUMENT (connection_id) when
  // empty; NOT_FOUND for an unknown or another team's; PERMISSION_DENIED
  // for a mediabuyer and a teammate's connection, or (reason
  // TIKTOK_SCOPE_MISSING, violation on connection_id) when `scope` was not
  // granted; FAILED_PRECONDITION when revoked or needing re-consent.
  absl::StatusOr<connections::TikTokAccount> Check(
      const server::CallContext& call, const std::string& connection_id,
      std::string_view scope) const;

  // Check, then a usable access token (refreshed if due).
  absl::StatusOr<std::string> Token(const server::CallContext& call,
                                    const std::string& connection_id,
                                    std::string_view scope) const;

  // A token for a connection already checked (pollers).
  absl::StatusOr<std::string> TokenFor(std::string_view team_id,
                                       std::string_view connection_id,
                                       absl::Time deadline) const {
    return tokens_->AccessToken(team_id, connection_id, deadline);
  }

 private:
  connections::TikTokAccountStore* store_;
  connections::AccountTokenSource* tokens_;
};

}  // namespace ttads::content

#endif  // TTADS_SERVICES_CONTENT_ACCOUNT_ACCESS_H_
