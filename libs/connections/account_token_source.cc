#include "libs/connections/account_token_source.h"

#include <thread>

#include "absl/strings/str_cat.h"
#include "libs/crypto/random.h"
#include "libs/status/status.h"
#include "libs/status/status_macros.h"

namespace ttads::connections {

absl::Status AccountNotActive(const TikTokAccount& account) {
  const bool revoked = account.state == TikTokAccount::State::kRevoked;
  return status::WithErrorInfo(
      status::WithFieldViolations(
          absl::FailedPreconditionError(absl::StrCat(
              "TikTok account connection ", account.connection_id,
              revoked ? " is revoked"
                      : " needs consent again: TikTok refused to refresh "
                        "its token; connect the account again")),
          {{"connection_id", revoked ? "revoked" : "needs re-consent"}}),
      revoked ? "TIKTOK_ACCOUNT_REVOKED" : "TIKTOK_ACCOUNT_NEEDS_RECONSENT");
}

AccountTokenSource::AccountTokenSource(TikTokAccountStore* store,
                                       RefreshLease* lease,
                                       tiktok_open::LoginApi* login,
                                       AccountTokenSourceOptions options,
                                       std::function<absl::Time()> clock)
    : store_(store),
      lease_(lease),
      login_(login),
      options_(options),
      clock_(std::move(clock)) {}

absl::StatusOr<std::string> AccountTokenSource::AccessToken(
    std::string_view team_id, std::string_view id, absl::Time deadline) {
  while (true) {
    TTADS_ASSIGN_OR_RETURN(TikTokAccount account, store_->Get(team_id, id));
    if (account.state != TikTokAccount::State::kActive) {
      return AccountNotActive(account);
    }
    TTADS_ASSIGN_OR_RETURN(AccountTokens tokens, store_->Tokens(team_id, id));
    const absl::Time now = clock_();
    if (tokens.access_expire_time > now + options_.refresh_margin) {
      return tokens.access_token;
    }
    const std::string owner = crypto::RandomToken(12);
    TTADS_ASSIGN_OR_RETURN(
        bool held, lease_->TryAcquire(team_id, id, owner, options_.lease_ttl));
    if (held) {
      absl::StatusOr<Held> result =
          RefreshHeld(team_id, id, options_.refresh_margin, deadline);
      absl::Status released = lease_->Release(team_id, id, owner);
      TTADS_RETURN_IF_ERROR(result.status());
      if (result->outcome == RefreshOutcome::kNeedsReconsent ||
          result->outcome == RefreshOutcome::kInactive) {
        TTADS_ASSIGN_OR_RETURN(TikTokAccount now_account,
                               store_->Get(team_id, id));
        return AccountNotActive(now_account);
      }
      if (!result->failure.ok() && result->access_expire_time <= clock_()) {
        return result->failure;
      }
      TTADS_RETURN_IF_ERROR(released);
      return result->access_token;
    }
    // Another caller is refreshing: the current token serves meanwhile.
    if (tokens.access_expire_time > now) return tokens.access_token;
    if (absl::Now() + options_.wait_step >= deadline) {
      return absl::DeadlineExceededError(absl::StrCat(
          "waited for another replica to refresh the token of TikTok "
          "account connection ",
          std::string(id)));
    }
    absl::SleepFor(options_.wait_step);
  }
}

absl::StatusOr<AccountTokenSource::RefreshOutcome>
AccountTokenSource::RefreshIfDue(std::string_view team_id, std::string_view id,
                                 absl::Duration margin, absl::Time deadline) {
  TTADS_ASSIGN_OR_RETURN(TikTokAccount account, store_->Get(team_id, id));
  if (account.state != TikTokAccount::State::kActive) {
    return RefreshOutcome::kInactive;
  }
  if (account.access_expire_time > clock_() + margin) {
    return RefreshOutcome::kNotDue;
  }
  const std::string owner = crypto::RandomToken(12);
  TTADS_ASSIGN_OR_RETURN(
      bool held, lease_->TryAcquire(team_id, id, owner, options_.lease_ttl));
  if (!held) return RefreshOutcome::kBusy;
  absl::StatusOr<Held> result = RefreshHeld(team_id, id, margin, deadline);
  absl::Status released = lease_->Release(team_id, id, owner);
  TTADS_RETURN_IF_ERROR(result.status());
  TTADS_RETURN_IF_ERROR(result->failure);
  TTADS_RETURN_IF_ERROR(released);
  return result->outcome;
}

absl::StatusOr<AccountTokenSource::Held> AccountTokenSource::RefreshHeld(
    std::string_view team_id, std::string_view id, absl::Duration margin,
    absl::Time deadline) {
  // Re-read under the lease: the previous holder may have just refreshed.
  TTADS_ASSIGN_OR_RETURN(TikTokAccount account, store_->Get(team_id, id));
  Held held;
  if (account.state != TikTokAccount::State::kActive) {
    held.outcome = RefreshOutcome::kInactive;
    return held;
  }
  TTADS_ASSIGN_OR_RETURN(AccountTokens tokens, store_->Tokens(team_id, id));
  held.access_token = tokens.access_token;
  held.access_expire_time = tokens.access_expire_time;
  if (tokens.access_expire_time > clock_() + margin) return held;
  absl::StatusOr<tiktok_open::UserTokens> fresh =
      login_->Refresh(tokens.refresh_token, deadline);
  if (!fresh.ok()) {
    if (tiktok_open::ErrorReason(fresh.status()) ==
        tiktok_open::kGrantInvalid) {
      TTADS_RETURN_IF_ERROR(store_->SetState(
          team_id, id, TikTokAccount::State::kNeedsReconsent, clock_()));
      held.outcome = RefreshOutcome::kNeedsReconsent;
      return held;
    }
    held.failure = fresh.status();
    return held;
  }
  AccountTokens next{fresh->access_token,
                     fresh->refresh_token.empty() ? tokens.refresh_token
                                                  : fresh->refresh_token,
                     fresh->access_expire_time, fresh->refresh_expire_time};
  TTADS_RETURN_IF_ERROR(store_->UpdateTokens(team_id, id, next));
  held.access_token = next.access_token;
  held.access_expire_time = next.access_expire_time;
  held.outcome = RefreshOutcome::kRefreshed;
  return held;
}

}  // namespace ttads::connections
