#include "tools/tiktok_sim/rate_limiter.h"

#include "gtest/gtest.h"

namespace ttads::tiktok_sim {
namespace {

TEST(RateLimiterTest, BasicTierAllowsTenPerSecondPerApp) {
  RateLimiter limiter;
  for (int i = 0; i < 10; ++i) {
    EXPECT_TRUE(limiter.Allow("app", false, Tier::kBasic, 100)) << i;
  }
  EXPECT_FALSE(limiter.Allow("app", false, Tier::kBasic, 100));
  EXPECT_TRUE(limiter.Allow("other-app", false, Tier::kBasic, 100));
  EXPECT_TRUE(limiter.Allow("app", false, Tier::kBasic, 101));
}

TEST(RateLimiterTest, AdCreateHasItsOwnLowerBudget) {
  RateLimiter limiter;
  for (int i = 0; i < 5; ++i) {
    EXPECT_TRUE(limiter.Allow("app", true, Tier::kBasic, 7));
  }
  EXPECT_FALSE(limiter.Allow("app", true, Tier::kBasic, 7));
  EXPECT_TRUE(limiter.Allow("app", false, Tier::kBasic, 7));
}

TEST(RateLimiterTest, UnlimitedNeverRefusesAndTiersParse) {
  RateLimiter limiter;
  for (int i = 0; i < 1000; ++i) {
    ASSERT_TRUE(limiter.Allow("app", false, Tier::kUnlimited, 1));
  }
  EXPECT_EQ(ParseTier("premium"), Tier::kPremium);
  EXPECT_FALSE(ParseTier("gold").has_value());
  EXPECT_EQ(AppQps(Tier::kUltimate), 50);
  EXPECT_EQ(TierName(Tier::kAdvanced), "advanced");
}

}  // namespace
}  // namespace ttads::tiktok_sim
