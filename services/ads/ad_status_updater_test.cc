// AdStatusUpdater against the fake TikTok: validation, batching, deleted
// and unknown ads.
#include "services/ads/ad_status_updater.h"

#include "gmock/gmock.h"
#include "libs/testing/status_matchers.h"
#include "services/ads/ads_domain_test_env.h"

namespace ttads::ads {
namespace {

using testing::IsOk;
using ::testing::SizeIs;
using testing::StatusIs;

class AdStatusUpdaterTest : public AdsDomainTest {
 protected:
  AdStatusUpdater updater_{&tiktok_, &tokens_};
};

TEST_F(AdStatusUpdaterTest, BadRequestsSendNothing) {
  v1::SetAdStatusRequest req;
  auto none = updater_.Update(Call(), req);
  EXPECT_THAT(none, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(Fields(none.status()),
            (std::set<std::string>{"ad_ids", "operation_status"}));
  for (int i = 0; i < 1001; ++i) req.add_ad_ids(std::to_string(i));
  req.set_operation_status(v1::AD_OPERATION_DISABLE);
  auto many = updater_.Update(Call(), req);
  EXPECT_EQ(Fields(many.status()), std::set<std::string>{"ad_ids"});
  EXPECT_THAT(tiktok_.CallLog(), SizeIs(0));
}

TEST_F(AdStatusUpdaterTest, FortyFiveAdsGoOutInThreeBatchesOfAtMostTwenty) {
  v1::SetAdStatusRequest req;
  req.set_advertiser_id(kAdvertiser);
  req.set_operation_status(v1::AD_OPERATION_DISABLE);
  for (int i = 0; i < 45; ++i) {
    req.add_ad_ids(tiktok_.AddAd(kAdvertiser, kAdgroup, "ad"));
  }
  req.add_ad_ids(req.ad_ids(0));  // A duplicate is sent once.
  auto done = updater_.Update(Call(), req);
  ASSERT_THAT(done, IsOk());
  EXPECT_THAT(done->updated_ad_ids(), SizeIs(45));
  EXPECT_TRUE(done->failures().empty());
  ASSERT_THAT(tiktok_.status_batches, SizeIs(3));
  EXPECT_THAT(tiktok_.status_batches[0], SizeIs(20));
  EXPECT_THAT(tiktok_.status_batches[1], SizeIs(20));
  EXPECT_THAT(tiktok_.status_batches[2], SizeIs(5));
  // One lookup (≤100 ads) before the updates.
  EXPECT_EQ(tiktok_.Calls("GetAds"), 1);
  EXPECT_EQ(tiktok_.ad_queries[0].primary_status, "STATUS_ALL");
}

TEST_F(AdStatusUpdaterTest, DeletedAndUnknownAdsAreReportedNotSent) {
  const std::string live = tiktok_.AddAd(kAdvertiser, kAdgroup, "live");
  const std::string gone = tiktok_.AddAd(kAdvertiser, kAdgroup, "gone");
  tiktok_.ads[gone].deleted = true;
  tiktok_.ads[gone].ad.ad.set_secondary_status("AD_STATUS_DELETE");
  v1::SetAdStatusRequest req;
  req.set_operation_status(v1::AD_OPERATION_ENABLE);
  req.add_ad_ids(live);
  req.add_ad_ids(gone);
  req.add_ad_ids("1899999");
  auto done = updater_.Update(Call(), req);
  ASSERT_THAT(done, IsOk());
  EXPECT_THAT(done->updated_ad_ids(), ::testing::ElementsAre(live));
  EXPECT_EQ(done->failures().at(gone), "deleted; its status cannot change");
  EXPECT_EQ(done->failures().at("1899999"), "not found in this advertiser");
  ASSERT_THAT(tiktok_.status_batches, SizeIs(1));
  EXPECT_THAT(tiktok_.status_batches[0], ::testing::ElementsAre(live));
}

TEST_F(AdStatusUpdaterTest, OnlyDeletedAdsIsAFailedPrecondition) {
  const std::string gone = tiktok_.AddAd(kAdvertiser, kAdgroup, "gone");
  tiktok_.ads[gone].deleted = true;
  tiktok_.ads[gone].ad.ad.set_secondary_status("AD_STATUS_DELETE");
  v1::SetAdStatusRequest req;
  req.set_operation_status(v1::AD_OPERATION_ENABLE);
  req.add_ad_ids(gone);
  EXPECT_THAT(updater_.Update(Call(), req),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(tiktok_.Calls("UpdateAdStatus"), 0);
}

TEST_F(AdStatusUpdaterTest, AFailedBatchFailsItsAdsOnly) {
  v1::SetAdStatusRequest req;
  req.set_operation_status(v1::AD_OPERATION_DELETE);
  for (int i = 0; i < 25; ++i) {
    req.add_ad_ids(tiktok_.AddAd(kAdvertiser, kAdgroup, "ad"));
  }
  tiktok_.fail_next["UpdateAdStatus"].push_back(
      absl::UnavailableError("TikTok is down"));
  auto done = updater_.Update(Call(), req);
  ASSERT_THAT(done, IsOk());
  EXPECT_THAT(done->updated_ad_ids(), SizeIs(5));
  EXPECT_EQ(done->failures().size(), 20u);
  EXPECT_EQ(done->failures().begin()->second, "TikTok is down");
}

TEST_F(AdStatusUpdaterTest, AnAdvertiserTheCallerDoesNotReachIsRefused) {
  v1::SetAdStatusRequest req;
  req.set_advertiser_id("7101999999999999999");
  req.set_operation_status(v1::AD_OPERATION_ENABLE);
  req.add_ad_ids("1800");
  EXPECT_THAT(updater_.Update(Call(), req),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(tiktok_.CallLog(), SizeIs(0));
}

}  // namespace
}  // namespace ttads::ads
