// Runs the real ttadsctl binary against a private redis-server.
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/auth/redis_team_store.h"
#include "libs/store/key_schema.h"
#include "libs/store/redis.h"
#include "libs/testing/free_port.h"
#include "libs/testing/redis_server.h"
#include "tools/ttadsctl/commands.h"

namespace ttads::ttadsctl {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

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

std::string Trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

class TtadsctlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = ttads::testing::RedisServer::Start();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    auto pool = store::RedisPool::Connect(
        *store::ParseRedisAddress(server_->address()));
    ASSERT_TRUE(pool.ok()) << pool.status();
    pool_ = std::move(*pool);
    teams_ = std::make_unique<auth::RedisTeamStore>(*pool_);
    work_ = server_->dir() + "/ctl";
    std::filesystem::create_directories(work_);
  }

  // Runs `ttadsctl --redis=<private> <args>`; args are shell-quoted.
  Result Ctl(const std::vector<std::string>& args, bool with_redis = true) {
    std::string cmd = std::string("'") + TTADSCTL_PATH + "'";
    if (with_redis) cmd += " --redis=" + server_->address();
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

  std::unique_ptr<ttads::testing::RedisServer> server_;
  std::unique_ptr<store::RedisPool> pool_;
  std::unique_ptr<auth::RedisTeamStore> teams_;
  std::string work_;
};

TEST_F(TtadsctlTest, TeamMemberKeyLifecycle) {
  Result team = Ctl({"team", "create", "--name", "Acme", "--tier", "enterprise",
                     "--subscription"});
  ASSERT_EQ(team.exit_code, 0) << team.err;
  const std::string team_id = Trimmed(team.out);
  auto stored = teams_->GetTeam(team_id);
  ASSERT_TRUE(stored.ok()) << stored.status();
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
  ASSERT_TRUE(principal.ok()) << principal.status();
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

  Result revoke = Ctl({"key", "revoke", "--key-id", principal->key_id});
  ASSERT_EQ(revoke.exit_code, 0) << revoke.err;
  EXPECT_EQ(teams_->Authenticate(plaintext).status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(Ctl({"key", "list", "--team", team_id}).out,
              HasSubstr("revoked"));
}

TEST_F(TtadsctlTest, TeamShowPrintsConnectionsButNeverTokens) {
  auto team = teams_->CreateTeam("A", auth::kTierStandard, true);
  ASSERT_TRUE(team.ok());
  const std::string conn = store::TeamKey(team->id, "conn:c1");
  ASSERT_TRUE(pool_
                  ->Command({"HSET", conn, "member_id", "mb_x", "state",
                             "active", "advertiser_ids", "[\"7001\",\"7002\"]",
                             "create_time", "2026-01-01T00:00:00Z",
                             "access_token", "enc-token-material-test"})
                  .ok());
  ASSERT_TRUE(
      pool_->Command({"SET", store::TeamKey(team->id, "conn:c1:lock"), "1"})
          .ok());
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
    ASSERT_TRUE(principal.ok()) << var << ": " << principal.status();
    EXPECT_EQ(principal->team_id, vars["TTADS_DEMO_TEAM_ID"]);
    EXPECT_EQ(principal->role, role) << var;
  }
  auto team = teams_->GetTeam(vars["TTADS_DEMO_TEAM_ID"]);
  ASSERT_TRUE(team.ok());
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
  EXPECT_THAT(unknown.err, HasSubstr("unknown command"));
  Result missing = Ctl({"member", "add", "--team", "tm_x", "--name", "n"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.err, HasSubstr("missing --role"));
  Result bad_role = Ctl(
      {"member", "add", "--team", "tm_x", "--name", "n", "--role", "admin"});
  EXPECT_EQ(bad_role.exit_code, 2);
  Result no_team = Ctl({"team", "show", "--team", "tm_missing"});
  EXPECT_EQ(no_team.exit_code, 1);
  EXPECT_THAT(no_team.err, HasSubstr("NOT_FOUND"));
  Result typo = Ctl({"team", "create", "--name", "x", "--tear", "free"});
  EXPECT_EQ(typo.exit_code, 2);
  EXPECT_THAT(typo.err, HasSubstr("--tear"));

  auto port = ttads::testing::FreePort();
  ASSERT_TRUE(port.ok());
  Result down =
      Ctl({"--redis=127.0.0.1:" + std::to_string(*port), "team", "list"},
          /*with_redis=*/false);
  EXPECT_EQ(down.exit_code, 1);
}

TEST(ParseArgsTest, Forms) {
  auto args = ParseArgs(
      {"team", "create", "--name=a b", "--tier", "free", "--subscription"});
  ASSERT_TRUE(args.ok());
  EXPECT_EQ(args->words, (std::vector<std::string>{"team", "create"}));
  EXPECT_EQ(args->flags["name"], "a b");
  EXPECT_EQ(args->flags["tier"], "free");
  EXPECT_EQ(args->flags["subscription"], "true");
  EXPECT_FALSE(ParseArgs({"--team"}).ok());
}

}  // namespace
}  // namespace ttads::ttadsctl
