#include "services/identity/tiktok_accounts.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "libs/crypto/random.h"
#include "libs/http/query.h"
#include "libs/status/status.h"
#include "libs/status/status_macros.h"
#include "nlohmann/json.hpp"

namespace ttads::identity {
namespace {

using connections::TikTokAccount;

absl::Status StateInvalid() {
  return status::WithErrorInfo(
      status::WithFieldViolations(
          absl::FailedPreconditionError(
              "OAuth state is unknown, expired or already used: start the "
              "connection again"),
          {{"state", "unknown, expired or already used"}}),
      "OAUTH_STATE_INVALID");
}

bool HttpUrl(const std::string& s) {
  return absl::StartsWith(s, "https://") || absl::StartsWith(s, "http://");
}

}  // namespace

bool TikTokAccounts::KnownScope(const std::string& scope) {
  static const char* const kScopes[] = {
      "user.info.basic", "user.info.profile", "user.info.stats",   "video.list",
      "video.upload",    "video.publish",     "share.sound.create"};
  return std::find_if(std::begin(kScopes), std::end(kScopes),
                      [&](const char* s) { return scope == s; }) !=
         std::end(kScopes);
}

TikTokAccounts::TikTokAccounts(OAuthStateStore* states,
                               connections::TikTokAccountStore* store,
                               tiktok_open::LoginApi* login,
                               TikTokAccountsOptions options,
                               std::function<absl::Time()> clock)
    : states_(states),
      store_(store),
      login_(login),
      options_(std::move(options)),
      clock_(std::move(clock)) {}

absl::StatusOr<StartedAccountConnection> TikTokAccounts::Start(
    const server::CallContext& call, const std::string& redirect_uri_in,
    const std::vector<std::string>& scopes_in) {
  const std::string redirect_uri =
      redirect_uri_in.empty() ? options_.default_redirect_uri : redirect_uri_in;
  std::vector<status::FieldViolation> bad;
  if (!HttpUrl(redirect_uri)) {
    bad.push_back({"redirect_uri",
                   redirect_uri.empty()
                       ? "required (no default redirect_uri is configured)"
                       : "must start with https:// or http://"});
  }
  std::vector<std::string> scopes;
  for (size_t i = 0; i < scopes_in.size(); ++i) {
    if (!KnownScope(scopes_in[i])) {
      bad.push_back(
          {absl::StrCat("scopes[", i, "]"),
           absl::StrCat("unknown TikTok scope \"", scopes_in[i], "\"")});
    } else if (std::find(scopes.begin(), scopes.end(), scopes_in[i]) ==
               scopes.end()) {
      scopes.push_back(scopes_in[i]);
    }
  }
  if (!bad.empty()) {
    return status::InvalidArgument("bad TikTok account connection request",
                                   std::move(bad));
  }
  if (scopes.empty()) scopes = options_.default_scopes;
  StartedAccountConnection started;
  started.state = crypto::RandomToken(32);
  started.expire_time = clock_() + options_.state_ttl;
  nlohmann::json record = {{"member_id", call.caller.member_id},
                           {"redirect_uri", redirect_uri}};
  TTADS_RETURN_IF_ERROR(states_->Put(call.caller.team_id, started.state,
                                     record.dump(), options_.state_ttl));
  started.authorization_url =
      absl::StrCat(options_.authorize_url,
                   absl::StrContains(options_.authorize_url, "?") ? "&" : "?",
                   "client_key=", http::PercentEncode(options_.client_key),
                   "&response_type=code&scope=",
                   http::PercentEncode(absl::StrJoin(scopes, ",")),
                   "&redirect_uri=", http::PercentEncode(redirect_uri),
                   "&state=", http::PercentEncode(started.state));
  return started;
}

absl::StatusOr<TikTokAccount> TikTokAccounts::Complete(
    const server::CallContext& call, const std::string& state,
    const std::string& code) {
  std::vector<status::FieldViolation> missing;
  if (state.empty()) missing.push_back({"state", "required"});
  if (code.empty()) missing.push_back({"code", "required"});
  if (!missing.empty()) {
    return status::InvalidArgument("state and code are required",
                                   std::move(missing));
  }
  TTADS_ASSIGN_OR_RETURN(std::optional<std::string> raw,
                         states_->Take(call.caller.team_id, state));
  if (!raw.has_value()) return StateInvalid();
  nlohmann::json record = nlohmann::json::parse(*raw, nullptr, false);
  if (!record.is_object() ||
      record.value("member_id", "") != call.caller.member_id) {
    return StateInvalid();
  }
  absl::StatusOr<tiktok_open::UserTokens> tokens = login_->ExchangeCode(
      code, record.value("redirect_uri", ""), call.deadline);
  if (!tokens.ok()) {
    if (tiktok_open::ErrorReason(tokens.status()) ==
        tiktok_open::kGrantInvalid) {
      return status::WithFieldViolations(
          tokens.status(), {{"code", "TikTok refused it: used or expired"}});
    }
    return tokens.status();
  }
  TikTokAccount account;
  account.connection_id = absl::StrCat("tta_", crypto::RandomToken(12));
  account.team_id = call.caller.team_id;
  account.member_id = call.caller.member_id;
  account.open_id = tokens->open_id;
  account.scopes = tokens->scopes;
  account.access_expire_time = tokens->access_expire_time;
  account.refresh_expire_time = tokens->refresh_expire_time;
  account.create_time = clock_();
  account.state_time = account.create_time;
  TTADS_RETURN_IF_ERROR(store_->Create(
      account, {tokens->access_token, tokens->refresh_token,
                tokens->access_expire_time, tokens->refresh_expire_time}));
  return account;
}

absl::StatusOr<std::vector<TikTokAccount>> TikTokAccounts::List(
    const server::CallContext& call) {
  TTADS_ASSIGN_OR_RETURN(std::vector<TikTokAccount> all,
                         store_->List(call.caller.team_id));
  if (call.caller.role != "mediabuyer") return all;
  std::vector<TikTokAccount> mine;
  for (auto& a : all) {
    if (a.member_id == call.caller.member_id) mine.push_back(std::move(a));
  }
  return mine;
}

absl::StatusOr<TikTokAccount> TikTokAccounts::Revoke(
    const server::CallContext& call, const std::string& connection_id) {
  if (connection_id.empty()) {
    return status::InvalidArgument("connection_id is required",
                                   {{"connection_id", "required"}});
  }
  TTADS_ASSIGN_OR_RETURN(TikTokAccount account,
                         store_->Get(call.caller.team_id, connection_id));
  if (account.member_id != call.caller.member_id &&
      call.caller.role == "mediabuyer") {
    return absl::PermissionDeniedError(
        "mediabuyers can revoke only their own TikTok account connections");
  }
  if (account.state == TikTokAccount::State::kRevoked) return account;
  auto tokens = store_->Tokens(call.caller.team_id, connection_id);
  if (tokens.ok()) {
    absl::Status revoked = login_->Revoke(tokens->access_token, call.deadline);
    if (absl::IsUnavailable(revoked) || absl::IsDeadlineExceeded(revoked)) {
      return revoked;
    }
  }
  TTADS_RETURN_IF_ERROR(store_->SetState(call.caller.team_id, connection_id,
                                         TikTokAccount::State::kRevoked,
                                         clock_()));
  return store_->Get(call.caller.team_id, connection_id);
}

}  // namespace ttads::identity
