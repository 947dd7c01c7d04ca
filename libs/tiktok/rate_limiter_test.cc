#include "libs/tiktok/rate_limiter.h"

#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/testing/status_matchers.h"

namespace ttads::tiktok {
namespace {

using ::ttads::testing::StatusIs;

TEST(ParseTierTest, KnownNames) {
  EXPECT_EQ(*ParseTier("basic"), Tier::kBasic);
  EXPECT_EQ(*ParseTier("Advanced"), Tier::kAdvanced);
  EXPECT_EQ(*ParseTier("PREMIUM"), Tier::kPremium);
  EXPECT_EQ(*ParseTier("ultimate"), Tier::kUltimate);
  EXPECT_EQ(*ParseTier("sandbox"), Tier::kSandbox);
  absl::StatusOr<Tier> bad = ParseTier("gold");
  EXPECT_THAT(bad, StatusIs(absl::StatusCode::kInvalidArgument,
                            ::testing::HasSubstr("TTADS_TIKTOK_TIER")));
}

TEST(BucketsForTest, TierQps) {
  RateLimitPolicy policy;
  policy.headroom = 1.0;
  const std::pair<Tier, int> tiers[] = {{Tier::kBasic, 10},
                                        {Tier::kAdvanced, 20},
                                        {Tier::kPremium, 30},
                                        {Tier::kUltimate, 50}};
  for (auto [tier, qps] : tiers) {
    policy.tier = tier;
    std::vector<Bucket> buckets = BucketsFor(policy, {"app", "identity/get/"});
    ASSERT_EQ(buckets.size(), 1u);
    EXPECT_EQ(buckets[0].name, "app");
    EXPECT_EQ(buckets[0].interval, absl::Seconds(1) / qps);
  }
}

TEST(BucketsForTest, AdCreateHasItsOwnLowerLimit) {
  RateLimitPolicy policy;
  policy.headroom = 1.0;
  std::vector<Bucket> buckets = BucketsFor(policy, {"app", "/ad/create/"});
  ASSERT_EQ(buckets.size(), 2u);
  EXPECT_EQ(buckets[1].name, "endpoint:ad/create/");
  EXPECT_EQ(buckets[1].interval, absl::Milliseconds(400));  // 150 QPM
}

TEST(BucketsForTest, HeadroomStretchesIntervals) {
  RateLimitPolicy policy;  // default headroom 0.9
  std::vector<Bucket> buckets = BucketsFor(policy, {"app", "ad/get/"});
  EXPECT_GT(buckets[0].interval, absl::Milliseconds(111));
  EXPECT_LT(buckets[0].interval, absl::Milliseconds(112));
}

TEST(BucketsForTest, AdvertiserBucketOnlyWhenConfigured) {
  RateLimitPolicy policy;
  EXPECT_EQ(BucketsFor(policy, {"app", "ad/get/", "adv1"}).size(), 1u);
  policy.advertiser_qps = 2;
  std::vector<Bucket> buckets = BucketsFor(policy, {"app", "ad/get/", "adv1"});
  ASSERT_EQ(buckets.size(), 2u);
  EXPECT_EQ(buckets[1].name, "advertiser:adv1");
  EXPECT_EQ(BucketsFor(policy, {"app", "ad/get/", ""}).size(), 1u);
}

TEST(BucketsForTest, SandboxIsPerEndpoint) {
  RateLimitPolicy policy;
  policy.tier = Tier::kSandbox;
  policy.headroom = 1.0;
  std::vector<Bucket> buckets = BucketsFor(policy, {"app", "ad/get/"});
  ASSERT_EQ(buckets.size(), 1u);
  EXPECT_EQ(buckets[0].name, "endpoint:ad/get/");
  EXPECT_EQ(buckets[0].interval, absl::Seconds(2));
}

TEST(BucketKeyTest, HashTagsTheApp) {
  EXPECT_EQ(BucketKey("7001", "app"), "ttads:ratelimit:{app:7001}:app");
}

TEST(WorkClassTest, Names) {
  EXPECT_EQ(WorkClassName(WorkClass::kInteractive), "interactive");
  EXPECT_EQ(WorkClassName(WorkClass::kBackground), "background");
  EXPECT_EQ(WorkClassName(WorkClass::kBulk), "bulk");
  EXPECT_EQ(LaneKey("7001", WorkClass::kBackground, "vt"),
            "ttads:ratelimit:{app:7001}:lane:background:vt");
}

}  // namespace
}  // namespace ttads::tiktok
