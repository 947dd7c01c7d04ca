#include "libs/auth/role_proto.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/testing/status_matchers.h"

namespace ttads::auth {
namespace {

using ::ttads::testing::IsOkAndHolds;
using ::ttads::testing::StatusIs;

TEST(RoleProtoTest, EveryRoleRoundTrips) {
  for (Role role :
       {Role::kMediaBuyer, Role::kManager, Role::kOwner, Role::kAdmin}) {
    EXPECT_THAT(RoleFromProto(RoleToProto(role)), IsOkAndHolds(role))
        << RoleName(role);
  }
  EXPECT_EQ(RoleToProto(Role::kAdmin), common::v1::ROLE_ADMIN);
  EXPECT_EQ(RoleToProto(Role::kMediaBuyer), common::v1::ROLE_MEDIABUYER);
  EXPECT_EQ(RoleToProto(Role::kUnspecified), common::v1::ROLE_UNSPECIFIED);
}

// The contract's numbers are the ones the admin API always sent, so a
// client built before the enum moved to ttads.common.v1 reads the same
// roles.
TEST(RoleProtoTest, NumbersAreTheAdminApisOnes) {
  EXPECT_EQ(common::v1::ROLE_MEDIABUYER, 1);
  EXPECT_EQ(common::v1::ROLE_MANAGER, 2);
  EXPECT_EQ(common::v1::ROLE_OWNER, 3);
  EXPECT_EQ(common::v1::ROLE_ADMIN, 4);
  EXPECT_EQ(static_cast<int>(Role::kOwner),
            static_cast<int>(common::v1::ROLE_OWNER));
}

TEST(RoleProtoTest, UnspecifiedAndUnknownNumbersAreRefused) {
  EXPECT_THAT(RoleFromProto(common::v1::ROLE_UNSPECIFIED),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(RoleFromProto(static_cast<common::v1::Role>(42)),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace ttads::auth
