// Runs the real ttadsctl binary against private redis-servers (plain, TLS,
// ACL, Sentinel).
#include <stdlib.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/auth/redis_team_store.h"
#include "libs/connections/connection_store.h"
#include "libs/crypto/key_ring.h"
#include "libs/store/key_schema.h"
#include "libs/store/redis.h"
#include "libs/testing/free_port.h"
#include "libs/testing/private_redis.h"
#include "libs/testing/redis_server.h"
#include "libs/testing/status_matchers.h"
#include "libs/testing/test_pki.h"
#include "nlohmann/json.hpp"

namespace ttads::ttadsctl {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::ttads::testing::IsOk;
using ::ttads::testing::IsOkAndHolds;
using ::ttads::testing::RedisServer;
using ::ttads::testing::StatusIs;
using Env = std::map<std::string, std::string>;

struct Result {
  int exit_code = -1;
  std::string out;
  std::string err;
};

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A port nothing listens on (a sentinel that is down), or 0.
int FreePortOrZero() {
  auto port = ttads::testing::FreePort();
  return port.ok() ? *port : 0;
}

std::string Trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

class TtadsctlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto redis = ttads::testing::PrivateRedis::Start();
    ASSERT_THAT(redis, IsOk());
    redis_ = *std::move(redis);
    pool_ = redis_->pool();
    teams_ = std::make_unique<auth::RedisTeamStore>(*pool_);
    work_ = redis_->server().dir() + "/ctl";
    std::filesystem::create_directories(work_);
  }

  // Runs `ttadsctl --redis=<private> <args>` with `env` added to the
  // environment; args and values are shell-quoted.
  Result Ctl(const std::vector<std::string>& args, bool with_redis = true,
             const Env& env = {}) {
    std::string cmd;
    for (const auto& [name, value] : env) cmd += name + "='" + value + "' ";
    cmd += std::string("'") + TTADSCTL_PATH + "'";
    if (with_redis) cmd += " --redis=" + redis_->server().address();
    for (const std::string& a : args) cmd += " '" + a + "'";
    const std::string err_path = work_ + "/stderr";
    cmd += " 2>'" + err_path + "'";
    Result r;
    FILE* pipe = popen(cmd.c_str(), "r");
    if (pipe == nullptr) return r;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), pipe)) > 0) r.out.append(buf, n);
    int status = pclose(pipe);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.err = Slurp(err_path);
    return r;
  }

  std::unique_ptr<ttads::testing::PrivateRedis> redis_;
  store::RedisPool* pool_ = nullptr;  // redis_'s
  std::unique_ptr<auth::RedisTeamStore> teams_;
  std::string work_;
};

