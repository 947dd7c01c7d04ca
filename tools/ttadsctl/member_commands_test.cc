// `member add`'s logic on an in-memory team store.
#include "tools/ttadsctl/member_commands.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/testing/status_matchers.h"
#include "nlohmann/json.hpp"
#include "tools/ttadsctl/store_team_admin.h"
#include "tools/ttadsctl/team_store_fixture.h"

namespace ttads::ttadsctl {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::ttads::testing::IsOk;
using ::ttads::testing::IsOkAndHolds;
using ::ttads::testing::StatusIs;

class MemberCommandsTest : public testing::AcmeTeamTest {
 protected:
  MemberCommandsTest() : AcmeTeamTest(/*with_owner=*/false) {}
};

TEST_F(MemberCommandsTest, AddPrintsTheIdAndAnswersTheRoleInLowerCase) {
  auto added = MemberAdd(admin_, team_id_, "Mia Buyer", "MediaBuyer");
  ASSERT_THAT(added, IsOk());
  auto members = store_.ListMembers(team_id_);
  ASSERT_THAT(members, IsOk());
  ASSERT_EQ(members->size(), 1);
  const auth::Member& m = (*members)[0];
  EXPECT_EQ(m.role, auth::Role::kMediaBuyer);
  EXPECT_EQ(added->text, m.id + "\n");
  EXPECT_EQ(added->json, json({{"member",
                                {{"id", m.id},
                                 {"team_id", team_id_},
                                 {"name", "Mia Buyer"},
                                 {"role", "mediabuyer"}}}}));
  EXPECT_EQ(added->note, "");
}

TEST_F(MemberCommandsTest, AnotherRoleIsInvalidAndAddsNobody) {
  EXPECT_THAT(MemberAdd(admin_, team_id_, "N", "king"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("king")));
  EXPECT_THAT(store_.ListMembers(team_id_), IsOkAndHolds(IsEmpty()));
}

TEST_F(MemberCommandsTest, AnUnknownTeamIsNotFound) {
  EXPECT_THAT(MemberAdd(admin_, "tm_nope", "N", "owner"),
              StatusIs(absl::StatusCode::kNotFound));
}

}  // namespace
}  // namespace ttads::ttadsctl
