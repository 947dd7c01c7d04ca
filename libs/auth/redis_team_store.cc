#include "libs/auth/redis_team_store.h"

#include <map>

#include "absl/status/status.h"
#include "libs/auth/api_key.h"
#include "libs/auth/internal/checks.h"
#include "libs/auth/revocation_watcher.h"
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

ApiKeyInfo KeyFrom(const Fields& f) {
  ApiKeyInfo k;
  k.key_id = Get(f, "key_id");
  k.team_id = Get(f, "team_id");
  k.member_id = Get(f, "member_id");
  k.create_time = ParseTimeText(Get(f, "create_time"));
  k.revoked = Get(f, "revoked") == "true";
  return k;
}

// Runs commands in MULTI/EXEC (all keys of one team: one slot) and fails
// unless every queued command succeeded.
absl::Status Transaction(store::RedisPool& pool,
                         std::vector<std::vector<std::string>> commands) {
  commands.insert(commands.begin(), {"MULTI"});
  commands.push_back({"EXEC"});
  absl::StatusOr<std::vector<store::RedisReply>> replies =
      pool.Pipeline(commands);
  if (!replies.ok()) return replies.status();
  for (const store::RedisReply& r : *replies) {
    if (r.is_error()) return absl::InternalError(r.str);
  }
  const store::RedisReply& exec = replies->back();
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
  absl::StatusOr<std::vector<store::RedisReply>> replies =
      pool.Pipeline(commands);
  if (!replies.ok()) return replies.status();
  std::vector<Fields> out;
  for (const store::RedisReply& r : *replies) {
    if (r.is_error()) return absl::InternalError(r.str);
    absl::StatusOr<Fields> f = store::ReplyToMap(r);
    if (!f.ok()) return f.status();
    if (!f->empty()) out.push_back(std::move(*f));
  }
  return out;
}

absl::StatusOr<std::vector<std::string>> Range(store::RedisPool& pool,
                                               const std::string& key) {
  absl::StatusOr<store::RedisReply> reply =
      pool.Command({"ZRANGE", key, "0", "-1"});
  if (!reply.ok()) return reply.status();
  return store::ReplyToStrings(*reply);
}

}  // namespace

absl::Status RedisTeamStore::RequireTeam(std::string_view team_id) {
  if (absl::Status s = CheckId("team_id", team_id); !s.ok()) return s;
  absl::StatusOr<store::RedisReply> exists =
      pool_.Command({"EXISTS", TeamRecordKey(team_id)});
  if (!exists.ok()) return exists.status();
  if (exists->integer != 1) {
    return absl::NotFoundError("team " + Str(team_id) + " not found");
  }
  return absl::OkStatus();
}

absl::StatusOr<Team> RedisTeamStore::CreateTeam(std::string_view name,
                                                std::string_view tier,
                                                bool subscription_active) {
  if (absl::Status s = CheckName("name", name); !s.ok()) return s;
  if (absl::Status s = ValidateTier(tier); !s.ok()) return s;
  Team team;
  team.id = NewTeamId();
  team.name = Str(name);
  team.tier = Str(tier);
  team.subscription_active = subscription_active;
  team.create_time = absl::FromUnixMicros(absl::ToUnixMicros(absl::Now()));
  absl::Status written = Transaction(
      pool_, {{"HSET", TeamRecordKey(team.id), "id", team.id, "name", team.name,
               "tier", team.tier, "subscription_active",
               subscription_active ? "true" : "false", "create_time",
               TimeText(team.create_time)}});
  if (!written.ok()) return written;
  absl::StatusOr<store::RedisReply> indexed =
      pool_.Command({"ZADD", kTeamsKey, Micros(team.create_time), team.id});
  if (!indexed.ok()) return indexed.status();
  return team;
}

absl::StatusOr<Team> RedisTeamStore::GetTeam(std::string_view team_id) {
  if (absl::Status s = CheckId("team_id", team_id); !s.ok()) return s;
  absl::StatusOr<Fields> f = store::HashGetAll(pool_, TeamRecordKey(team_id));
  if (f.status().code() == absl::StatusCode::kNotFound) {
    return absl::NotFoundError("team " + Str(team_id) + " not found");
  }
  if (!f.ok()) return f.status();
  return TeamFrom(*f);
}

