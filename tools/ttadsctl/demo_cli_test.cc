// `demo` parsed and run on an in-memory team store.
#include "tools/ttadsctl/demo_cli.h"

#include <filesystem>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/auth/in_memory_team_store.h"
#include "libs/testing/status_matchers.h"
#include "tools/ttadsctl/cli_testing.h"
#include "tools/ttadsctl/store_team_admin.h"

namespace ttads::ttadsctl {
namespace {

using testing::Captured;
using ::testing::HasSubstr;
using testing::Parse;
using ::ttads::testing::IsOk;

class DemoCliTest : public ::testing::Test {
 protected:
  auth::InMemoryTeamStore store_;
  StoreTeamAdmin admin_{&store_};
  CLI::App app_;
  DemoCli demo_{app_};
  Captured captured_;
  const std::string dir_ = ::testing::TempDir() + "/demo_cli_test";
};

TEST_F(DemoCliTest, WritesTheKeysFileOfAStandardTeam) {
  std::filesystem::remove_all(dir_);
  Parse(app_, {"demo", "--out-dir", dir_});
  EXPECT_TRUE(demo_.parsed());
  EXPECT_EQ(demo_.Run(admin_, captured_.console()), kExitOk);
  EXPECT_TRUE(std::filesystem::exists(dir_ + "/demo-keys.env"));
  auto teams = store_.ListTeams();
  ASSERT_THAT(teams, IsOk());
  ASSERT_EQ(teams->size(), 1);
  EXPECT_EQ((*teams)[0].tier, "standard");
  EXPECT_THAT(captured_.err.str(), HasSubstr("demo team " + (*teams)[0].id));
}

TEST_F(DemoCliTest, TierIsChecked) {
  EXPECT_THROW(Parse(app_, {"demo", "--out-dir", dir_, "--tier", "gold"}),
               CLI::ValidationError);
}

TEST_F(DemoCliTest, OutDirIsRequired) {
  EXPECT_THROW(Parse(app_, {"demo"}), CLI::RequiredError);
}

}  // namespace
}  // namespace ttads::ttadsctl
