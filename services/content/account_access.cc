#include "services/content/account_access.h"

#include "absl/strings/str_cat.h"
#include "libs/status/status.h"
#include "libs/status/status_macros.h"
#include "libs/tiktok_open/display_api.h"

namespace ttads::content {

using connections::TikTokAccount;

absl::StatusOr<TikTokAccount> AccountAccess::Check(
    const server::CallContext& call, const std::string& connection_id,
    std::string_view scope) const {
  if (connection_id.empty()) {
    return status::InvalidArgument("connection_id is required",
                                   {{"connection_id", "required"}});
  }
  TTADS_ASSIGN_OR_RETURN(TikTokAccount account,
                         store_->Get(call.caller.team_id, connection_id));
  if (call.caller.role == "mediabuyer" &&
      account.member_id != call.caller.member_id) {
    return absl::PermissionDeniedError(
        "mediabuyers can use only their own TikTok account connections");
  }
  if (account.state != TikTokAccount::State::kActive) {
    return connections::AccountNotActive(account);
  }
  if (!scope.empty() && !account.HasScope(scope)) {
    return status::WithErrorInfo(
        status::WithFieldViolations(
            absl::PermissionDeniedError(absl::StrCat(
                "the TikTok user did not grant ", std::string(scope),
                " to this connection: connect the account again with it")),
            {{"connection_id",
              absl::StrCat("lacks the ", std::string(scope), " scope")}}),
        tiktok_open::kScopeMissing, {{"scope", std::string(scope)}});
  }
  return account;
}

absl::StatusOr<std::string> AccountAccess::Token(
    const server::CallContext& call, const std::string& connection_id,
    std::string_view scope) const {
  TTADS_RETURN_IF_ERROR(Check(call, connection_id, scope).status());
  return tokens_->AccessToken(call.caller.team_id, connection_id,
                              call.deadline);
}

}  // namespace ttads::content