absl::StatusOr<std::vector<Team>> RedisTeamStore::ListTeams() {
  absl::StatusOr<std::vector<std::string>> ids = Range(pool_, kTeamsKey);
  if (!ids.ok()) return ids.status();
  std::vector<std::string> keys;
  for (const std::string& id : *ids) keys.push_back(TeamRecordKey(id));
  absl::StatusOr<std::vector<Fields>> all = GetAllHashes(pool_, keys);
  if (!all.ok()) return all.status();
  std::vector<Team> teams;
  for (const Fields& f : *all) teams.push_back(TeamFrom(f));
  return teams;
}

absl::Status RedisTeamStore::SetTeamField(std::string_view team_id,
                                          std::string field,
                                          std::string value) {
  if (absl::Status s = RequireTeam(team_id); !s.ok()) return s;
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
  if (absl::Status s = ValidateTier(tier); !s.ok()) return s;
  return SetTeamField(team_id, "tier", Str(tier));
}

absl::StatusOr<Member> RedisTeamStore::AddMember(std::string_view team_id,
                                                 std::string_view name,
                                                 Role role) {
  if (absl::Status s = CheckName("name", name); !s.ok()) return s;
  if (role == Role::kUnspecified) {
    return absl::InvalidArgumentError("role is required");
  }
  if (absl::Status s = RequireTeam(team_id); !s.ok()) return s;
  Member m;
  m.id = NewMemberId();
  m.team_id = Str(team_id);
  m.name = Str(name);
  m.role = role;
  m.create_time = absl::FromUnixMicros(absl::ToUnixMicros(absl::Now()));
  absl::Status written = Transaction(
      pool_, {{"HSET", MemberKey(team_id, m.id), "id", m.id, "team_id",
               m.team_id, "name", m.name, "role", Str(RoleName(role)),
               "create_time", TimeText(m.create_time)},
              {"ZADD", MembersKey(team_id), Micros(m.create_time), m.id}});
  if (!written.ok()) return written;
  return m;
}

absl::StatusOr<Member> RedisTeamStore::GetMember(std::string_view team_id,
                                                 std::string_view member_id) {
  if (absl::Status s = CheckId("team_id", team_id); !s.ok()) return s;
  if (absl::Status s = CheckId("member_id", member_id); !s.ok()) return s;
  absl::StatusOr<Fields> f =
      store::HashGetAll(pool_, MemberKey(team_id, member_id));
  if (f.status().code() == absl::StatusCode::kNotFound) {
    return absl::NotFoundError("member " + Str(member_id) +
                               " not found in team " + Str(team_id));
  }
  if (!f.ok()) return f.status();
  return MemberFrom(*f);
}

absl::StatusOr<std::vector<Member>> RedisTeamStore::ListMembers(
    std::string_view team_id) {
  if (absl::Status s = RequireTeam(team_id); !s.ok()) return s;
  absl::StatusOr<std::vector<std::string>> ids =
      Range(pool_, MembersKey(team_id));
  if (!ids.ok()) return ids.status();
  std::vector<std::string> keys;
  for (const std::string& id : *ids) keys.push_back(MemberKey(team_id, id));
  absl::StatusOr<std::vector<Fields>> all = GetAllHashes(pool_, keys);
  if (!all.ok()) return all.status();
  std::vector<Member> members;
  for (const Fields& f : *all) members.push_back(MemberFrom(f));
  return members;
}