TEST_F(TtadsctlTest, TeamMemberKeyLifecycle) {
  Result team = Ctl({"team", "create", "--name", "Acme", "--tier", "enterprise",
                     "--subscription"});
  ASSERT_EQ(team.exit_code, 0) << team.err;
  const std::string team_id = Trimmed(team.out);
  auto stored = teams_->GetTeam(team_id);
  ASSERT_THAT(stored, IsOk());
  EXPECT_EQ(stored->tier, "enterprise");
  EXPECT_TRUE(stored->subscription_active);

  Result member = Ctl({"member", "add", "--team=" + team_id, "--name",
                       "Mia Buyer", "--role", "mediabuyer"});
  ASSERT_EQ(member.exit_code, 0) << member.err;
  const std::string member_id = Trimmed(member.out);

  Result key = Ctl({"key", "issue", "--team", team_id, "--member", member_id});
  ASSERT_EQ(key.exit_code, 0) << key.err;
  const std::string plaintext = Trimmed(key.out);
  auto principal = teams_->Authenticate(plaintext);
  ASSERT_THAT(principal, IsOk());
  EXPECT_EQ(principal->team_id, team_id);
  EXPECT_EQ(principal->role, auth::Role::kMediaBuyer);
  EXPECT_THAT(key.err, HasSubstr(principal->key_id));

  Result list = Ctl({"key", "list", "--team", team_id});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_THAT(list.out, HasSubstr(principal->key_id));
  EXPECT_THAT(list.out, HasSubstr("active"));
  EXPECT_THAT(list.out, Not(HasSubstr(plaintext.substr(6))));

  Result show = Ctl({"team", "show", "--team", team_id});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_THAT(show.out, HasSubstr("Mia Buyer"));
  EXPECT_THAT(show.out, HasSubstr("mediabuyer"));
  EXPECT_THAT(show.out, HasSubstr("connections: 0"));

  // Rotation on Redis: the new key works at once, the old one during the
  // overlap; a --team that is not the key's is NOT_FOUND, nothing rotated.
  auto other = teams_->CreateTeam("Other", auth::kTierStandard, true);
  ASSERT_THAT(other, IsOk());
  Result wrong_team = Ctl(
      {"key", "rotate", "--team", other->id, "--key-id", principal->key_id});
  EXPECT_EQ(wrong_team.exit_code, 1);
  EXPECT_THAT(wrong_team.err, HasSubstr("NOT_FOUND"));
  Result rotated =
      Ctl({"key", "rotate", "--key-id", principal->key_id, "--overlap", "2h"});
  ASSERT_EQ(rotated.exit_code, 0) << rotated.err;
  const std::string successor = Trimmed(rotated.out);
  auto next = teams_->Authenticate(successor);
  ASSERT_THAT(next, IsOk());
  EXPECT_EQ(next->member_id, member_id);
  EXPECT_THAT(teams_->Authenticate(plaintext), IsOk());
  Result rotated_list = Ctl({"key", "list", "--team", team_id});
  EXPECT_THAT(rotated_list.out,
              HasSubstr(principal->key_id + "\t" + member_id));
  EXPECT_THAT(rotated_list.out, HasSubstr("expiring\tuntil "));
  // A key is rotated once: FAILED_PRECONDITION, exit 1.
  Result twice = Ctl({"key", "rotate", "--key-id", principal->key_id});
  EXPECT_EQ(twice.exit_code, 1);
  EXPECT_THAT(twice.err, HasSubstr("FAILED_PRECONDITION"));

  Result revoke = Ctl({"key", "revoke", "--key-id", principal->key_id});
  ASSERT_EQ(revoke.exit_code, 0) << revoke.err;
  EXPECT_THAT(teams_->Authenticate(plaintext),
              StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_THAT(Ctl({"key", "list", "--team", team_id}).out,
              HasSubstr("revoked"));
  // With --team, a key of another team is NOT_FOUND and stays working.
  Result foreign =
      Ctl({"key", "revoke", "--team", other->id, "--key-id", next->key_id});
  EXPECT_EQ(foreign.exit_code, 1);
  EXPECT_THAT(teams_->Authenticate(successor), IsOk());
  ASSERT_EQ(Ctl({"key", "revoke", "--team", team_id, "--key-id", next->key_id})
                .exit_code,
            0);
  EXPECT_THAT(teams_->Authenticate(successor),
              StatusIs(absl::StatusCode::kUnauthenticated));
}

TEST_F(TtadsctlTest, TeamShowPrintsConnectionsButNeverTokens) {
  auto team = teams_->CreateTeam("A", auth::kTierStandard, true);
  ASSERT_THAT(team, IsOk());
  const std::string conn = store::TeamKey(team->id, "conn:c1");
  ASSERT_THAT(pool_->Command({"HSET", conn, "member_id", "mb_x", "state",
                              "active", "advertiser_ids", "[\"7001\",\"7002\"]",
                              "create_time", "2026-01-01T00:00:00Z",
                              "access_token", "enc-token-material-test"}),
              IsOk());
  ASSERT_THAT(
      pool_->Command({"SET", store::TeamKey(team->id, "conn:c1:lock"), "1"}),
      IsOk());
  Result show = Ctl({"team", "show", "--team", team->id});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_THAT(show.out, HasSubstr("connections: 1"));
  EXPECT_THAT(show.out, HasSubstr("c1  member_id=mb_x  state=active"));
  EXPECT_THAT(show.out, HasSubstr("advertiser_ids=[\"7001\",\"7002\"]"));
  EXPECT_THAT(show.out, Not(HasSubstr("enc-token-material-test")));
  EXPECT_THAT(show.out, Not(HasSubstr("access_token")));
}

TEST_F(TtadsctlTest, DemoWritesKeysForEachRole) {
  const std::string out_dir = work_ + "/run";
  Result demo = Ctl({"demo", "--out-dir", out_dir});
  ASSERT_EQ(demo.exit_code, 0) << demo.err;
  const std::string env = Slurp(out_dir + "/demo-keys.env");
  std::map<std::string, std::string> vars;
  std::istringstream lines(env);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line[0] == '#') continue;
    size_t eq = line.find('=');
    ASSERT_NE(eq, std::string::npos) << line;
    vars[line.substr(0, eq)] = line.substr(eq + 1);
  }
  ASSERT_EQ(vars.size(), 4u) << env;
  EXPECT_EQ(Trimmed(demo.out), vars["TTADS_DEMO_OWNER_KEY"]);
  const std::pair<const char*, auth::Role> expected[] = {
      {"TTADS_DEMO_OWNER_KEY", auth::Role::kOwner},
      {"TTADS_DEMO_MANAGER_KEY", auth::Role::kManager},
      {"TTADS_DEMO_MEDIABUYER_KEY", auth::Role::kMediaBuyer}};
  for (const auto& [var, role] : expected) {
    auto principal = teams_->Authenticate(vars[var]);
    ASSERT_THAT(principal, IsOk()) << var;
    EXPECT_EQ(principal->team_id, vars["TTADS_DEMO_TEAM_ID"]);
    EXPECT_EQ(principal->role, role) << var;
  }
  auto team = teams_->GetTeam(vars["TTADS_DEMO_TEAM_ID"]);
  ASSERT_THAT(team, IsOk());
  EXPECT_TRUE(team->subscription_active);
  EXPECT_EQ(std::filesystem::status(out_dir + "/demo-keys.env").permissions() &
                std::filesystem::perms::others_read,
            std::filesystem::perms::none);

  // A second run makes another team and rewrites the file.
  Result again = Ctl({"demo", "--out-dir", out_dir});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(Trimmed(again.out), Trimmed(demo.out));
  EXPECT_EQ(teams_->ListTeams()->size(), 2u);
}

