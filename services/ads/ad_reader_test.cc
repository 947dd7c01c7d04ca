// AdReader's search against the fake TikTok: Ibexa's Search Ads options
// (campaign ids, ad group ids, limit with its default 10) reach TikTok.
#include "services/ads/ad_reader.h"

#include "gmock/gmock.h"
#include "libs/testing/status_matchers.h"
#include "services/ads/ads_domain_test_env.h"

namespace ttads::ads {
namespace {

using ::testing::ElementsAre;
using testing::IsOk;
using ::testing::SizeIs;

class AdReaderTest : public AdsDomainTest {
 protected:
  AdReader reader_{&tiktok_, &tokens_};
};

TEST_F(AdReaderTest, SearchSendsCampaignsAdGroupsAndLimit) {
  v1::ListAdsRequest req;
  req.set_advertiser_id(kAdvertiser);
  req.add_campaign_ids("1600000000000000001");
  req.add_campaign_ids("1600000000000000002");
  req.add_adgroup_ids(kAdgroup);
  req.set_page_size(3);
  ASSERT_THAT(reader_.List(Call(), req), IsOk());
  ASSERT_THAT(tiktok_.ad_queries, SizeIs(1));
  const AdQuery& q = tiktok_.ad_queries[0];
  EXPECT_THAT(q.campaign_ids,
              ElementsAre("1600000000000000001", "1600000000000000002"));
  EXPECT_THAT(q.adgroup_ids, ElementsAre(kAdgroup));
  EXPECT_EQ(q.page_size, 3);
  EXPECT_EQ(tiktok_.accesses.back().advertiser_id, kAdvertiser);
}

TEST_F(AdReaderTest, SearchLimitDefaultsToTen) {
  for (int i = 0; i < 12; ++i) tiktok_.AddAd(kAdvertiser, kAdgroup, "ad");
  v1::ListAdsRequest req;
  auto page = reader_.List(Call(), req);
  ASSERT_THAT(page, IsOk());
  EXPECT_THAT(page->ads(), SizeIs(10));
  EXPECT_FALSE(page->next_page_token().empty());
  EXPECT_EQ(tiktok_.ad_queries[0].page_size, 10);
}

}  // namespace
}  // namespace ttads::ads
