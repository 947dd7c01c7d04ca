#include "gmock/gmock.h"
#include "tools/tiktok_sim/sim_test_util.h"

namespace ttads::tiktok_sim {
namespace {

class SimReportTest : public SimTest {
 protected:
  Reply Report(const std::string& start, const std::string& end,
               const std::string& time_dim) {
    return Get("report/integrated/get/",
               {{"advertiser_id", seed::kAdvertiserTtUser},
                {"report_type", "BASIC"},
                {"data_level", "AUCTION_AD"},
                {"dimensions", {"ad_id", time_dim}},
                {"metrics",
                 {"spend", "impressions", "cost_per_conversion", "reach",
                  "not_a_metric"}},
                {"start_date", start},
                {"end_date", end},
                {"page_size", "1000"}});
  }
};

TEST_F(SimReportTest, DailyRowsAreDeterministic) {
  auto a = Report("2026-01-01", "2026-01-03", "stat_time_day");
  ASSERT_EQ(a.code(), 0) << a.body;
  // Two seeded ads for this advertiser x three days.
  ASSERT_EQ(a.data()["list"].size(), 6u);
  const auto& row = a.data()["list"][0];
  EXPECT_EQ(row["dimensions"]["stat_time_day"], "2026-01-01 00:00:00");
  EXPECT_TRUE(row["metrics"]["spend"].is_string());
  EXPECT_EQ(row["metrics"]["not_a_metric"], "-");
  auto b = Report("2026-01-01", "2026-01-03", "stat_time_day");
  EXPECT_EQ(a.data()["list"], b.data()["list"]);
}

TEST_F(SimReportTest, HourlyRowsHaveDashForReach) {
  auto r = Report("2026-01-01", "2026-01-01", "stat_time_hour");
  ASSERT_EQ(r.code(), 0) << r.body;
  ASSERT_EQ(r.data()["list"].size(), 48u);
  EXPECT_EQ(r.data()["list"][0]["metrics"]["reach"], "-");
}

TEST_F(SimReportTest, EnforcesDateRangeLimits) {
  sim_->ExpectViolations(4);
  EXPECT_EQ(Report("2026-01-01", "2026-01-30", "stat_time_day").code(), 0);
  EXPECT_EQ(Report("2026-01-01", "2026-01-31", "stat_time_day").code(),
            kParamError);
  EXPECT_EQ(Report("2026-01-01", "2026-01-02", "stat_time_hour").code(),
            kParamError);
  EXPECT_EQ(Report("2026-01-05", "2026-01-01", "stat_time_day").code(),
            kParamError);
  // 365 days apply without stat_time_day (Reports, start_date).
  EXPECT_EQ(Report("2025-01-02", "2026-01-01", "ad_id").code(), 0);
  auto year = Report("2025-01-01", "2026-01-01", "ad_id");
  EXPECT_EQ(year.code(), kParamError);
  EXPECT_THAT(year.json["message"].get<std::string>(),
              ::testing::HasSubstr("365"));
}

}  // namespace
}  // namespace ttads::tiktok_sim
