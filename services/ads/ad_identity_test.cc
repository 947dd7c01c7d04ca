// An identity the CreateAd request names is the one the identity service
// is asked to check and the one the ad is created with; the identity
// service refusing it (another advertiser's identity) stops the creation
// before TikTok. Against the fake TikTok and the fake identity service.
#include <string>

#include "gmock/gmock.h"
#include "libs/status/status.h"
#include "libs/testing/status_matchers.h"
#include "services/ads/ad_creator_test_env.h"

namespace ttads::ads {
namespace {

using testing::IsOk;
using ::testing::SizeIs;
using testing::StatusIs;

constexpr char kCustom[] = "6900000000000000042";

class AdIdentityTest : public AdCreatorTestEnv {};

TEST_F(AdIdentityTest, ExplicitIdentityIsHonoured) {
  ASSERT_NE(identity_.identity_id, kCustom);  // Not what it answers unasked.
  v1::AdInput req = VideoAd();
  req.set_identity_id(kCustom);
  req.set_identity_type(common::v1::IDENTITY_TYPE_CUSTOMIZED_USER);
  auto created = Create(req);
  ASSERT_THAT(created, IsOk());

  // The identity service is asked about exactly that identity...
  ASSERT_THAT(identity_.resolved, SizeIs(1));
  EXPECT_EQ(identity_.resolved[0].identity_id(), kCustom);
  EXPECT_EQ(identity_.resolved[0].identity_type(),
            common::v1::IDENTITY_TYPE_CUSTOMIZED_USER);
  EXPECT_EQ(identity_.resolved[0].advertiser_id(), kAdvertiser);
  // ...and the ad goes to TikTok with it, and says so.
  ASSERT_THAT(tiktok_.created, SizeIs(1));
  EXPECT_EQ(tiktok_.created[0].identity.identity_id(), kCustom);
  EXPECT_EQ(tiktok_.created[0].identity.identity_type(),
            common::v1::IDENTITY_TYPE_CUSTOMIZED_USER);
  EXPECT_EQ(created->identity().identity_id(), kCustom);
  EXPECT_EQ(created->identity().identity_type(),
            common::v1::IDENTITY_TYPE_CUSTOMIZED_USER);
}

TEST_F(AdIdentityTest, AnIdentityTheServiceRefusesCreatesNothing) {
  identity_.resolve_error = status::InvalidArgument(
      "identity 6900000000000000043 is not one of advertiser's identities",
      {{"identity_id", "not an identity of this advertiser"}});
  v1::AdInput req = VideoAd("identity-refused-1");
  req.set_identity_id("6900000000000000043");
  req.set_identity_type(common::v1::IDENTITY_TYPE_CUSTOMIZED_USER);
  auto created = Create(req);
  EXPECT_THAT(created, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(Fields(created.status()), std::set<std::string>{"identity_id"});
  ASSERT_THAT(identity_.resolved, SizeIs(1));
  EXPECT_EQ(identity_.resolved[0].identity_id(), "6900000000000000043");
  EXPECT_EQ(tiktok_.Calls("CreateAd"), 0);
  EXPECT_EQ(AdsInFake(), 0);
}

}  // namespace
}  // namespace ttads::ads
