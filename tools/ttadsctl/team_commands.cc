#include "tools/ttadsctl/team_commands.h"

#include <algorithm>
#include <sstream>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/time/time.h"
#include "libs/auth/team_store.h"
#include "libs/status/status_macros.h"
#include "libs/store/key_schema.h"
#include "libs/store/reply.h"

namespace ttads::ttadsctl {
namespace {

using nlohmann::json;

json TeamJson(const auth::Team& t) {
  return {{"id", t.id},
          {"name", t.name},
          {"tier", t.tier},
          {"subscription_active", t.subscription_active},
          {"create_time", TimeText(t.create_time)}};
}

// A stored unix-ms time as RFC 3339; other text as it is.
std::string StoredTime(const std::string& value) {
  int64_t ms = 0;
  if (!value.empty() && absl::SimpleAtoi(value, &ms)) {
    return TimeText(absl::FromUnixMillis(ms));
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
           "\ncreate_time: " + TimeText(team.create_time) + "\n";
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

}  // namespace ttads::ttadsctl