absl::StatusOr<IssuedKey> RedisTeamStore::IssueApiKey(
    std::string_view team_id, std::string_view member_id) {
  absl::StatusOr<Member> member = GetMember(team_id, member_id);
  if (!member.ok()) return member.status();

  IssuedKey issued;
  issued.key_id = NewKeyId();
  issued.plaintext = NewApiKey();
  const std::string digest = ApiKeyDigest(issued.plaintext);
  const absl::Time now = absl::FromUnixMicros(absl::ToUnixMicros(absl::Now()));

  // The team-side record first, the global lookup last: a key only
  // authenticates once everything about it is stored.
  absl::Status written = Transaction(
      pool_,
      {{"HSET", ApiKeyRecordKey(team_id, issued.key_id), "key_id",
        issued.key_id, "team_id", Str(team_id), "member_id", Str(member_id),
        "key_sha256", digest, "create_time", TimeText(now), "revoked", "false"},
       {"ZADD", ApiKeysKey(team_id), Micros(now), issued.key_id}});
  if (!written.ok()) return written;
  absl::StatusOr<std::vector<store::RedisReply>> global =
      pool_.Pipeline({{"SET", KeyIdIndexKey(issued.key_id), Str(team_id)},
                      {"HSET", LookupKey(digest), "key_id", issued.key_id,
                       "team_id", Str(team_id), "member_id", Str(member_id),
                       "role", Str(RoleName(member->role))}});
  if (!global.ok()) return global.status();
  for (const store::RedisReply& r : *global) {
    if (r.is_error()) return absl::InternalError(r.str);
  }
  return issued;
}

absl::Status RedisTeamStore::RevokeApiKey(std::string_view key_id) {
  if (absl::Status s = CheckId("key_id", key_id); !s.ok()) return s;
  absl::StatusOr<store::RedisReply> team =
      pool_.Command({"GET", KeyIdIndexKey(key_id)});
  if (!team.ok()) return team.status();
  if (team->is_nil()) {
    return absl::NotFoundError("API key " + Str(key_id) + " not found");
  }
  const std::string record = ApiKeyRecordKey(team->str, key_id);
  absl::StatusOr<store::RedisReply> digest =
      pool_.Command({"HGET", record, "key_sha256"});
  if (!digest.ok()) return digest.status();
  if (digest->is_nil()) {
    return absl::NotFoundError("API key " + Str(key_id) + " not found");
  }
  // Remove the lookup first: from here on the key no longer authenticates,
  // whatever happens to the bookkeeping below.
  absl::StatusOr<store::RedisReply> removed =
      pool_.Command({"DEL", LookupKey(digest->str)});
  if (!removed.ok()) return removed.status();
  absl::StatusOr<store::RedisReply> marked =
      pool_.Command({"HSET", record, "revoked", "true", "revoke_time",
                     TimeText(absl::Now())});
  if (!marked.ok()) return marked.status();
  // Tell processes that cache Authenticate results (RevocationWatcher).
  absl::StatusOr<store::RedisReply> published =
      pool_.Command({"PUBLISH", std::string(kRevocationChannel), digest->str});
  return published.status();
}

absl::StatusOr<std::vector<ApiKeyInfo>> RedisTeamStore::ListApiKeys(
    std::string_view team_id) {
  if (absl::Status s = RequireTeam(team_id); !s.ok()) return s;
  absl::StatusOr<std::vector<std::string>> ids =
      Range(pool_, ApiKeysKey(team_id));
  if (!ids.ok()) return ids.status();
  std::vector<std::string> keys;
  for (const std::string& id : *ids) {
    keys.push_back(ApiKeyRecordKey(team_id, id));
  }
  absl::StatusOr<std::vector<Fields>> all = GetAllHashes(pool_, keys);
  if (!all.ok()) return all.status();
  std::vector<ApiKeyInfo> out;
  for (const Fields& f : *all) out.push_back(KeyFrom(f));
  return out;
}

absl::StatusOr<Principal> RedisTeamStore::Authenticate(
    std::string_view plaintext_key) {
  if (!LooksLikeApiKey(plaintext_key)) return internal::Unauthenticated();
  absl::StatusOr<store::RedisReply> reply =
      pool_.Command({"HGETALL", LookupKey(ApiKeyDigest(plaintext_key))});
  if (!reply.ok()) return reply.status();
  absl::StatusOr<Fields> f = store::ReplyToMap(*reply);
  if (!f.ok()) return f.status();
  if (f->empty()) return internal::Unauthenticated();
  Principal p;
  p.team_id = Get(*f, "team_id");
  p.member_id = Get(*f, "member_id");
  p.key_id = Get(*f, "key_id");
  p.role = ParseRole(Get(*f, "role")).value_or(Role::kUnspecified);
  if (p.team_id.empty() || p.role == Role::kUnspecified) {
    return internal::Unauthenticated();
  }
  return p;
}

}  // namespace ttads::auth
