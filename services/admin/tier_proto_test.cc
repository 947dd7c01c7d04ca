#include "services/admin/tier_proto.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/auth/team_store.h"
#include "libs/testing/status_matchers.h"

namespace ttads::admin {
namespace {

using ::ttads::testing::IsOk;
using ::ttads::testing::IsOkAndHolds;
using ::ttads::testing::StatusIs;

TEST(TierProtoTest, EveryTierMapsToItsStoredNameAndBack) {
  for (v1::Tier tier :
       {v1::TIER_FREE, v1::TIER_STANDARD, v1::TIER_ENTERPRISE}) {
    absl::StatusOr<std::string> name = TierName(tier);
    ASSERT_THAT(name, IsOk()) << v1::Tier_Name(tier);
    EXPECT_THAT(auth::ValidateTier(*name), IsOk()) << *name;
    EXPECT_EQ(TierFromName(*name), tier);
  }
  EXPECT_THAT(TierName(v1::TIER_STANDARD), IsOkAndHolds("standard"));
}

TEST(TierProtoTest, StoredNamesOfEarlierRecordsRead) {
  // Team records keep the names they were written with.
  EXPECT_EQ(TierFromName("free"), v1::TIER_FREE);
  EXPECT_EQ(TierFromName("standard"), v1::TIER_STANDARD);
  EXPECT_EQ(TierFromName("enterprise"), v1::TIER_ENTERPRISE);
  EXPECT_EQ(TierFromName("platinum"), v1::TIER_UNSPECIFIED);
  EXPECT_EQ(TierFromName(""), v1::TIER_UNSPECIFIED);
}

TEST(TierProtoTest, UnspecifiedAndUndeclaredNumbersAreRefused) {
  EXPECT_THAT(TierName(v1::TIER_UNSPECIFIED),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(TierName(static_cast<v1::Tier>(99)),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace ttads::admin
