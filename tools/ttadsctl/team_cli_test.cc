// `team create|list|show` parsed and run on an in-memory team store.
#include "tools/ttadsctl/team_cli.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/auth/in_memory_team_store.h"
#include "libs/testing/status_matchers.h"
#include "nlohmann/json.hpp"
#include "tools/ttadsctl/cli_testing.h"
#include "tools/ttadsctl/store_team_admin.h"

namespace ttads::ttadsctl {
namespace {

using testing::Captured;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::Parse;
using ::ttads::testing::IsOk;

class TeamCliTest : public ::testing::Test {
 protected:
  int Run(const std::vector<std::string>& args, bool json = false) {
    Parse(app_, args);
    return team_.Run(admin_, /*redis=*/nullptr, captured_.console(json));
  }

  auth::InMemoryTeamStore store_;
  StoreTeamAdmin admin_{&store_};
  CLI::App app_;
  TeamCli team_{app_};
  Captured captured_;
};

TEST(TierNamesTest, EveryTier) {
  EXPECT_THAT(TierNames(), ElementsAre("free", "standard", "enterprise"));
}

TEST_F(TeamCliTest, CreatePrintsTheIdOfTheTeamAsAsked) {
  EXPECT_EQ(Run({"team", "create", "--name", "Acme", "--tier", "enterprise",
                 "--subscription"}),
            kExitOk);
  EXPECT_TRUE(team_.parsed());
  auto teams = store_.ListTeams();
  ASSERT_THAT(teams, IsOk());
  ASSERT_EQ(teams->size(), 1);
  EXPECT_EQ(captured_.out.str(), (*teams)[0].id + "\n");
  EXPECT_EQ((*teams)[0].name, "Acme");
  EXPECT_EQ((*teams)[0].tier, "enterprise");
  EXPECT_TRUE((*teams)[0].subscription_active);
}

TEST_F(TeamCliTest, CreateDefaultsToStandardWithoutSubscription) {
  EXPECT_EQ(Run({"team", "create", "--name", "Acme"}), kExitOk);
  auto teams = store_.ListTeams();
  ASSERT_THAT(teams, IsOk());
  ASSERT_EQ(teams->size(), 1);
  EXPECT_EQ((*teams)[0].tier, "standard");
  EXPECT_FALSE((*teams)[0].subscription_active);
}

TEST_F(TeamCliTest, CreateChecksItsFlags) {
  EXPECT_THROW(Parse(app_, {"team", "create", "--name", "A", "--tier", "gold"}),
               CLI::ValidationError);
}

TEST_F(TeamCliTest, CreateNeedsAName) {
  EXPECT_THROW(Parse(app_, {"team", "create"}), CLI::RequiredError);
}

TEST_F(TeamCliTest, TeamNeedsASubcommand) {
  EXPECT_THROW(Parse(app_, {"team"}), CLI::RequiredError);
}

TEST_F(TeamCliTest, ListAsJson) {
  ASSERT_THAT(store_.CreateTeam("Acme", "free", false), IsOk());
  EXPECT_EQ(Run({"team", "list"}, /*json=*/true), kExitOk);
  nlohmann::json list = nlohmann::json::parse(captured_.out.str());
  ASSERT_EQ(list["teams"].size(), 1);
  EXPECT_EQ(list["teams"][0]["name"], "Acme");
}

TEST_F(TeamCliTest, ShowWithoutRedisHasNoConnections) {
  auto team = store_.CreateTeam("Acme", "free", false);
  ASSERT_THAT(team, IsOk());
  EXPECT_EQ(Run({"team", "show", "--team", team->id}), kExitOk);
  EXPECT_THAT(captured_.out.str(), HasSubstr("name: Acme\n"));
  EXPECT_THAT(captured_.out.str(), Not(HasSubstr("connections")));
}

TEST_F(TeamCliTest, ShowOfAnUnknownTeamFails) {
  EXPECT_EQ(Run({"team", "show", "--team", "tm_nope"}), kExitFailed);
  EXPECT_THAT(captured_.err.str(), HasSubstr("(NOT_FOUND)"));
  EXPECT_EQ(captured_.out.str(), "");
}

}  // namespace
}  // namespace ttads::ttadsctl
