// `demo`'s logic on an in-memory team store, writing to a test directory.
#include "tools/ttadsctl/demo_commands.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/auth/in_memory_team_store.h"
#include "libs/testing/status_matchers.h"
#include "nlohmann/json.hpp"
#include "tools/ttadsctl/store_team_admin.h"

namespace ttads::ttadsctl {
namespace {

using nlohmann::json;
using ::testing::StartsWith;
using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class DemoCommandsTest : public ::testing::Test {
 protected:
  void SetUp() override { std::filesystem::remove_all(dir_); }

  auth::InMemoryTeamStore store_;
  StoreTeamAdmin admin_{&store_};
  // One directory per test: ctest runs them in parallel.
  const std::string dir_ =
      ::testing::TempDir() + "/demo_commands_test/" +
      ::testing::UnitTest::GetInstance()->current_test_info()->name();
};

TEST_F(DemoCommandsTest, ATeamWithAKeyPerRoleInAPrivateFile) {
  const std::string out_dir = dir_ + "/new/dir";
  auto demo = Demo(admin_, out_dir, "enterprise");
  ASSERT_THAT(demo, IsOk());
  const std::string path = out_dir + "/demo-keys.env";

  auto teams = store_.ListTeams();
  ASSERT_THAT(teams, IsOk());
  ASSERT_EQ(teams->size(), 1);
  const auth::Team& team = (*teams)[0];
  EXPECT_EQ(team.name, "Demo Team");
  EXPECT_EQ(team.tier, "enterprise");
  EXPECT_TRUE(team.subscription_active);
  auto members = store_.ListMembers(team.id);
  ASSERT_THAT(members, IsOk());
  ASSERT_EQ(members->size(), 3);
  EXPECT_EQ((*members)[0].name, "Demo Owner");
  EXPECT_EQ((*members)[1].name, "Demo Manager");
  EXPECT_EQ((*members)[2].name, "Demo Media Buyer");

  const std::string env = Slurp(path);
  EXPECT_THAT(env, StartsWith("# Written by `ttadsctl demo`"));
  std::map<std::string, std::string> vars;
  std::istringstream lines(env);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line[0] == '#') continue;
    const size_t eq = line.find('=');
    ASSERT_NE(eq, std::string::npos) << line;
    vars[line.substr(0, eq)] = line.substr(eq + 1);
  }
  ASSERT_EQ(vars.size(), 4) << env;
  EXPECT_EQ(vars["TTADS_DEMO_TEAM_ID"], team.id);
  const std::pair<const char*, auth::Role> seats[] = {
      {"TTADS_DEMO_OWNER_KEY", auth::Role::kOwner},
      {"TTADS_DEMO_MANAGER_KEY", auth::Role::kManager},
      {"TTADS_DEMO_MEDIABUYER_KEY", auth::Role::kMediaBuyer}};
  for (const auto& [variable, role] : seats) {
    auto principal = store_.Authenticate(vars[variable]);
    ASSERT_THAT(principal, IsOk()) << variable;
    EXPECT_EQ(principal->team_id, team.id);
    EXPECT_EQ(principal->role, role) << variable;
  }
  EXPECT_EQ(
      std::filesystem::status(path).permissions(),
      std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));

  const std::string owner_key = vars["TTADS_DEMO_OWNER_KEY"];
  EXPECT_EQ(demo->text, owner_key + "\n");
  EXPECT_EQ(demo->json, json({{"team_id", team.id},
                              {"keys_file", path},
                              {"owner_key", owner_key}}));
  EXPECT_EQ(demo->note,
            "demo team " + team.id + "; keys written to " + path + "\n");
}

TEST_F(DemoCommandsTest, ASecondRunMakesAnotherTeamAndReplacesTheFile) {
  auto first = Demo(admin_, dir_, "standard");
  ASSERT_THAT(first, IsOk());
  auto second = Demo(admin_, dir_, "standard");
  ASSERT_THAT(second, IsOk());
  EXPECT_NE(first->json["team_id"], second->json["team_id"]);
  EXPECT_THAT(
      Slurp(dir_ + "/demo-keys.env"),
      ::testing::HasSubstr("TTADS_DEMO_TEAM_ID=" +
                           second->json["team_id"].get<std::string>() + "\n"));
  EXPECT_THAT(Slurp(dir_ + "/demo-keys.env"),
              ::testing::Not(::testing::HasSubstr(
                  first->json["team_id"].get<std::string>())));
}

TEST_F(DemoCommandsTest, AnOutDirThatCannotBeMadeIsInvalid) {
  std::filesystem::create_directories(dir_);
  std::ofstream(dir_ + "/file") << "not a directory";
  EXPECT_THAT(
      Demo(admin_, dir_ + "/file/sub", "standard"),
      StatusIs(absl::StatusCode::kInvalidArgument,
               ::testing::HasSubstr("cannot create " + dir_ + "/file/sub")));
}

TEST_F(DemoCommandsTest, AnUnknownTierIsInvalidAndWritesNothing) {
  EXPECT_THAT(Demo(admin_, dir_, "gold"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/demo-keys.env"));
  EXPECT_THAT(store_.ListTeams(),
              ::ttads::testing::IsOkAndHolds(::testing::IsEmpty()));
}

}  // namespace
}  // namespace ttads::ttadsctl
