#include "libs/connections/tiktok_account_store.h"

#include <map>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "libs/status/status_macros.h"
#include "libs/store/key_schema.h"
#include "nlohmann/json.hpp"

namespace ttads::connections {
namespace {

using store::RedisReply;

std::string Ad(std::string_view team_id, std::string_view id,
               std::string_view which) {
  return absl::StrCat("team:", std::string(team_id),
                      "/ttacct:", std::string(id), "/", std::string(which));
}

std::string Ms(absl::Time t) { return std::to_string(absl::ToUnixMillis(t)); }

absl::Time FromMs(const std::string& s) {
  int64_t ms = 0;
  return absl::SimpleAtoi(s, &ms) ? absl::FromUnixMillis(ms)
                                  : absl::UnixEpoch();
}

TikTokAccount::State ParseState(const std::string& s) {
  if (s == "revoked") return TikTokAccount::State::kRevoked;
  if (s == "needs_reconsent") return TikTokAccount::State::kNeedsReconsent;
  return TikTokAccount::State::kActive;
}

absl::StatusOr<std::map<std::string, std::string>> ReadHash(
    store::RedisPool* redis, const std::string& key, std::string_view id) {
  TTADS_ASSIGN_OR_RETURN(RedisReply reply, redis->Command({"HGETALL", key}));
  if (reply.type != RedisReply::Type::kArray || reply.elements.empty()) {
    return absl::NotFoundError(absl::StrCat("TikTok account connection ",
                                            std::string(id), " not found"));
  }
  std::map<std::string, std::string> out;
  for (size_t i = 0; i + 1 < reply.elements.size(); i += 2) {
    out[reply.elements[i].str] = reply.elements[i + 1].str;
  }
  return out;
}

}  // namespace

std::string TikTokAccountKey(std::string_view team_id, std::string_view id) {
  return store::TeamKey(team_id, absl::StrCat("ttacct:", std::string(id)));
}

std::string TikTokAccountTokenAd(std::string_view team_id, std::string_view id,
                                 std::string_view field) {
  return Ad(team_id, id, field);
}

std::string TikTokAccountIndexKey(std::string_view team_id) {
  return store::TeamKey(team_id, "ttaccts");
}

std::string TikTokAccountDueKey() { return store::GlobalKey("ttacct_due"); }

std::string TikTokAccountDueMember(std::string_view team_id,
                                   std::string_view id) {
  return absl::StrCat(std::string(team_id), "/", std::string(id));
}

std::string_view TikTokAccountStateName(TikTokAccount::State state) {
  switch (state) {
    case TikTokAccount::State::kActive:
      return "active";
    case TikTokAccount::State::kNeedsReconsent:
      return "needs_reconsent";
    case TikTokAccount::State::kRevoked:
      return "revoked";
  }
  return "active";
}

absl::StatusOr<std::vector<std::string>> RedisTikTokAccountStore::TokenFields(
    std::string_view team_id, std::string_view id,
    const AccountTokens& tokens) {
  TTADS_ASSIGN_OR_RETURN(
      std::string access,
      keys_.Encrypt(tokens.access_token, Ad(team_id, id, "access")));
  TTADS_ASSIGN_OR_RETURN(
      std::string refresh,
      keys_.Encrypt(tokens.refresh_token, Ad(team_id, id, "refresh")));
  return std::vector<std::string>{
      "access",         access,
      "refresh",        refresh,
      "access_expire",  Ms(tokens.access_expire_time),
      "refresh_expire", Ms(tokens.refresh_expire_time)};
}

absl::Status RedisTikTokAccountStore::Create(const TikTokAccount& a,
                                             const AccountTokens& tokens) {
  TTADS_ASSIGN_OR_RETURN(std::vector<std::string> token_fields,
                         TokenFields(a.team_id, a.connection_id, tokens));
  std::vector<std::string> hset = {
      "HSET",        TikTokAccountKey(a.team_id, a.connection_id),
      "member_id",   a.member_id,
      "open_id",     a.open_id,
      "state",       std::string(TikTokAccountStateName(a.state)),
      "scopes",      nlohmann::json(a.scopes).dump(),
      "create_time", Ms(a.create_time),
      "state_time",  Ms(a.create_time)};
  hset.insert(hset.end(), token_fields.begin(), token_fields.end());
  TTADS_ASSIGN_OR_RETURN(
      auto replies, redis_->Pipeline({{"MULTI"},
                                      hset,
                                      {"ZADD", TikTokAccountIndexKey(a.team_id),
                                       Ms(a.create_time), a.connection_id},
                                      {"EXEC"}}));
  for (const auto& r : replies) {
    if (r.is_error()) return absl::InternalError(r.str);
  }
  if (a.state != TikTokAccount::State::kActive) return absl::OkStatus();
  return Schedule(a.team_id, a.connection_id, tokens.access_expire_time);
}

absl::Status RedisTikTokAccountStore::Schedule(std::string_view team_id,
                                               std::string_view id,
                                               absl::Time access_expire) {
  return redis_
      ->Command({"ZADD", TikTokAccountDueKey(), Ms(access_expire),
                 TikTokAccountDueMember(team_id, id)})
      .status();
}

absl::Status RedisTikTokAccountStore::Unschedule(std::string_view team_id,
                                                 std::string_view id) {
  return redis_
      ->Command(
          {"ZREM", TikTokAccountDueKey(), TikTokAccountDueMember(team_id, id)})
      .status();
}

absl::StatusOr<std::vector<DueAccount>> RedisTikTokAccountStore::DueForRefresh(
    absl::Time before, size_t limit) {
  std::vector<DueAccount> out;
  if (limit == 0) return out;
  TTADS_ASSIGN_OR_RETURN(
      RedisReply reply,
      redis_->Command({"ZRANGEBYSCORE", TikTokAccountDueKey(), "-inf",
                       absl::StrCat("(", Ms(before)), "WITHSCORES", "LIMIT",
                       "0", std::to_string(limit)}));
  for (size_t i = 0; i + 1 < reply.elements.size(); i += 2) {
    const std::string& member = reply.elements[i].str;
    const size_t slash = member.find('/');
    if (slash == std::string::npos) continue;
    out.push_back({member.substr(0, slash), member.substr(slash + 1),
                   FromMs(reply.elements[i + 1].str)});
  }
  return out;
}

absl::StatusOr<TikTokAccount> RedisTikTokAccountStore::Get(
    std::string_view team_id, std::string_view id) {
  TTADS_ASSIGN_OR_RETURN(auto h,
                         ReadHash(redis_, TikTokAccountKey(team_id, id), id));
  TikTokAccount a;
  a.connection_id = std::string(id);
  a.team_id = std::string(team_id);
  a.member_id = h["member_id"];
  a.open_id = h["open_id"];
  a.state = ParseState(h["state"]);
  auto scopes = nlohmann::json::parse(h["scopes"], nullptr, false);
  if (scopes.is_array()) {
    for (const auto& s : scopes) {
      if (s.is_string()) a.scopes.push_back(s.get<std::string>());
    }
  }
  a.access_expire_time = FromMs(h["access_expire"]);
  a.refresh_expire_time = FromMs(h["refresh_expire"]);
  a.create_time = FromMs(h["create_time"]);
  a.state_time = FromMs(h["state_time"]);
  return a;
}

absl::StatusOr<std::vector<TikTokAccount>> RedisTikTokAccountStore::List(
    std::string_view team_id) {
  TTADS_ASSIGN_OR_RETURN(
      RedisReply ids,
      redis_->Command({"ZRANGE", TikTokAccountIndexKey(team_id), "0", "-1"}));
  std::vector<TikTokAccount> out;
  for (const auto& id : ids.elements) {
    auto a = Get(team_id, id.str);
    if (absl::IsNotFound(a.status())) continue;
    TTADS_RETURN_IF_ERROR(a.status());
    out.push_back(std::move(*a));
  }
  return out;
}

absl::StatusOr<AccountTokens> RedisTikTokAccountStore::Tokens(
    std::string_view team_id, std::string_view id) {
  TTADS_ASSIGN_OR_RETURN(auto h,
                         ReadHash(redis_, TikTokAccountKey(team_id, id), id));
  if (h["access"].empty()) {
    return absl::NotFoundError(absl::StrCat("TikTok account connection ",
                                            std::string(id), " has no tokens"));
  }
  AccountTokens t;
  TTADS_ASSIGN_OR_RETURN(t.access_token,
                         keys_.Decrypt(h["access"], Ad(team_id, id, "access")));
  TTADS_ASSIGN_OR_RETURN(
      t.refresh_token, keys_.Decrypt(h["refresh"], Ad(team_id, id, "refresh")));
  t.access_expire_time = FromMs(h["access_expire"]);
  t.refresh_expire_time = FromMs(h["refresh_expire"]);
  return t;
}

absl::Status RedisTikTokAccountStore::UpdateTokens(
    std::string_view team_id, std::string_view id,
    const AccountTokens& tokens) {
  TTADS_ASSIGN_OR_RETURN(std::vector<std::string> fields,
                         TokenFields(team_id, id, tokens));
  std::vector<std::string> hset = {"HSET", TikTokAccountKey(team_id, id)};
  hset.insert(hset.end(), fields.begin(), fields.end());
  TTADS_ASSIGN_OR_RETURN(
      RedisReply exists,
      redis_->Command({"EXISTS", TikTokAccountKey(team_id, id)}));
  if (exists.integer == 0) {
    return absl::NotFoundError(absl::StrCat("TikTok account connection ",
                                            std::string(id), " not found"));
  }
  TTADS_RETURN_IF_ERROR(redis_->Command(hset).status());
  TTADS_ASSIGN_OR_RETURN(
      RedisReply state,
      redis_->Command({"HGET", TikTokAccountKey(team_id, id), "state"}));
  if (ParseState(state.str) != TikTokAccount::State::kActive) {
    return absl::OkStatus();
  }
  return Schedule(team_id, id, tokens.access_expire_time);
}

absl::Status RedisTikTokAccountStore::SetState(std::string_view team_id,
                                               std::string_view id,
                                               TikTokAccount::State state,
                                               absl::Time when) {
  const std::string key = TikTokAccountKey(team_id, id);
  TTADS_ASSIGN_OR_RETURN(RedisReply exists, redis_->Command({"EXISTS", key}));
  if (exists.integer == 0) {
    return absl::NotFoundError(absl::StrCat("TikTok account connection ",
                                            std::string(id), " not found"));
  }
  std::vector<std::vector<std::string>> cmds = {
      {"HSET", key, "state", std::string(TikTokAccountStateName(state)),
       "state_time", Ms(when)}};
  if (state == TikTokAccount::State::kRevoked) {
    cmds.push_back({"HDEL", key, "access", "refresh"});
  }
  TTADS_ASSIGN_OR_RETURN(auto replies, redis_->Pipeline(cmds));
  for (const auto& r : replies) {
    if (r.is_error()) return absl::InternalError(r.str);
  }
  if (state == TikTokAccount::State::kActive) {
    TTADS_ASSIGN_OR_RETURN(RedisReply expire,
                           redis_->Command({"HGET", key, "access_expire"}));
    return Schedule(team_id, id, FromMs(expire.str));
  }
  return Unschedule(team_id, id);
}

}  // namespace ttads::connections
