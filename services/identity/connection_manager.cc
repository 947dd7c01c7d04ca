#include "services/identity/connection_manager.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "libs/crypto/random.h"
#include "libs/http/query.h"
#include "libs/status/status.h"
#include "libs/status/status_macros.h"
#include "libs/store/key_schema.h"
#include "libs/tiktok/error_class.h"
#include "nlohmann/json.hpp"

namespace ttads::identity {
namespace {

std::string StateKey(const std::string& team_id, const std::string& state) {
  return store::TeamKey(team_id, absl::StrCat("oauth_state:", state));
}

absl::Status StateInvalid() {
  return status::WithErrorInfo(
      status::WithFieldViolations(
          absl::FailedPreconditionError(
              "OAuth state is unknown, expired or already used: start the "
              "connection again"),
          {{"state", "unknown, expired or already used"}}),
      "OAUTH_STATE_INVALID");
}

}  // namespace

ConnectionManager::ConnectionManager(store::RedisPool* redis,
                                     connections::ConnectionStore* connections,
                                     TikTokIdentityApi* tiktok,
                                     ConnectionManagerOptions options)
    : redis_(redis),
      connections_(connections),
      tiktok_(tiktok),
      options_(std::move(options)) {}

absl::StatusOr<StartedConnection> ConnectionManager::Start(
    const server::CallContext& call, const std::string& redirect_uri_in) {
  std::string redirect_uri =
      redirect_uri_in.empty() ? options_.default_redirect_uri : redirect_uri_in;
  if (!redirect_uri.empty() && !absl::StartsWith(redirect_uri, "https://") &&
      !absl::StartsWith(redirect_uri, "http://")) {
    return status::InvalidArgument(
        "redirect_uri must be an http(s) URL",
        {{"redirect_uri", "must start with https:// or http://"}});
  }
  StartedConnection started;
  started.state = crypto::RandomToken(32);
  started.expire_time = absl::Now() + options_.state_ttl;
  nlohmann::json record = {{"member_id", call.caller.member_id},
                           {"redirect_uri", redirect_uri}};
  TTADS_RETURN_IF_ERROR(redis_->Command(
      {"SET", StateKey(call.caller.team_id, started.state), record.dump(), "PX",
       std::to_string(absl::ToInt64Milliseconds(options_.state_ttl)), "NX"}));
  started.consent_url = absl::StrCat(
      options_.consent_base_url, "?app_id=", http::PercentEncode(options_.app_id),
      "&state=", http::PercentEncode(started.state), "&redirect_uri=", http::PercentEncode(redirect_uri));
  return started;
}

absl::StatusOr<connections::Connection> ConnectionManager::Complete(
    const server::CallContext& call, const std::string& state,
    const std::string& auth_code) {
  std::vector<status::FieldViolation> missing;
  if (state.empty()) missing.push_back({"state", "required"});
  if (auth_code.empty()) missing.push_back({"auth_code", "required"});
  if (!missing.empty()) {
    return status::InvalidArgument("state and auth_code are required",
                                   std::move(missing));
  }
  TTADS_RETURN_IF_ERROR(ConsumeState(call, state));
  TTADS_ASSIGN_OR_RETURN(Grant grant, Exchange(call, auth_code));
  if (grant.advertiser_ids.empty()) {
    return status::WithErrorInfo(
        absl::FailedPreconditionError(
            "the TikTok grant covers zero advertisers: grant access to at "
            "least one advertiser account"),
        "NO_ADVERTISERS");
  }

  connections::Connection connection;
  connection.connection_id = absl::StrCat("cn_", crypto::RandomToken(12));
  connection.team_id = call.caller.team_id;
  connection.member_id = call.caller.member_id;
  connection.scopes = grant.scopes;
  connection.create_time = absl::Now();
  // Names are a nicety: the grant is usable without them.
  auto named = tiktok_->GetAdvertisers(grant.access_token, call.deadline);
  for (const auto& id : grant.advertiser_ids) {
    connections::AdvertiserRef ref{id, ""};
    if (named.ok()) {
      for (const auto& n : *named) {
        if (n.advertiser_id == id) ref.advertiser_name = n.advertiser_name;
      }
    }
    connection.advertisers.push_back(std::move(ref));
  }
  TTADS_RETURN_IF_ERROR(connections_->Create(connection, grant.access_token));
  return connection;
}

absl::Status ConnectionManager::ConsumeState(const server::CallContext& call,
                                             const std::string& state) {
  if (!store::IsValidKeyId(state)) return StateInvalid();
  TTADS_ASSIGN_OR_RETURN(
      store::RedisReply reply,
      redis_->Command({"GETDEL", StateKey(call.caller.team_id, state)}));
  if (reply.is_nil()) return StateInvalid();
  auto record = nlohmann::json::parse(reply.str, nullptr, false);
  if (!record.is_object() ||
      record.value("member_id", "") != call.caller.member_id) {
    return StateInvalid();
  }
  return absl::OkStatus();
}

absl::StatusOr<Grant> ConnectionManager::Exchange(
    const server::CallContext& call, const std::string& auth_code) {
  auto grant = tiktok_->ExchangeAuthCode(auth_code, call.deadline);
  if (grant.ok()) return grant;
  auto info = tiktok::GetTikTokErrorInfo(grant.status());
  if (info.has_value() && info->code == 40110) {
    return status::WithErrorInfo(
        status::WithFieldViolations(
            absl::FailedPreconditionError(
                "auth_code is invalid: already used, expired or cancelled; "
                "ask the member to grant access again"),
            {{"auth_code", "used, expired or cancelled (TikTok 40110)"}}),
        "AUTH_CODE_INVALID",
        {{"tiktok_code", "40110"}, {"tiktok_request_id", info->request_id}});
  }
  return grant.status();
}

absl::StatusOr<std::vector<connections::Connection>> ConnectionManager::List(
    const server::CallContext& call, bool mine_only) {
  TTADS_ASSIGN_OR_RETURN(std::vector<connections::Connection> all,
                         connections_->List(call.caller.team_id));
  if (!mine_only) return all;
  std::vector<connections::Connection> mine;
  for (auto& c : all) {
    if (c.member_id == call.caller.member_id) mine.push_back(std::move(c));
  }
  return mine;
}

absl::StatusOr<connections::Connection> ConnectionManager::Revoke(
    const server::CallContext& call, const std::string& connection_id) {
  if (connection_id.empty()) {
    return status::InvalidArgument("connection_id is required",
                                   {{"connection_id", "required"}});
  }
  TTADS_ASSIGN_OR_RETURN(connections::Connection connection,
                         connections_->Get(call.caller.team_id, connection_id));
  if (connection.member_id != call.caller.member_id &&
      call.caller.role == "mediabuyer") {
    return absl::PermissionDeniedError(
        "mediabuyers can revoke only their own connections");
  }
  if (connection.active()) {
    auto token = connections_->AccessToken(call.caller.team_id, connection_id);
    if (token.ok()) {
      absl::Status revoked = tiktok_->RevokeToken(*token, call.deadline);
      if (!revoked.ok() && !tiktok::IsTokenRevoked(revoked)) {
        auto info = tiktok::GetTikTokErrorInfo(revoked);
        // Unreachable TikTok: report it; the member can retry.
        if (!info.has_value() || info->code == 0 || info->retryable) {
          return revoked;
        }
      }
    }
    TTADS_RETURN_IF_ERROR(connections_->MarkRevoked(
        call.caller.team_id, connection_id, absl::Now()));
  }
  return connections_->Get(call.caller.team_id, connection_id);
}

}  // namespace ttads::identity