TEST_F(TtadsctlTest, UsageAndFailures) {
  EXPECT_EQ(Ctl({}).exit_code, 2);
  Result unknown = Ctl({"team", "explode"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_THAT(unknown.err, HasSubstr("unknown command \"explode\""));
  Result extra = Ctl({"team", "list", "everything"});
  EXPECT_EQ(extra.exit_code, 2);
  EXPECT_THAT(extra.err, HasSubstr("unknown command \"everything\""));
  Result missing = Ctl({"member", "add", "--team", "tm_x", "--name", "n"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.err, HasSubstr("--role is required"));
  Result bad_role = Ctl({"member", "add", "--team", "tm_x", "--name", "n",
                         "--role", "superuser"});
  EXPECT_EQ(bad_role.exit_code, 2);
  EXPECT_THAT(bad_role.err, HasSubstr("superuser"));
  Result bad_overlap =
      Ctl({"key", "rotate", "--key-id", "key_x", "--overlap", "a while"});
  EXPECT_EQ(bad_overlap.exit_code, 2);
  EXPECT_THAT(bad_overlap.err, HasSubstr("--overlap"));
  Result bad_output = Ctl({"team", "list", "--output", "yaml"});
  EXPECT_EQ(bad_output.exit_code, 2);
  Result no_team = Ctl({"team", "show", "--team", "tm_missing"});
  EXPECT_EQ(no_team.exit_code, 1);
  EXPECT_THAT(no_team.err, HasSubstr("NOT_FOUND"));
  Result typo = Ctl({"team", "create", "--name", "x", "--tear", "free"});
  EXPECT_EQ(typo.exit_code, 2);
  EXPECT_THAT(typo.err, HasSubstr("--tear"));
  Result both = Ctl({"reencrypt", "--apply", "--dry-run"});
  EXPECT_EQ(both.exit_code, 2);
  // A malformed setting is a usage error naming it.
  Result bad_env =
      Ctl({"team", "list"}, true, {{"TTADS_REDIS_TIMEOUT_MS", "x"}});
  EXPECT_EQ(bad_env.exit_code, 2);
  EXPECT_THAT(bad_env.err, HasSubstr("TTADS_REDIS_TIMEOUT_MS"));
  // Nothing was created by any of the above.
  EXPECT_THAT(teams_->ListTeams(), IsOkAndHolds(::testing::IsEmpty()));

  auto port = ttads::testing::FreePort();
  ASSERT_THAT(port, IsOk());
  Result down =
      Ctl({"--redis=127.0.0.1:" + std::to_string(*port), "team", "list"},
          /*with_redis=*/false);
  EXPECT_EQ(down.exit_code, 1);
}

TEST_F(TtadsctlTest, HelpOnEveryCommandAndVersion) {
  Result help = Ctl({"--help"}, /*with_redis=*/false);
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_THAT(help.out, HasSubstr("team create"));
  EXPECT_THAT(help.out, HasSubstr("--redis-tls-ca-file"));
  EXPECT_THAT(help.out, HasSubstr("--admin-address"));
  EXPECT_THAT(help.out, HasSubstr("--api-key-file"));
  EXPECT_THAT(help.out, HasSubstr("audience job watch"));
  EXPECT_THAT(help.out, HasSubstr("--output"));
  const std::vector<std::vector<std::string>> commands = {
      {"team"},
      {"team", "create"},
      {"team", "list"},
      {"team", "show"},
      {"member"},
      {"member", "add"},
      {"key"},
      {"key", "issue"},
      {"key", "revoke"},
      {"key", "list"},
      {"demo"},
      {"reencrypt"},
      {"key", "rotate"},
      {"audience"},
      {"audience", "job"},
      {"audience", "job", "watch"}};
  for (std::vector<std::string> command : commands) {
    command.push_back("-h");
    Result r = Ctl(command, /*with_redis=*/false);
    EXPECT_EQ(r.exit_code, 0) << command[0] << ": " << r.err;
    EXPECT_THAT(r.out, HasSubstr("Usage"));
  }
  EXPECT_THAT(Ctl({"team", "create", "--help"}, false).out,
              HasSubstr("--subscription"));
  EXPECT_THAT(Ctl({"reencrypt", "--help"}, false).out, HasSubstr("--apply"));
  Result version = Ctl({"--version"}, /*with_redis=*/false);
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_THAT(version.out, HasSubstr("ttadsctl 1."));
}

// Each command that prints data prints exactly one JSON document with the
// documented fields.
TEST_F(TtadsctlTest, JsonOutput) {
  auto json_of = [&](const std::vector<std::string>& args) {
    std::vector<std::string> with = {"--output", "json"};
    with.insert(with.end(), args.begin(), args.end());
    Result r = Ctl(with);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(nlohmann::json::accept(r.out)) << r.out;
    return nlohmann::json::parse(r.out, nullptr, false);
  };
  nlohmann::json team =
      json_of({"team", "create", "--name", "Acme", "--subscription"});
  const std::string team_id = team["team"]["id"];
  EXPECT_EQ(team["team"]["name"], "Acme");
  EXPECT_EQ(team["team"]["tier"], "standard");
  EXPECT_EQ(team["team"]["subscription_active"], true);

  nlohmann::json member = json_of({"member", "add", "--team", team_id, "--name",
                                   "Ann", "--role", "Manager"});
  const std::string member_id = member["member"]["id"];
  EXPECT_EQ(member["member"]["role"], "manager");

  nlohmann::json key =
      json_of({"key", "issue", "--team", team_id, "--member", member_id});
  auto principal = teams_->Authenticate(key["key"].get<std::string>());
  ASSERT_THAT(principal, IsOk());
  EXPECT_EQ(key["key_id"], principal->key_id);

  nlohmann::json keys = json_of({"key", "list", "--team", team_id});
  ASSERT_EQ(keys["keys"].size(), 1u);
  EXPECT_EQ(keys["keys"][0]["key_id"], principal->key_id);
  EXPECT_EQ(keys["keys"][0]["revoked"], false);
  EXPECT_FALSE(keys["keys"][0].contains("key"));

  ASSERT_THAT(pool_->Command({"HSET", store::TeamKey(team_id, "conn:c1"),
                              "member_id", member_id, "state", "active",
                              "advertiser_ids", "[\"7001\"]", "create_time",
                              "1767225600000", "token", "ciphertext-x"}),
              IsOk());
  nlohmann::json show = json_of({"team", "show", "--team", team_id});
  EXPECT_EQ(show["team"]["id"], team_id);
  ASSERT_EQ(show["members"].size(), 1u);
  EXPECT_EQ(show["members"][0]["name"], "Ann");
  ASSERT_EQ(show["connections"].size(), 1u);
  EXPECT_EQ(show["connections"][0]["id"], "c1");
  EXPECT_EQ(show["connections"][0]["advertiser_ids"],
            nlohmann::json::array({"7001"}));
  EXPECT_EQ(show["connections"][0]["create_time"], "2026-01-01T00:00:00Z");
  EXPECT_THAT(show.dump(), Not(HasSubstr("ciphertext-x")));

  nlohmann::json list = json_of({"team", "list"});
  ASSERT_EQ(list["teams"].size(), 1u);
  EXPECT_EQ(list["teams"][0]["id"], team_id);

  nlohmann::json revoked =
      json_of({"key", "revoke", "--key-id", principal->key_id});
  EXPECT_EQ(revoked["revoked"], true);

  // The output flag may also come after the command.
  Result after = Ctl({"team", "list", "-o", "json"});
  EXPECT_EQ(after.exit_code, 0);
  EXPECT_TRUE(nlohmann::json::accept(after.out));
}

std::string B64(char fill) { return absl::Base64Escape(std::string(32, fill)); }

// Key rotation end to end through the CLI: a connection stored under key
// "a" keeps working once "b" is current, `reencrypt` (dry run, then
// --apply) moves it to "b", after which "a" can be dropped.
TEST_F(TtadsctlTest, ReencryptMovesTokensToTheCurrentKey) {
  auto ring = [](const std::string& keys, const std::string& current) {
    return *crypto::ParseKeyRing("", keys, current);
  };
  const std::string a = "a:" + B64('a'), b = "b:" + B64('b');
  connections::Connection c;
  c.team_id = "team1";
  c.connection_id = "c1";
  c.member_id = "m1";
  c.create_time = absl::FromUnixMillis(1767225600000);
  ASSERT_THAT(
      connections::RedisConnectionStore(pool_, ring(a, "a")).Create(c, "tok-1"),
      IsOk());
  const Env rotated = {{"TTADS_TOKEN_KEYS", a + "," + b},
                       {"TTADS_TOKEN_KEY_CURRENT", "b"}};
  auto stored_id = [&] {
    auto raw = pool_->Command(
        {"HGET", connections::ConnectionKey("team1", "c1"), "token"});
    return crypto::KeyRing::KeyIdOf(raw->str).value_or("?");
  };

  Result dry = Ctl({"-o", "json", "reencrypt"}, true, rotated);
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  nlohmann::json report = nlohmann::json::parse(dry.out);
  EXPECT_EQ(report["applied"], false);
  EXPECT_EQ(report["tokens"], 1);
  EXPECT_EQ(report["pending"], 1);
  EXPECT_EQ(report["by_key"]["a"], 1);
  EXPECT_THAT(dry.err, HasSubstr("--apply"));
  EXPECT_EQ(stored_id(), "a");

  Result applied = Ctl({"reencrypt", "--apply"}, true, rotated);
  ASSERT_EQ(applied.exit_code, 0) << applied.err;
  EXPECT_THAT(applied.out, HasSubstr("reencrypted: 1"));
  EXPECT_EQ(stored_id(), "b");

  // Only "b" left: the token still decrypts, and a pass finds it current.
  const Env only_b = {{"TTADS_TOKEN_KEYS", b}};
  EXPECT_THAT(connections::RedisConnectionStore(pool_, ring(b, ""))
                  .AccessToken("team1", "c1"),
              IsOkAndHolds("tok-1"));
  Result again = Ctl({"-o", "json", "reencrypt"}, true, only_b);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(nlohmann::json::parse(again.out)["already_current"], 1);

  // A ring without the token's key: reported, nothing changed, exit 1.
  Result unknown = Ctl({"reencrypt", "--apply"}, true,
                       {{"TTADS_TOKEN_KEYS", "c:" + B64('c')}});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_THAT(unknown.out, HasSubstr("key id \"b\""));
  EXPECT_THAT(unknown.err, HasSubstr("do not decrypt"));
  EXPECT_EQ(stored_id(), "b");

  // Key settings that do not combine: a usage error naming the setting.
  Result bad = Ctl(
      {"reencrypt"}, true,
      {{"TTADS_TOKEN_KEYS", a + "," + b}, {"TTADS_TOKEN_KEY_CURRENT", "zz"}});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.err, HasSubstr("TTADS_TOKEN_KEY_CURRENT"));
  EXPECT_THAT(Ctl({"reencrypt"}).err,
              HasSubstr("TTADS_TOKEN_ENCRYPTION_KEY or TTADS_TOKEN_KEYS"));
}

// ttadsctl reaches the Redis deployments the services do, with the same
// settings (as variables or flags). Each test starts the server it needs
// and names it on the command line (with_redis false). The TLS and ACL
// servers stay plain RedisServers (server_): the test reads them only
// through the binary, which dials them with the settings under test, so a
// PrivateRedis' pool would go unused.
class TtadsctlRedisTest : public TtadsctlTest {
 protected:
  void SetUp() override {
    const char* tmp = std::getenv("TMPDIR");
    pki_dir_ = std::string(tmp != nullptr && *tmp ? tmp : "/tmp") +
               "/ttadsctl-pki-XXXXXX";
    ASSERT_NE(mkdtemp(pki_dir_.data()), nullptr);
    auto pki = ttads::testing::MakeTestPki(pki_dir_);
    ASSERT_THAT(pki, IsOk());
    pki_ = *pki;
    work_ = pki_dir_;
  }
  void TearDown() override {
    server_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(pki_dir_, ignored);
  }
  std::unique_ptr<RedisServer> server_;
  std::string pki_dir_;
  ttads::testing::TestPki pki_;
};

TEST_F(TtadsctlRedisTest, Tls) {
  auto server = RedisServer::Start({.tls_cert_file = pki_.server_cert_file,
                                    .tls_key_file = pki_.server_key_file,
                                    .tls_ca_file = pki_.ca_file});
  ASSERT_THAT(server, IsOk());
  server_ = std::move(*server);
  const std::string tls_address =
      "127.0.0.1:" + std::to_string(server_->tls_port());

  // Flags.
  Result created = Ctl({"--redis", tls_address, "--redis-tls-ca-file",
                        pki_.ca_file, "team", "create", "--name", "Over TLS"},
                       /*with_redis=*/false);
  ASSERT_EQ(created.exit_code, 0) << created.err;
  // The services' variables.
  Result listed = Ctl({"team", "list"}, /*with_redis=*/false,
                      {{"TTADS_REDIS_ADDRESS", tls_address},
                       {"TTADS_REDIS_TLS", "true"},
                       {"TTADS_REDIS_TLS_CA_FILE", pki_.ca_file},
                       {"TTADS_REDIS_TLS_SERVER_NAME", "localhost"}});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_THAT(listed.out, HasSubstr("Over TLS"));

  // A server the CA does not vouch for, and plain text to a TLS port, fail.
  Result untrusted = Ctl({"--redis", tls_address, "--redis-tls-ca-file",
                          pki_.other_ca_file, "team", "list"},
                         false);
  EXPECT_EQ(untrusted.exit_code, 1);
  EXPECT_THAT(untrusted.err, HasSubstr("redis"));
  EXPECT_EQ(Ctl({"--redis", tls_address, "team", "list"}, false).exit_code, 1);
}

TEST_F(TtadsctlRedisTest, AclUser) {
  auto server = RedisServer::Start(
      {.password = "default-pw",
       .args = {"--user", "ops", "on", ">ops-secret", "~*", "&*", "+@all"}});
  ASSERT_THAT(server, IsOk());
  server_ = std::move(*server);
  const std::string address = server_->address();

  Result env = Ctl({"team", "create", "--name", "Acl"}, false,
                   {{"TTADS_REDIS_ADDRESS", address},
                    {"TTADS_REDIS_USERNAME", "ops"},
                    {"TTADS_REDIS_PASSWORD", "ops-secret"}});
  ASSERT_EQ(env.exit_code, 0) << env.err;

  const std::string password_file = pki_dir_ + "/redis-password";
  std::ofstream(password_file) << "ops-secret\n";
  Result flags = Ctl({"--redis", address, "--redis-username", "ops",
                      "--redis-password-file", password_file, "team", "list"},
                     false);
  ASSERT_EQ(flags.exit_code, 0) << flags.err;
  EXPECT_THAT(flags.out, HasSubstr("Acl"));

  Result wrong = Ctl({"--redis", address, "--redis-username", "ops",
                      "--redis-password", "nope", "team", "list"},
                     false);
  EXPECT_EQ(wrong.exit_code, 1);
  EXPECT_THAT(wrong.err, Not(HasSubstr("nope")));
  // A user without a password is refused before dialling (as services do).
  Result no_password = Ctl(
      {"--redis", address, "--redis-username", "ops", "team", "list"}, false);
  EXPECT_EQ(no_password.exit_code, 2);
  EXPECT_THAT(no_password.err, HasSubstr("TTADS_REDIS_USERNAME"));
}

TEST_F(TtadsctlRedisTest, SentinelFindsTheMaster) {
  auto master = ttads::testing::PrivateRedis::Start();
  ASSERT_THAT(master, IsOk());
  auto sentinel = RedisServer::Start(
      {.sentinel_config = absl::StrCat("sentinel monitor ttads 127.0.0.1 ",
                                       (*master)->server().port(), " 1\n")});
  ASSERT_THAT(sentinel, IsOk());
  const std::string sentinels =
      "127.0.0.1:" + std::to_string(FreePortOrZero()) + "," +
      (*sentinel)->address();

  Result created = Ctl({"--redis-sentinel-master", "ttads", "--redis-sentinels",
                        sentinels, "team", "create", "--name", "Via Sentinel"},
                       false);
  ASSERT_EQ(created.exit_code, 0) << created.err;
  auto team = auth::RedisTeamStore(*(*master)->pool())
                  .GetTeam(created.out.substr(0, created.out.find('\n')));
  ASSERT_THAT(team, IsOk());
  EXPECT_EQ(team->name, "Via Sentinel");
}

}  // namespace
}  // namespace ttads::ttadsctl
