#include "tools/ttadsctl/commands.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/time/time.h"
#include "libs/connections/token_reencrypt.h"
#include "libs/status/status_macros.h"
#include "libs/store/key_schema.h"
#include "libs/store/reply.h"

namespace ttads::ttadsctl {
namespace {

using nlohmann::json;

std::string Time(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", t, absl::UTCTimeZone());
}

json TeamJson(const auth::Team& t) {
  return {{"id", t.id},
          {"name", t.name},
          {"tier", t.tier},
          {"subscription_active", t.subscription_active},
          {"create_time", Time(t.create_time)}};
}

// A stored unix-ms time as RFC 3339; other text as it is.
std::string StoredTime(const std::string& value) {
  int64_t ms = 0;
  if (!value.empty() && absl::SimpleAtoi(value, &ms)) {
    return Time(absl::FromUnixMillis(ms));
  }
  return value;
}

// The connection hashes the identity service writes under
// ttads:{team:T}:conn:<id>, whitelisting the fields that are safe to show.
absl::Status AddConnections(const std::string& team_id, store::RedisPool& redis,
                            Output& o) {
  const std::string prefix = store::TeamKey(team_id, "conn:");
  TTADS_ASSIGN_OR_RETURN(std::vector<std::string> keys,
                         store::ScanKeys(redis, prefix + "*"));
  std::vector<std::string> connections;
  for (const std::string& key : keys) {
    // Only the connection records themselves, not sub-keys (conn:C:...).
    if (key.find(':', prefix.size()) != std::string::npos) continue;
    connections.push_back(key);
  }
  std::sort(connections.begin(), connections.end());
  std::ostringstream text;
  json list = json::array();
  for (const std::string& key : connections) {
    TTADS_ASSIGN_OR_RETURN(store::RedisReply type,
                           redis.Command({"TYPE", key}));
    if (type.str != "hash") continue;
    TTADS_ASSIGN_OR_RETURN(auto fields, store::HashGetAll(redis, key));
    auto field = [&](const char* name) {
      auto it = fields.find(name);
      return it == fields.end() ? std::string() : it->second;
    };
    text << "  " << key.substr(prefix.size());
    for (const char* name :
         {"member_id", "state", "advertiser_ids", "create_time"}) {
      const std::string value = field(name);
      text << "  " << name << "=" << (value.empty() ? "-" : value);
    }
    text << "\n";
    json ids = json::parse(field("advertiser_ids"), nullptr,
                           /*allow_exceptions=*/false);
    if (!ids.is_array()) ids = json::array();
    list.push_back({{"id", key.substr(prefix.size())},
                    {"member_id", field("member_id")},
                    {"state", field("state")},
                    {"advertiser_ids", ids},
                    {"create_time", StoredTime(field("create_time"))}});
  }
  o.text += "connections: " + std::to_string(list.size()) + "\n" + text.str();
  o.json["connections"] = std::move(list);
  return absl::OkStatus();
}

// "revoked", "expired", "expiring" (rotated, in its overlap) or "active",
// as the admin API's ApiKeyState.
std::string KeyState(const auth::ApiKeyInfo& key, absl::Time now) {
  if (key.revoked) return "revoked";
  if (key.expire_time.has_value()) {
    return *key.expire_time <= now ? "expired" : "expiring";
  }
  return "active";
}

}  // namespace

absl::StatusOr<Output> TeamCreate(TeamAdmin& teams, const std::string& name,
                                  const std::string& tier, bool subscription) {
  TTADS_ASSIGN_OR_RETURN(auth::Team team,
                         teams.CreateTeam(name, tier, subscription));
  return Output{.json = {{"team", TeamJson(team)}}, .text = team.id + "\n"};
}

absl::StatusOr<Output> TeamList(TeamAdmin& teams) {
  TTADS_ASSIGN_OR_RETURN(std::vector<auth::Team> all, teams.ListTeams());
  Output o{.json = {{"teams", json::array()}}};
  for (const auth::Team& t : all) {
    o.json["teams"].push_back(TeamJson(t));
    o.text += t.id + "\t" + t.tier + "\t" +
              (t.subscription_active ? "subscribed" : "unsubscribed") + "\t" +
              t.name + "\n";
  }
  return o;
}

absl::StatusOr<Output> TeamShow(TeamAdmin& teams, store::RedisPool* redis,
                                const std::string& team_id) {
  TTADS_ASSIGN_OR_RETURN(auth::Team team, teams.GetTeam(team_id));
  Output o{.json = {{"team", TeamJson(team)}, {"members", json::array()}}};
  o.text = "team: " + team.id + "\nname: " + team.name +
           "\ntier: " + team.tier + "\nsubscription_active: " +
           (team.subscription_active ? "true" : "false") +
           "\ncreate_time: " + Time(team.create_time) + "\n";
  TTADS_ASSIGN_OR_RETURN(std::vector<auth::Member> members,
                         teams.ListMembers(team_id));
  o.text += "members: " + std::to_string(members.size()) + "\n";
  for (const auth::Member& m : members) {
    const std::string role(auth::RoleName(m.role));
    o.text += "  " + m.id + "  " + role + "  " + m.name + "\n";
    o.json["members"].push_back(
        {{"id", m.id}, {"name", m.name}, {"role", role}});
  }
  if (redis != nullptr)
    TTADS_RETURN_IF_ERROR(AddConnections(team.id, *redis, o));
  return o;
}

absl::StatusOr<Output> MemberAdd(TeamAdmin& teams, const std::string& team_id,
                                 const std::string& name,
                                 const std::string& role) {
  TTADS_ASSIGN_OR_RETURN(auth::Role parsed, auth::ParseRole(role));
  TTADS_ASSIGN_OR_RETURN(auth::Member member,
                         teams.AddMember(team_id, name, parsed));
  return Output{
      .json = {{"member",
                {{"id", member.id},
                 {"team_id", member.team_id},
                 {"name", member.name},
                 {"role", std::string(auth::RoleName(member.role))}}}},
      .text = member.id + "\n"};
}

absl::StatusOr<Output> KeyIssue(TeamAdmin& teams, const std::string& team_id,
                                const std::string& member_id) {
  TTADS_ASSIGN_OR_RETURN(auth::IssuedKey issued,
                         teams.IssueApiKey(team_id, member_id));
  return Output{
      .json = {{"key_id", issued.key_id},
               {"team_id", team_id},
               {"member_id", member_id},
               {"key", issued.plaintext}},
      .text = issued.plaintext + "\n",
      .note = "key id: " + issued.key_id + " (the key is shown only once)\n"};
}

absl::StatusOr<Output> KeyRevoke(TeamAdmin& teams, const std::string& team_id,
                                 const std::string& key_id) {
  TTADS_RETURN_IF_ERROR(teams.RevokeApiKey(team_id, key_id));
  return Output{.json = {{"key_id", key_id}, {"revoked", true}},
                .note = "revoked " + key_id + "\n"};
}

absl::StatusOr<Output> KeyRotate(TeamAdmin& teams, const std::string& team_id,
                                 const std::string& key_id,
                                 absl::Duration overlap) {
  TTADS_ASSIGN_OR_RETURN(auth::RotatedKey rotated,
                         teams.RotateApiKey(team_id, key_id, overlap));
  const std::string until = rotated.previous.expire_time.has_value()
                                ? Time(*rotated.previous.expire_time)
                                : std::string();
  return Output{.json = {{"key_id", rotated.successor.key_id},
                         {"team_id", rotated.previous.team_id},
                         {"member_id", rotated.previous.member_id},
                         {"key", rotated.successor.plaintext},
                         {"previous_key_id", rotated.previous.key_id},
                         {"previous_expire_time", until}},
                .text = rotated.successor.plaintext + "\n",
                .note = "key id: " + rotated.successor.key_id +
                        " (the key is shown only once); " +
                        rotated.previous.key_id + " works until " + until +
                        "\n"};
}

absl::StatusOr<Output> KeyList(TeamAdmin& teams, const std::string& team_id) {
  TTADS_ASSIGN_OR_RETURN(std::vector<auth::ApiKeyInfo> keys,
                         teams.ListApiKeys(team_id));
  const absl::Time now = absl::Now();
  Output o{.json = {{"keys", json::array()}}};
  for (const auth::ApiKeyInfo& k : keys) {
    const std::string state = KeyState(k, now);
    json entry = {{"key_id", k.key_id},
                  {"member_id", k.member_id},
                  {"create_time", Time(k.create_time)},
                  {"revoked", k.revoked},
                  {"state", state}};
    o.text += k.key_id + "\t" + k.member_id + "\t" + Time(k.create_time) +
              "\t" + state;
    if (k.expire_time.has_value()) {
      entry["expire_time"] = Time(*k.expire_time);
      o.text += "\tuntil " + Time(*k.expire_time);
    }
    if (!k.successor_key_id.empty()) {
      entry["successor_key_id"] = k.successor_key_id;
    }
    o.text += "\n";
    o.json["keys"].push_back(std::move(entry));
  }
  return o;
}

absl::StatusOr<Output> Demo(TeamAdmin& teams, const std::string& out_dir,
                            const std::string& tier) {
  TTADS_ASSIGN_OR_RETURN(
      auth::Team team,
      teams.CreateTeam("Demo Team", tier, /*subscription_active=*/true));
  struct Seat {
    auth::Role role;
    const char* name;
    const char* variable;
  };
  const Seat seats[] = {
      {auth::Role::kOwner, "Demo Owner", "TTADS_DEMO_OWNER_KEY"},
      {auth::Role::kManager, "Demo Manager", "TTADS_DEMO_MANAGER_KEY"},
      {auth::Role::kMediaBuyer, "Demo Media Buyer",
       "TTADS_DEMO_MEDIABUYER_KEY"},
  };
  std::string env =
      "# Written by `ttadsctl demo`: API keys of a demo team.\n"
      "TTADS_DEMO_TEAM_ID=" +
      team.id + "\n";
  std::string owner_key;
  for (const Seat& seat : seats) {
    TTADS_ASSIGN_OR_RETURN(auth::Member member,
                           teams.AddMember(team.id, seat.name, seat.role));
    TTADS_ASSIGN_OR_RETURN(auth::IssuedKey key,
                           teams.IssueApiKey(team.id, member.id));
    env += std::string(seat.variable) + "=" + key.plaintext + "\n";
    if (seat.role == auth::Role::kOwner) owner_key = key.plaintext;
  }

  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  if (ec) {
    return absl::InvalidArgumentError("cannot create " + out_dir + ": " +
                                      ec.message());
  }
  const std::string path =
      (std::filesystem::path(out_dir) / "demo-keys.env").string();
  const std::string tmp = path + ".tmp";
  {
    std::ofstream file(tmp, std::ios::trunc);
    chmod(tmp.c_str(), 0600);
    file << env;
    if (!file.flush()) return absl::InternalError("cannot write " + tmp);
  }
  std::filesystem::rename(tmp, path, ec);
  if (ec) return absl::InternalError("cannot write " + path);
  return Output{
      .json = {{"team_id", team.id},
               {"keys_file", path},
               {"owner_key", owner_key}},
      .text = owner_key + "\n",
      .note = "demo team " + team.id + "; keys written to " + path + "\n"};
}

absl::StatusOr<Output> Reencrypt(store::RedisPool& redis,
                                 const crypto::KeyRing& keys, bool apply) {
  TTADS_ASSIGN_OR_RETURN(connections::ReencryptReport r,
                         connections::ReencryptTokens(redis, keys, apply));
  Output o;
  o.json = {{"applied", r.applied},
            {"current_key", r.current_key},
            {"records", r.records},
            {"tokens", r.tokens},
            {"by_key", r.by_key},
            {"already_current", r.already_current},
            {"reencrypted", r.reencrypted},
            {"pending", r.pending},
            {"changed_meanwhile", r.changed_meanwhile},
            {"failures", r.failures}};
  std::ostringstream text;
  text << "applied: " << (r.applied ? "true" : "false") << "\n"
       << "current_key: " << r.current_key << "\n"
       << "records: " << r.records << "\n"
       << "tokens: " << r.tokens << "\n";
  for (const auto& [id, n] : r.by_key)
    text << "  key " << id << ": " << n << "\n";
  text << "already_current: " << r.already_current << "\n"
       << "reencrypted: " << r.reencrypted << "\n"
       << "pending: " << r.pending << "\n"
       << "changed_meanwhile: " << r.changed_meanwhile << "\n"
       << "failures: " << r.failures.size() << "\n";
  for (const std::string& f : r.failures) text << "  " << f << "\n";
  o.text = text.str();
  if (!r.applied && r.pending > 0) {
    o.note = "dry run: nothing written; run again with --apply to move " +
             std::to_string(r.pending) + " token(s) to key \"" + r.current_key +
             "\"\n";
  }
  if (!r.failures.empty()) {
    o.failure = std::to_string(r.failures.size()) +
                " token(s) do not decrypt with the configured keys (listed "
                "above); they were left as they are";
  }
  return o;
}

}  // namespace ttads::ttadsctl
