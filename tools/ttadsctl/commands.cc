#include "tools/ttadsctl/commands.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "absl/time/time.h"
#include "libs/store/key_schema.h"
#include "libs/store/reply.h"

namespace ttads::ttadsctl {
namespace {

const std::set<std::string> kBooleanFlags = {"subscription", "help"};

std::string Time(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", t, absl::UTCTimeZone());
}

// Looks up a required flag, or INVALID_ARGUMENT naming it.
absl::StatusOr<std::string> Need(const Args& args, const std::string& flag) {
  auto it = args.flags.find(flag);
  if (it == args.flags.end() || it->second.empty()) {
    return absl::InvalidArgumentError("missing --" + flag);
  }
  return it->second;
}

std::string Optional(const Args& args, const std::string& flag,
                     const std::string& fallback) {
  auto it = args.flags.find(flag);
  return it == args.flags.end() ? fallback : it->second;
}

absl::Status OnlyFlags(const Args& args, std::set<std::string> allowed) {
  allowed.insert("redis");
  for (const auto& [name, value] : args.flags) {
    if (allowed.count(name) == 0) {
      return absl::InvalidArgumentError("unknown flag --" + name +
                                        " for this command");
    }
  }
  return absl::OkStatus();
}

#define TTADSCTL_ASSIGN(lhs, expr)              \
  auto lhs##_or = (expr);                       \
  if (!lhs##_or.ok()) return lhs##_or.status(); \
  auto& lhs = *lhs##_or

absl::Status TeamCreate(const Args& args, auth::TeamStore& teams,
                        std::ostream& out) {
  if (auto s = OnlyFlags(args, {"name", "tier", "subscription"}); !s.ok()) {
    return s;
  }
  TTADSCTL_ASSIGN(name, Need(args, "name"));
  const std::string subscription = Optional(args, "subscription", "false");
  if (subscription != "true" && subscription != "false") {
    return absl::InvalidArgumentError("--subscription takes true or false");
  }
  TTADSCTL_ASSIGN(team,
                  teams.CreateTeam(name, Optional(args, "tier", "standard"),
                                   subscription == "true"));
  out << team.id << "\n";
  return absl::OkStatus();
}

absl::Status TeamList(const Args& args, auth::TeamStore& teams,
                      std::ostream& out) {
  if (auto s = OnlyFlags(args, {}); !s.ok()) return s;
  TTADSCTL_ASSIGN(all, teams.ListTeams());
  for (const auth::Team& t : all) {
    out << t.id << "\t" << t.tier << "\t"
        << (t.subscription_active ? "subscribed" : "unsubscribed") << "\t"
        << t.name << "\n";
  }
  return absl::OkStatus();
}

// Prints the connection hashes the identity service writes under
// ttads:{team:T}:conn:<id>, whitelisting the fields that are safe to show.
absl::Status PrintConnections(const std::string& team_id,
                              store::RedisPool& redis, std::ostream& out) {
  const std::string prefix = store::TeamKey(team_id, "conn:");
  TTADSCTL_ASSIGN(keys, store::ScanKeys(redis, prefix + "*"));
  std::vector<std::string> connections;
  for (const std::string& key : keys) {
    // Only the connection records themselves, not sub-keys (conn:C:...).
    if (key.find(':', prefix.size()) != std::string::npos) continue;
    connections.push_back(key);
  }
  out << "connections: " << connections.size() << "\n";
  for (const std::string& key : connections) {
    TTADSCTL_ASSIGN(type, redis.Command({"TYPE", key}));
    if (type.str != "hash") continue;
    TTADSCTL_ASSIGN(fields, store::HashGetAll(redis, key));
    out << "  " << key.substr(prefix.size());
    for (const char* name :
         {"member_id", "state", "advertiser_ids", "create_time"}) {
      auto it = fields.find(name);
      out << "  " << name << "="
          << (it == fields.end() ? std::string("-") : it->second);
    }
    out << "\n";
  }
  return absl::OkStatus();
}

absl::Status TeamShow(const Args& args, auth::TeamStore& teams,
                      store::RedisPool& redis, std::ostream& out) {
  if (auto s = OnlyFlags(args, {"team"}); !s.ok()) return s;
  TTADSCTL_ASSIGN(team_id, Need(args, "team"));
  TTADSCTL_ASSIGN(team, teams.GetTeam(team_id));
  out << "team: " << team.id << "\n"
      << "name: " << team.name << "\n"
      << "tier: " << team.tier << "\n"
      << "subscription_active: "
      << (team.subscription_active ? "true" : "false") << "\n"
      << "create_time: " << Time(team.create_time) << "\n";
  TTADSCTL_ASSIGN(members, teams.ListMembers(team_id));
  out << "members: " << members.size() << "\n";
  for (const auth::Member& m : members) {
    out << "  " << m.id << "  " << auth::RoleName(m.role) << "  " << m.name
        << "\n";
  }
  return PrintConnections(team.id, redis, out);
}

absl::Status MemberAdd(const Args& args, auth::TeamStore& teams,
                       std::ostream& out) {
  if (auto s = OnlyFlags(args, {"team", "name", "role"}); !s.ok()) return s;
  TTADSCTL_ASSIGN(team_id, Need(args, "team"));
  TTADSCTL_ASSIGN(name, Need(args, "name"));
  TTADSCTL_ASSIGN(role_name, Need(args, "role"));
  TTADSCTL_ASSIGN(role, auth::ParseRole(role_name));
  TTADSCTL_ASSIGN(member, teams.AddMember(team_id, name, role));
  out << member.id << "\n";
  return absl::OkStatus();
}

absl::Status KeyIssue(const Args& args, auth::TeamStore& teams,
                      std::ostream& out, std::ostream& err) {
  if (auto s = OnlyFlags(args, {"team", "member"}); !s.ok()) return s;
  TTADSCTL_ASSIGN(team_id, Need(args, "team"));
  TTADSCTL_ASSIGN(member_id, Need(args, "member"));
  TTADSCTL_ASSIGN(issued, teams.IssueApiKey(team_id, member_id));
  out << issued.plaintext << "\n";
  err << "key id: " << issued.key_id << " (the key above is shown only once)\n";
  return absl::OkStatus();
}

absl::Status KeyRevoke(const Args& args, auth::TeamStore& teams,
                       std::ostream& err) {
  if (auto s = OnlyFlags(args, {"key-id"}); !s.ok()) return s;
  TTADSCTL_ASSIGN(key_id, Need(args, "key-id"));
  if (absl::Status s = teams.RevokeApiKey(key_id); !s.ok()) return s;
  err << "revoked " << key_id << "\n";
  return absl::OkStatus();
}

absl::Status KeyList(const Args& args, auth::TeamStore& teams,
                     std::ostream& out) {
  if (auto s = OnlyFlags(args, {"team"}); !s.ok()) return s;
  TTADSCTL_ASSIGN(team_id, Need(args, "team"));
  TTADSCTL_ASSIGN(keys, teams.ListApiKeys(team_id));
  for (const auth::ApiKeyInfo& k : keys) {
    out << k.key_id << "\t" << k.member_id << "\t" << Time(k.create_time)
        << "\t" << (k.revoked ? "revoked" : "active") << "\n";
  }
  return absl::OkStatus();
}

absl::Status Demo(const Args& args, auth::TeamStore& teams, std::ostream& out,
                  std::ostream& err) {
  if (auto s = OnlyFlags(args, {"out-dir", "tier"}); !s.ok()) return s;
  TTADSCTL_ASSIGN(out_dir, Need(args, "out-dir"));
  TTADSCTL_ASSIGN(team,
                  teams.CreateTeam("Demo Team",
                                   Optional(args, "tier", std::string(auth::kTierStandard)),
                                   /*subscription_active=*/true));
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
    TTADSCTL_ASSIGN(member, teams.AddMember(team.id, seat.name, seat.role));
    TTADSCTL_ASSIGN(key, teams.IssueApiKey(team.id, member.id));
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
    if (!file.flush()) {
      return absl::InternalError("cannot write " + tmp);
    }
  }
  std::filesystem::rename(tmp, path, ec);
  if (ec) return absl::InternalError("cannot write " + path);
  out << owner_key << "\n";
  err << "demo team " << team.id << "; keys written to " << path << "\n";
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Args> ParseArgs(const std::vector<std::string>& argv) {
  Args args;
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (a.rfind("--", 0) != 0) {
      args.words.push_back(a);
      continue;
    }
    std::string name = a.substr(2);
    std::string value;
    size_t eq = name.find('=');
    if (eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    } else if (kBooleanFlags.count(name)) {
      value = "true";
    } else if (i + 1 < argv.size()) {
      value = argv[++i];
    } else {
      return absl::InvalidArgumentError("--" + name + " needs a value");
    }
    if (name.empty()) return absl::InvalidArgumentError("empty flag name");
    args.flags[name] = value;
  }
  return args;
}

std::string Usage() {
  return R"(usage: ttadsctl [--redis=host:port] <command> [flags]

Talks to Redis directly (--redis, else $TTADS_REDIS_ADDRESS, else
127.0.0.1:6390; password from $TTADS_REDIS_PASSWORD).

  team create --name N [--tier free|standard|enterprise] [--subscription]
                                         prints the team id
  team list                              one team per line
  team show --team T                     team, members, TikTok connections
  member add --team T --name N --role owner|manager|mediabuyer
                                         prints the member id
  key issue --team T --member M          prints the API key (shown once)
  key revoke --key-id K
  key list --team T                      key ids, never keys
  demo --out-dir DIR [--tier T]          demo team with one member per role;
                                         writes DIR/demo-keys.env, prints the
                                         owner key
)";
}

absl::Status Run(const Args& args, auth::TeamStore& teams,
                 store::RedisPool& redis, std::ostream& out,
                 std::ostream& err) {
  const std::vector<std::string>& w = args.words;
  auto is = [&](std::initializer_list<const char*> words) {
    if (w.size() != words.size()) return false;
    size_t i = 0;
    for (const char* word : words) {
      if (w[i++] != word) return false;
    }
    return true;
  };
  if (is({"team", "create"})) return TeamCreate(args, teams, out);
  if (is({"team", "list"})) return TeamList(args, teams, out);
  if (is({"team", "show"})) return TeamShow(args, teams, redis, out);
  if (is({"member", "add"})) return MemberAdd(args, teams, out);
  if (is({"key", "issue"})) return KeyIssue(args, teams, out, err);
  if (is({"key", "revoke"})) return KeyRevoke(args, teams, err);
  if (is({"key", "list"})) return KeyList(args, teams, out);
  if (is({"demo"})) return Demo(args, teams, out, err);
  std::string given;
  for (const std::string& word : w) given += (given.empty() ? "" : " ") + word;
  return absl::InvalidArgumentError("unknown command \"" + given + "\"");
}

}  // namespace ttads::ttadsctl
