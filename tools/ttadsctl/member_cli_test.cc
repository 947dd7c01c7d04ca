// `member add` parsed and run on an in-memory team store.
#include "tools/ttadsctl/member_cli.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/testing/status_matchers.h"
#include "tools/ttadsctl/cli_testing.h"
#include "tools/ttadsctl/store_team_admin.h"
#include "tools/ttadsctl/team_store_fixture.h"

namespace ttads::ttadsctl {
namespace {

using testing::Captured;
using testing::Parse;
using ::ttads::testing::IsOk;

class MemberCliTest : public testing::AcmeTeamTest {
 protected:
  MemberCliTest() : AcmeTeamTest(/*with_owner=*/false) {}

  CLI::App app_;
  MemberCli member_{app_};
  Captured captured_;
};

TEST_F(MemberCliTest, AddPrintsTheIdAndTakesTheRoleInAnyCase) {
  Parse(app_, {"member", "add", "--team", team_id_, "--name", "Mia Buyer",
               "--role", "MediaBuyer"});
  EXPECT_TRUE(member_.parsed());
  EXPECT_EQ(member_.Run(admin_, captured_.console()), kExitOk);
  auto members = store_.ListMembers(team_id_);
  ASSERT_THAT(members, IsOk());
  ASSERT_EQ(members->size(), 1);
  EXPECT_EQ(captured_.out.str(), (*members)[0].id + "\n");
  EXPECT_EQ((*members)[0].name, "Mia Buyer");
  EXPECT_EQ((*members)[0].role, auth::Role::kMediaBuyer);
}

TEST_F(MemberCliTest, RoleIsRequiredAndChecked) {
  EXPECT_THROW(
      Parse(app_, {"member", "add", "--team", team_id_, "--name", "N"}),
      CLI::RequiredError);
  EXPECT_THROW(Parse(app_, {"member", "add", "--team", team_id_, "--name", "N",
                            "--role", "king"}),
               CLI::ValidationError);
}

TEST_F(MemberCliTest, AddToAnUnknownTeamFails) {
  Parse(app_, {"member", "add", "--team", "tm_nope", "--name", "N", "--role",
               "owner"});
  EXPECT_EQ(member_.Run(admin_, captured_.console()), kExitFailed);
  EXPECT_EQ(captured_.out.str(), "");
}

}  // namespace
}  // namespace ttads::ttadsctl
