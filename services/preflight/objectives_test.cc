#include "services/preflight/objectives.h"

#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "libs/status/status.h"
#include "libs/testing/status_matchers.h"

namespace ttads::preflight {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;

using P = Prerequisite;

PrerequisiteSet NeedsOf(std::string_view objective) {
  auto o = ParseObjective(objective);
  EXPECT_THAT(o, IsOk());
  return o.ok() ? o->needs : PrerequisiteSet();
}

TEST(ObjectivesTest, RequirementsTable) {
  EXPECT_EQ(NeedsOf("WEB_CONVERSIONS"),
            PrerequisiteSet::Of({P::kIdentity, P::kPixel}));
  EXPECT_EQ(NeedsOf("CONVERSIONS"),
            PrerequisiteSet::Of({P::kIdentity, P::kPixel}));
  EXPECT_EQ(NeedsOf("PRODUCT_SALES"),
            PrerequisiteSet::Of({P::kIdentity, P::kCatalog}));
  EXPECT_EQ(NeedsOf("SHOP_PURCHASES"),
            PrerequisiteSet::Of({P::kIdentity, P::kCatalog}));
  EXPECT_EQ(NeedsOf("CATALOG_SALES"),
            PrerequisiteSet::Of({P::kIdentity, P::kCatalog}));
  EXPECT_EQ(NeedsOf("APP_PROMOTION"),
            PrerequisiteSet::Of({P::kIdentity, P::kApp}));
  EXPECT_EQ(NeedsOf("APP_INSTALL"),
            PrerequisiteSet::Of({P::kIdentity, P::kApp}));
  EXPECT_EQ(NeedsOf("LEAD_GENERATION"),
            PrerequisiteSet::Of({P::kIdentity, P::kLeadForm}));
  for (const char* o : {"REACH", "TRAFFIC", "VIDEO_VIEWS", "ENGAGEMENT",
                        "RF_REACH", "BRAND_CONSIDERATION"}) {
    EXPECT_EQ(NeedsOf(o), PrerequisiteSet::Of({P::kIdentity})) << o;
  }
  EXPECT_EQ(ValidObjectives().size(), 14u);
}

TEST(ObjectivesTest, NormalisesCase) {
  auto o = ParseObjective("  web_conversions ");
  ASSERT_THAT(o, IsOk());
  EXPECT_EQ(o->name, "WEB_CONVERSIONS");
}

TEST(ObjectivesTest, UnknownObjectiveListsValidOnes) {
  auto o = ParseObjective("SELL_MORE");
  ASSERT_THAT(
      o, StatusIs(absl::StatusCode::kInvalidArgument,
                  AllOf(HasSubstr("TRAFFIC"), HasSubstr("SHOP_PURCHASES"))));
  google::rpc::BadRequest bad;
  ASSERT_TRUE(status::GetDetail(o.status(), &bad));
  ASSERT_EQ(bad.field_violations_size(), 1);
  EXPECT_EQ(bad.field_violations(0).field(), "objective");

  auto empty = ParseObjective("", "objectives[1]");
  ASSERT_THAT(empty, StatusIs(absl::StatusCode::kInvalidArgument));
  ASSERT_TRUE(status::GetDetail(empty.status(), &bad));
  EXPECT_EQ(bad.field_violations(0).field(), "objectives[1]");
}

}  // namespace
}  // namespace ttads::preflight
