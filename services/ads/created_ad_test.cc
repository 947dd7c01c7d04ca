// The Ad CreateAd answers (created_ad.h): the ad as TikTok holds it, read
// back with one /ad/get/; the request and outcome composed when nothing
// was created (validate_only) or the read fails. Against the fake TikTok.
#include "services/ads/created_ad.h"

#include <string>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "libs/testing/status_matchers.h"
#include "services/ads/ad_creator_test_env.h"

namespace ttads::ads {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::IsOk;
using ::testing::SizeIs;

constexpr char kCampaign[] = "1600000000000000001";

class CreatedAdTest : public AdCreatorTestEnv {
 protected:
  // What AdCreator answers for an ad created as `ad_id`.
  v1::AdCreation Creation(const std::string& ad_id) {
    v1::AdCreation created;
    if (!ad_id.empty()) created.add_ad_ids(ad_id);
    created.set_advertiser_id(kAdvertiser);
    created.mutable_identity()->set_identity_id(identity_.identity_id);
    created.mutable_identity()->set_identity_type(
        common::v1::IDENTITY_TYPE_TT_USER);
    return created;
  }

  AdReader reader_{&tiktok_, &tokens_};
};

TEST_F(CreatedAdTest, ComposedAdIsTheRequestAndTheOutcome) {
  v1::AdInput req = VideoAd();
  req.clear_advertiser_id();  // The outcome's advertiser wins.
  req.set_ad_name("Spring drop");
  req.clear_video_id();
  req.add_image_ids("7107000000000000001");
  req.add_image_ids("7107000000000000002");
  v1::AdCreation created = Creation("1800101");
  created.add_ad_ids("1800102");

  const v1::Ad ad = ComposedAd(req, created);
  EXPECT_EQ(ad.ad_id(), "1800101");  // The first one created.
  EXPECT_EQ(ad.advertiser_id(), kAdvertiser);
  EXPECT_EQ(ad.adgroup_id(), kAdgroup);
  EXPECT_EQ(ad.ad_name(), "Spring drop");
  EXPECT_EQ(ad.ad_text(), "Fresh coffee, delivered");
  EXPECT_EQ(ad.landing_page_url(), "https://shop.example/coffee");
  EXPECT_EQ(ad.identity_id(), identity_.identity_id);
  EXPECT_EQ(ad.identity_type(), common::v1::IDENTITY_TYPE_TT_USER);
  EXPECT_THAT(ad.image_ids(),
              ElementsAre("7107000000000000001", "7107000000000000002"));
  // Only TikTok knows these.
  EXPECT_TRUE(ad.campaign_id().empty());
  EXPECT_FALSE(ad.has_create_time());

  // Without an advertiser in the outcome, the request's.
  req.set_advertiser_id("7101000000000000009");
  created.clear_advertiser_id();
  EXPECT_EQ(ComposedAd(req, created).advertiser_id(), "7101000000000000009");
}

TEST_F(CreatedAdTest, CreatedAdIsReadBackAsTikTokHoldsIt) {
  const std::string id =
      tiktok_.AddAd(kAdvertiser, kAdgroup, "Fresh coffee [tt:abc]");
  tiktok_.ads[id].ad.ad.set_campaign_id(kCampaign);
  v1::AdInput req = VideoAd();  // No name: TikTok's tells it.

  const v1::Ad ad = CreatedAd(reader_, Call(), req, Creation(id));
  EXPECT_EQ(ad.ad_id(), id);
  EXPECT_EQ(ad.advertiser_id(), kAdvertiser);
  EXPECT_EQ(ad.ad_name(), "Fresh coffee [tt:abc]");
  EXPECT_EQ(ad.campaign_id(), kCampaign);
  // One /ad/get/ for that ad, with the caller's token.
  EXPECT_EQ(tiktok_.Calls("GetAds"), 1);
  ASSERT_THAT(tiktok_.ad_queries, SizeIs(1));
  EXPECT_THAT(tiktok_.ad_queries[0].ad_ids, ElementsAre(id));
  EXPECT_EQ(tiktok_.accesses.back().token, std::string("token-") + kOwner);
}

TEST_F(CreatedAdTest, AFailedReadAnswersTheComposedAdNotAnError) {
  const std::string id = tiktok_.AddAd(kAdvertiser, kAdgroup, "TikTok's name");
  tiktok_.fail_next["GetAds"].push_back(absl::UnavailableError("down"));
  v1::AdInput req = VideoAd();
  req.set_ad_name("Spring drop");

  const v1::Ad ad = CreatedAd(reader_, Call(), req, Creation(id));
  EXPECT_EQ(ad.ad_id(), id);
  EXPECT_EQ(ad.ad_name(), "Spring drop");
  EXPECT_EQ(ad.ad_text(), "Fresh coffee, delivered");
  EXPECT_EQ(tiktok_.Calls("GetAds"), 1);
}

TEST_F(CreatedAdTest, CreateAdAnswersTheAdAsTikTokHoldsIt) {
  v1::AdInput req = VideoAd("created-ad-1");
  auto created = Create(req);
  ASSERT_THAT(created, IsOk());
  ASSERT_THAT(created->ad_ids(), SizeIs(1));
  const int reads = tiktok_.Calls("GetAds");

  const v1::Ad ad = CreatedAd(reader_, Call(), req, *created);
  EXPECT_EQ(ad.ad_id(), created->ad_ids(0));
  EXPECT_EQ(ad.advertiser_id(), kAdvertiser);
  EXPECT_EQ(ad.adgroup_id(), kAdgroup);
  EXPECT_EQ(ad.ad_text(), "Fresh coffee, delivered");
  // The generated name, with its reconciliation marker, as GetAd shows it.
  EXPECT_EQ(ad.ad_name(), tiktok_.created[0].ad_name);
  EXPECT_THAT(ad.ad_name(), HasSubstr(" [tt:"));
  EXPECT_EQ(tiktok_.Calls("GetAds"), reads + 1);
  EXPECT_EQ(tiktok_.Calls("CreateAd"), 1);
}

TEST_F(CreatedAdTest, CreateAdValidateOnlyAnswersTheAdWithoutAnId) {
  v1::AdInput req = VideoAd();
  req.set_validate_only(true);
  req.set_ad_name("Spring drop");
  auto checked = Create(req);
  ASSERT_THAT(checked, IsOk());
  const int reads = tiktok_.Calls("GetAds");

  const v1::Ad ad = CreatedAd(reader_, Call(), req, *checked);
  EXPECT_TRUE(ad.ad_id().empty());
  EXPECT_EQ(ad.advertiser_id(), kAdvertiser);
  EXPECT_EQ(ad.ad_name(), "Spring drop");
  EXPECT_EQ(ad.identity_id(), identity_.identity_id);
  // Nothing created, nothing read back.
  EXPECT_EQ(tiktok_.Calls("GetAds"), reads);
  EXPECT_EQ(tiktok_.Calls("CreateAd"), 0);
  EXPECT_EQ(AdsInFake(), 0);
}

}  // namespace
}  // namespace ttads::ads
