#include "libs/auth/redis_team_store.h"

#include <map>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "libs/auth/api_key.h"
#include "libs/auth/internal/checks.h"
#include "libs/auth/revocation_watcher.h"
#include "libs/status/status_macros.h"
#include "libs/store/key_schema.h"
#include "libs/store/reply.h"

namespace ttads::auth {
namespace {

using Fields = std::map<std::string, std::string>;
using internal::CheckId;
using internal::CheckName;

std::string Str(std::string_view s) { return std::string(s); }

std::string TeamRecordKey(std::string_view team) {
  return store::TeamKey(team, "team");
}
std::string MembersKey(std::string_view team) {
  return store::TeamKey(team, "members");
}
std::string MemberKey(std::string_view team, std::string_view member) {
  return store::TeamKey(team, "member:" + Str(member));
}
std::string ApiKeysKey(std::string_view team) {
  return store::TeamKey(team, "apikeys");
}
std::string ApiKeyRecordKey(std::string_view team, std::string_view key_id) {
  return store::TeamKey(team, "apikey:" + Str(key_id));
}
std::string LookupKey(std::string_view digest) {
  return store::GlobalKey("apikey:" + Str(digest));
}
std::string KeyIdIndexKey(std::string_view key_id) {
  return store::GlobalKey("apikeyid:" + Str(key_id));
}
const std::string kTeamsKey = store::GlobalKey("teams");

std::string TimeText(absl::Time t) {
  return absl::FormatTime(absl::RFC3339_full, t, absl::UTCTimeZone());
}
absl::Time ParseTimeText(const std::string& text) {
  absl::Time t = absl::UnixEpoch();
  std::string err;
  absl::ParseTime(absl::RFC3339_full, text, &t, &err);
  return t;
}
std::string Micros(absl::Time t) {
  return std::to_string(absl::ToUnixMicros(t));
}

std::string Get(const Fields& f, const std::string& name) {
  auto it = f.find(name);
  return it == f.end() ? "" : it->second;
}

Team TeamFrom(const Fields& f) {
  Team t;
  t.id = Get(f, "id");
  t.name = Get(f, "name");
  t.tier = Get(f, "tier");
  t.subscription_active = Get(f, "subscription_active") == "true";
  t.create_time = ParseTimeText(Get(f, "create_time"));
  return t;
}

Member MemberFrom(const Fields& f) {
  Member m;
  m.id = Get(f, "id");
  m.team_id = Get(f, "team_id");
  m.name = Get(f, "name");
  m.role = ParseRole(Get(f, "role")).value_or(Role::kUnspecified);
  m.create_time = ParseTimeText(Get(f, "create_time"));
  return m;
}

// A unix-µs field, or nullopt when absent or malformed.
std::optional<absl::Time> MicrosField(const Fields& f,
                                      const std::string& name) {
  int64_t micros = 0;
  if (!absl::SimpleAtoi(Get(f, name), &micros)) return std::nullopt;
  return absl::FromUnixMicros(micros);
}

ApiKeyInfo KeyFrom(const Fields& f) {
  ApiKeyInfo k;
  k.key_id = Get(f, "key_id");
  k.team_id = Get(f, "team_id");
  k.member_id = Get(f, "member_id");
  k.create_time = ParseTimeText(Get(f, "create_time"));
  k.revoked = Get(f, "revoked") == "true";
  if (!Get(f, "revoke_time").empty()) {
    k.revoke_time = ParseTimeText(Get(f, "revoke_time"));
  }
  k.expire_time = MicrosField(f, "expire_time");
  k.successor_key_id = Get(f, "successor_key_id");
  return k;
}

absl::Status ReplyErrors(const std::vector<store::RedisReply>& replies) {
  for (const store::RedisReply& r : replies) {
    if (r.is_error()) return absl::InternalError(r.str);
  }
  return absl::OkStatus();
}

// Runs commands in MULTI/EXEC (all keys of one team: one slot) and fails
// unless every queued command succeeded.
absl::Status Transaction(store::RedisPool& pool,
                         std::vector<std::vector<std::string>> commands) {
  commands.insert(commands.begin(), {"MULTI"});
  commands.push_back({"EXEC"});
  TTADS_ASSIGN_OR_RETURN(std::vector<store::RedisReply> replies,
                         pool.Pipeline(commands));
  for (const store::RedisReply& r : replies) {
    if (r.is_error()) return absl::InternalError(r.str);
  }
  const store::RedisReply& exec = replies.back();
  if (exec.type != store::RedisReply::Type::kArray) {
    return absl::AbortedError("redis transaction aborted");
  }
  for (const store::RedisReply& r : exec.elements) {
    if (r.is_error()) return absl::InternalError(r.str);
  }
  return absl::OkStatus();
}

// HGETALL of each key in one round trip; missing hashes are skipped.
absl::StatusOr<std::vector<Fields>> GetAllHashes(
    store::RedisPool& pool, const std::vector<std::string>& keys) {
  std::vector<std::vector<std::string>> commands;
  for (const std::string& k : keys) commands.push_back({"HGETALL", k});
  TTADS_ASSIGN_OR_RETURN(std::vector<store::RedisReply> replies,
                         pool.Pipeline(commands));
  std::vector<Fields> out;
  for (const store::RedisReply& r : replies) {
    if (r.is_error()) return absl::InternalError(r.str);
    TTADS_ASSIGN_OR_RETURN(Fields f, store::ReplyToMap(r));
    if (!f.empty()) out.push_back(std::move(f));
  }
  return out;
}

absl::StatusOr<std::vector<std::string>> Range(store::RedisPool& pool,
                                               const std::string& key) {
  TTADS_ASSIGN_OR_RETURN(store::RedisReply reply,
                         pool.Command({"ZRANGE", key, "0", "-1"}));
  return store::ReplyToStrings(reply);
}

}  // namespace

absl::Time RedisTeamStore::Now() const { return internal::Truncated(clock_()); }

absl::Status RedisTeamStore::RequireTeam(std::string_view team_id) {
  TTADS_RETURN_IF_ERROR(CheckId("team_id", team_id));
  TTADS_ASSIGN_OR_RETURN(store::RedisReply exists,
                         pool_.Command({"EXISTS", TeamRecordKey(team_id)}));
  if (exists.integer != 1) {
    return absl::NotFoundError("team " + Str(team_id) + " not found");
  }
  return absl::OkStatus();
}

absl::StatusOr<Team> RedisTeamStore::CreateTeam(std::string_view name,
                                                std::string_view tier,
                                                bool subscription_active) {
  TTADS_RETURN_IF_ERROR(CheckName("name", name));
  TTADS_RETURN_IF_ERROR(ValidateTier(tier));
  Team team;
  team.id = NewTeamId();
  team.name = Str(name);
  team.tier = Str(tier);
  team.subscription_active = subscription_active;
  team.create_time = Now();
  TTADS_RETURN_IF_ERROR(Transaction(
      pool_, {{"HSET", TeamRecordKey(team.id), "id", team.id, "name", team.name,
               "tier", team.tier, "subscription_active",
               subscription_active ? "true" : "false", "create_time",
               TimeText(team.create_time)}}));
  TTADS_RETURN_IF_ERROR(
      pool_.Command({"ZADD", kTeamsKey, Micros(team.create_time), team.id}));
  return team;
}

absl::StatusOr<Team> RedisTeamStore::GetTeam(std::string_view team_id) {
  TTADS_RETURN_IF_ERROR(CheckId("team_id", team_id));
  absl::StatusOr<Fields> f = store::HashGetAll(pool_, TeamRecordKey(team_id));
  if (f.status().code() == absl::StatusCode::kNotFound) {
    return absl::NotFoundError("team " + Str(team_id) + " not found");
  }
  TTADS_RETURN_IF_ERROR(f);
  return TeamFrom(*f);
}

absl::StatusOr<std::vector<Team>> RedisTeamStore::ListTeams() {
  TTADS_ASSIGN_OR_RETURN(std::vector<std::string> ids, Range(pool_, kTeamsKey));
  std::vector<std::string> keys;
  for (const std::string& id : ids) keys.push_back(TeamRecordKey(id));
  TTADS_ASSIGN_OR_RETURN(std::vector<Fields> all, GetAllHashes(pool_, keys));
  std::vector<Team> teams;
  for (const Fields& f : all) teams.push_back(TeamFrom(f));
  return teams;
}

absl::Status RedisTeamStore::SetTeamField(std::string_view team_id,
                                          std::string field,
                                          std::string value) {
  TTADS_RETURN_IF_ERROR(RequireTeam(team_id));
  absl::StatusOr<store::RedisReply> r =
      pool_.Command({"HSET", TeamRecordKey(team_id), field, value});
  return r.status();
}

absl::Status RedisTeamStore::SetSubscriptionActive(std::string_view team_id,
                                                   bool active) {
  return SetTeamField(team_id, "subscription_active",
                      active ? "true" : "false");
}

absl::Status RedisTeamStore::SetTier(std::string_view team_id,
                                     std::string_view tier) {
  TTADS_RETURN_IF_ERROR(ValidateTier(tier));
  return SetTeamField(team_id, "tier", Str(tier));
}

absl::StatusOr<Member> RedisTeamStore::AddMember(std::string_view team_id,
                                                 std::string_view name,
                                                 Role role) {
  TTADS_RETURN_IF_ERROR(CheckName("name", name));
  if (role == Role::kUnspecified) {
    return absl::InvalidArgumentError("role is required");
  }
  TTADS_RETURN_IF_ERROR(RequireTeam(team_id));
  Member m;
  m.id = NewMemberId();
  m.team_id = Str(team_id);
  m.name = Str(name);
  m.role = role;
  m.create_time = Now();
  TTADS_RETURN_IF_ERROR(Transaction(
      pool_, {{"HSET", MemberKey(team_id, m.id), "id", m.id, "team_id",
               m.team_id, "name", m.name, "role", Str(RoleName(role)),
               "create_time", TimeText(m.create_time)},
              {"ZADD", MembersKey(team_id), Micros(m.create_time), m.id}}));
  return m;
}

absl::StatusOr<Member> RedisTeamStore::GetMember(std::string_view team_id,
                                                 std::string_view member_id) {
  TTADS_RETURN_IF_ERROR(CheckId("team_id", team_id));
  TTADS_RETURN_IF_ERROR(CheckId("member_id", member_id));
  absl::StatusOr<Fields> f =
      store::HashGetAll(pool_, MemberKey(team_id, member_id));
  if (f.status().code() == absl::StatusCode::kNotFound) {
    return absl::NotFoundError("member " + Str(member_id) +
                               " not found in team " + Str(team_id));
  }
  TTADS_RETURN_IF_ERROR(f);
  return MemberFrom(*f);
}

absl::StatusOr<std::vector<Member>> RedisTeamStore::ListMembers(
    std::string_view team_id) {
  TTADS_RETURN_IF_ERROR(RequireTeam(team_id));
  TTADS_ASSIGN_OR_RETURN(std::vector<std::string> ids,
                         Range(pool_, MembersKey(team_id)));
  std::vector<std::string> keys;
  for (const std::string& id : ids) keys.push_back(MemberKey(team_id, id));
  TTADS_ASSIGN_OR_RETURN(std::vector<Fields> all, GetAllHashes(pool_, keys));
  std::vector<Member> members;
  for (const Fields& f : all) members.push_back(MemberFrom(f));
  return members;
}

absl::StatusOr<IssuedKey> RedisTeamStore::IssueKey(const Member& member,
                                                   const std::string& key_id) {
  IssuedKey issued;
  issued.key_id = key_id;
  issued.plaintext = NewApiKey();
  const std::string digest = ApiKeyDigest(issued.plaintext);
  const absl::Time now = Now();
  const std::string& team_id = member.team_id;

  // The team-side record first, the global lookup last: a key only
  // authenticates once everything about it is stored.
  TTADS_RETURN_IF_ERROR(Transaction(
      pool_,
      {{"HSET", ApiKeyRecordKey(team_id, issued.key_id), "key_id",
        issued.key_id, "team_id", team_id, "member_id", member.id, "key_sha256",
        digest, "create_time", TimeText(now), "revoked", "false"},
       {"ZADD", ApiKeysKey(team_id), Micros(now), issued.key_id}}));
  TTADS_ASSIGN_OR_RETURN(
      std::vector<store::RedisReply> global,
      pool_.Pipeline({{"SET", KeyIdIndexKey(issued.key_id), team_id},
                      {"HSET", LookupKey(digest), "key_id", issued.key_id,
                       "team_id", team_id, "member_id", member.id, "role",
                       Str(RoleName(member.role))}}));
  TTADS_RETURN_IF_ERROR(ReplyErrors(global));
  return issued;
}

absl::StatusOr<IssuedKey> RedisTeamStore::IssueApiKey(
    std::string_view team_id, std::string_view member_id) {
  TTADS_ASSIGN_OR_RETURN(Member member, GetMember(team_id, member_id));
  return IssueKey(member, NewKeyId());
}

absl::StatusOr<std::pair<std::string, ApiKeyInfo>> RedisTeamStore::FindKey(
    std::string_view key_id) {
  TTADS_RETURN_IF_ERROR(CheckId("key_id", key_id));
  TTADS_ASSIGN_OR_RETURN(store::RedisReply team,
                         pool_.Command({"GET", KeyIdIndexKey(key_id)}));
  if (team.is_nil()) {
    return absl::NotFoundError("API key " + Str(key_id) + " not found");
  }
  absl::StatusOr<Fields> f =
      store::HashGetAll(pool_, ApiKeyRecordKey(team.str, key_id));
  if (f.status().code() == absl::StatusCode::kNotFound) {
    return absl::NotFoundError("API key " + Str(key_id) + " not found");
  }
  TTADS_RETURN_IF_ERROR(f);
  ApiKeyInfo info = KeyFrom(*f);
  return std::make_pair(Get(*f, "key_sha256"), std::move(info));
}

absl::Status RedisTeamStore::RevokeApiKey(std::string_view key_id) {
  TTADS_ASSIGN_OR_RETURN(auto found, FindKey(key_id));
  const auto& [digest, info] = found;
  // Remove the lookup first: from here on the key no longer authenticates,
  // whatever happens to the bookkeeping below.
  TTADS_RETURN_IF_ERROR(pool_.Command({"DEL", LookupKey(digest)}).status());
  if (!info.revoked) {
    TTADS_RETURN_IF_ERROR(
        pool_
            .Command({"HSET", ApiKeyRecordKey(info.team_id, key_id), "revoked",
                      "true", "revoke_time", TimeText(Now())})
            .status());
  }
  // Tell processes that cache Authenticate results (RevocationWatcher).
  return pool_.Command({"PUBLISH", std::string(kRevocationChannel), digest})
      .status();
}

absl::StatusOr<RotatedKey> RedisTeamStore::RotateApiKey(
    std::string_view key_id, absl::Duration overlap) {
  TTADS_RETURN_IF_ERROR(CheckId("key_id", key_id));
  TTADS_RETURN_IF_ERROR(internal::CheckOverlap(overlap, kMaxRotationOverlap));
  TTADS_ASSIGN_OR_RETURN(auto found, FindKey(key_id));
  auto& [digest, old] = found;
  const absl::Time now = Now();
  TTADS_RETURN_IF_ERROR(internal::CheckRotatable(old, now));
  TTADS_ASSIGN_OR_RETURN(Member member, GetMember(old.team_id, old.member_id));
  const std::string record = ApiKeyRecordKey(old.team_id, key_id);

  // Claim the rotation: of two concurrent rotations of one key, one wins.
  const std::string successor_id = NewKeyId();
  TTADS_ASSIGN_OR_RETURN(
      store::RedisReply claimed,
      pool_.Command({"HSETNX", record, "successor_key_id", successor_id}));
  if (claimed.integer != 1) {
    return absl::FailedPreconditionError("API key " + Str(key_id) +
                                         " was already rotated");
  }
  absl::StatusOr<IssuedKey> successor = IssueKey(member, successor_id);
  if (!successor.ok()) {
    (void)pool_.Command({"HDEL", record, "successor_key_id"});
    return successor.status();
  }

  // The old key expires: its lookup carries the time Authenticate refuses
  // it from (and Redis drops the lookup then too), its record says so.
  const absl::Time expire = now + overlap;
  const std::string lookup = LookupKey(digest);
  TTADS_RETURN_IF_ERROR(
      pool_.Command({"HSET", record, "expire_time", Micros(expire)}).status());
  TTADS_ASSIGN_OR_RETURN(store::RedisReply exists,
                         pool_.Command({"EXISTS", lookup}));
  if (exists.integer == 1) {
    TTADS_ASSIGN_OR_RETURN(
        std::vector<store::RedisReply> marked,
        pool_.Pipeline({{"HSET", lookup, "expire_time", Micros(expire)},
                        {"PEXPIREAT", lookup,
                         std::to_string(absl::ToUnixMillis(expire) + 1)}}));
    TTADS_RETURN_IF_ERROR(ReplyErrors(marked));
  }
  // Caches holding the old answer (without the expiry) drop it.
  TTADS_RETURN_IF_ERROR(
      pool_.Command({"PUBLISH", std::string(kRevocationChannel), digest})
          .status());

  old.expire_time = expire;
  old.successor_key_id = successor_id;
  return RotatedKey{*std::move(successor), std::move(old)};
}

absl::Status RedisTeamStore::DeleteMember(std::string_view team_id,
                                          std::string_view member_id) {
  TTADS_RETURN_IF_ERROR(GetMember(team_id, member_id).status());
  TTADS_ASSIGN_OR_RETURN(std::vector<ApiKeyInfo> keys, ListApiKeys(team_id));
  for (const ApiKeyInfo& key : keys) {
    if (key.member_id != member_id) continue;
    TTADS_RETURN_IF_ERROR(RevokeApiKey(key.key_id));
  }
  // The keys are refused before the member disappears.
  return Transaction(pool_, {{"DEL", MemberKey(team_id, member_id)},
                             {"ZREM", MembersKey(team_id), Str(member_id)}});
}

absl::StatusOr<std::vector<ApiKeyInfo>> RedisTeamStore::ListApiKeys(
    std::string_view team_id) {
  TTADS_RETURN_IF_ERROR(RequireTeam(team_id));
  TTADS_ASSIGN_OR_RETURN(std::vector<std::string> ids,
                         Range(pool_, ApiKeysKey(team_id)));
  std::vector<std::string> keys;
  for (const std::string& id : ids) {
    keys.push_back(ApiKeyRecordKey(team_id, id));
  }
  TTADS_ASSIGN_OR_RETURN(std::vector<Fields> all, GetAllHashes(pool_, keys));
  std::vector<ApiKeyInfo> out;
  for (const Fields& f : all) out.push_back(KeyFrom(f));
  return out;
}

absl::StatusOr<Principal> RedisTeamStore::Authenticate(
    std::string_view plaintext_key) {
  if (!LooksLikeApiKey(plaintext_key)) return internal::Unauthenticated();
  TTADS_ASSIGN_OR_RETURN(
      store::RedisReply reply,
      pool_.Command({"HGETALL", LookupKey(ApiKeyDigest(plaintext_key))}));
  TTADS_ASSIGN_OR_RETURN(Fields f, store::ReplyToMap(reply));
  if (f.empty()) return internal::Unauthenticated();
  Principal p;
  p.team_id = Get(f, "team_id");
  p.member_id = Get(f, "member_id");
  p.key_id = Get(f, "key_id");
  p.role = ParseRole(Get(f, "role")).value_or(Role::kUnspecified);
  if (p.team_id.empty() || p.role == Role::kUnspecified) {
    return internal::Unauthenticated();
  }
  if (f.count("expire_time") > 0) {
    std::optional<absl::Time> expire = MicrosField(f, "expire_time");
    // A rotated key past its overlap (an unreadable expiry fails closed).
    if (!expire.has_value() || *expire <= clock_()) {
      return internal::Unauthenticated();
    }
    p.expire_time = *expire;
  }
  return p;
}

}  // namespace ttads::auth
