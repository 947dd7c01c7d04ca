// AdReports against the fake TikTok: every range and field rule, defaults
// and paging.
#include "services/ads/ad_reports.h"

#include "gmock/gmock.h"
#include "libs/testing/status_matchers.h"
#include "services/ads/ads_domain_test_env.h"

namespace ttads::ads {
namespace {

using testing::IsOk;
using ::testing::SizeIs;
using testing::StatusIs;

class AdReportsTest : public AdsDomainTest {
 protected:
  v1::ListAdReportsRequest Daily(const std::string& start,
                                 const std::string& end) {
    v1::ListAdReportsRequest req;
    req.add_dimensions("ad_id");
    req.add_dimensions("stat_time_day");
    req.add_metrics("spend");
    req.set_start_date(start);
    req.set_end_date(end);
    return req;
  }
  std::set<std::string> Refused(const v1::ListAdReportsRequest& req) {
    auto r = reports_.List(Call(), req);
    EXPECT_THAT(r, StatusIs(absl::StatusCode::kInvalidArgument));
    return Fields(r.status());
  }

  AdReports reports_{&tiktok_, &tokens_};
};

TEST_F(AdReportsTest, RangesFollowTikTokLimits) {
  EXPECT_EQ(Refused(Daily("2026-01-01", "2026-02-15")),
            std::set<std::string>{"end_date"});  // >30 days by day
  EXPECT_EQ(Refused(Daily("2026-02-01", "2026-01-01")),
            std::set<std::string>{"end_date"});  // end before start
  v1::ListAdReportsRequest hourly = Daily("2026-01-01", "2026-01-02");
  hourly.set_dimensions(1, "stat_time_hour");
  EXPECT_EQ(Refused(hourly), std::set<std::string>{"end_date"});
  v1::ListAdReportsRequest total = Daily("2025-01-01", "2026-06-01");
  total.mutable_dimensions()->RemoveLast();
  EXPECT_EQ(Refused(total), std::set<std::string>{"end_date"});  // >365
  v1::ListAdReportsRequest lifetime = Daily("2026-01-01", "2026-01-02");
  lifetime.set_lifetime(true);
  EXPECT_EQ(Refused(lifetime),
            (std::set<std::string>{"lifetime", "dimensions"}));
  EXPECT_EQ(Refused(Daily("", "soon")),
            (std::set<std::string>{"start_date", "end_date"}));
  EXPECT_THAT(tiktok_.CallLog(), SizeIs(0));
}

TEST_F(AdReportsTest, FieldsAndFilteringAreChecked) {
  v1::ListAdReportsRequest req;
  // Numbers the enums do not declare (a newer client's values).
  req.set_report_type(static_cast<v1::ReportType>(99));
  req.set_service_type("RESERVATION");
  req.set_data_level(static_cast<v1::ReportDataLevel>(99));
  req.set_page_size(5000);
  req.set_filtering_json(R"([{"field_name":"ad_ids"}])");
  req.set_lifetime(true);
  EXPECT_EQ(Refused(req),
            (std::set<std::string>{"report_type", "service_type", "data_level",
                                   "dimensions", "metrics", "page_size",
                                   "filtering_json"}));
  v1::ListAdReportsRequest token = Daily("2026-01-01", "2026-01-02");
  token.set_page_token("-1");
  EXPECT_EQ(Refused(token), std::set<std::string>{"page_token"});
}

TEST_F(AdReportsTest, DefaultsAreSentAndPagesFollow) {
  tiktok_.report.total_page = 2;
  tiktok_.report.total_number = 3;
  tiktok_.report.rows.resize(2);
  v1::ListAdReportsRequest req = Daily("2026-01-01", "2026-01-30");
  req.set_filtering_json(
      R"([{"field_name":"ad_ids","filter_type":"IN","filter_value":"[\"1\"]"}])");
  auto page = reports_.List(Call(), req);
  ASSERT_THAT(page, IsOk());
  EXPECT_THAT(page->rows(), SizeIs(2));
  EXPECT_EQ(page->next_page_token(), "2");
  EXPECT_EQ(page->total_size(), 3);
  ASSERT_THAT(tiktok_.report_queries, SizeIs(1));
  const ReportQuery& q = tiktok_.report_queries[0];
  EXPECT_EQ(q.report_type, "BASIC");
  EXPECT_EQ(q.service_type, "AUCTION");
  EXPECT_EQ(q.data_level, "AUCTION_AD");
  EXPECT_EQ(q.page, 1);
  EXPECT_EQ(q.page_size, 10);
  EXPECT_EQ(q.start_date, "2026-01-01");
  EXPECT_EQ(q.filtering_json, req.filtering_json());
}

TEST_F(AdReportsTest, LifetimeSendsNoDates) {
  v1::ListAdReportsRequest req;
  req.add_dimensions("ad_id");
  req.add_metrics("spend");
  req.set_lifetime(true);
  ASSERT_THAT(reports_.List(Call(), req), IsOk());
  EXPECT_TRUE(tiktok_.report_queries[0].lifetime);
  EXPECT_EQ(tiktok_.report_queries[0].start_date, "");
}

// Ibexa's List Ad Reports options, each set to a value other than its
// default, reach TikTok as given.
TEST_F(AdReportsTest, EveryIbexaOptionReachesTikTok) {
  v1::ListAdReportsRequest req;
  req.set_advertiser_id(kAdvertiser);
  req.set_service_type("AUCTION");
  req.set_report_type(v1::REPORT_TYPE_BASIC);
  req.set_data_level(v1::REPORT_DATA_LEVEL_AUCTION_CAMPAIGN);
  req.add_dimensions("campaign_id");
  req.add_metrics("campaign_name");
  req.add_metrics("spend");
  req.set_lifetime(true);
  req.set_page_size(25);
  ASSERT_THAT(reports_.List(Call(), req), IsOk());
  ASSERT_THAT(tiktok_.report_queries, SizeIs(1));
  const ReportQuery& q = tiktok_.report_queries[0];
  EXPECT_EQ(q.service_type, "AUCTION");
  EXPECT_EQ(q.report_type, "BASIC");
  EXPECT_EQ(q.data_level, "AUCTION_CAMPAIGN");
  EXPECT_EQ(q.dimensions, std::vector<std::string>{"campaign_id"});
  EXPECT_EQ(q.metrics, (std::vector<std::string>{"campaign_name", "spend"}));
  EXPECT_TRUE(q.lifetime);
  EXPECT_EQ(q.page_size, 25);
  EXPECT_EQ(tiktok_.accesses.back().advertiser_id, kAdvertiser);
}

}  // namespace
}  // namespace ttads::ads
