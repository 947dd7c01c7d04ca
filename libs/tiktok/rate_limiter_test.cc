#include "libs/tiktok/rate_limiter.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ttads::tiktok {
namespace {

class FakeClock {
 public:
  absl::Time Now() const { return now_; }
  void Advance(absl::Duration d) { now_ += d; }
  std::function<absl::Time()> AsFunction() {
    return [this] { return now_; };
  }

 private:
  absl::Time now_ = absl::FromUnixSeconds(1'700'000'000);
};

TEST(ParseTierTest, KnownNames) {
  EXPECT_EQ(*ParseTier("basic"), Tier::kBasic);
  EXPECT_EQ(*ParseTier("Advanced"), Tier::kAdvanced);
  EXPECT_EQ(*ParseTier("PREMIUM"), Tier::kPremium);
  EXPECT_EQ(*ParseTier("ultimate"), Tier::kUltimate);
  EXPECT_EQ(*ParseTier("sandbox"), Tier::kSandbox);
  absl::StatusOr<Tier> bad = ParseTier("gold");
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.status().message(),
              ::testing::HasSubstr("TTADS_TIKTOK_TIER"));
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

TEST(InMemoryRateLimiterTest, SpacesReservationsByTheInterval) {
  FakeClock clock;
  RateLimitPolicy policy;
  policy.headroom = 1.0;
  InMemoryRateLimiter limiter(policy, clock.AsFunction());
  for (int i = 0; i < 25; ++i) {
    absl::StatusOr<Reservation> r =
        limiter.Reserve({"app", "ad/get/"}, absl::Seconds(10));
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(r->granted);
    EXPECT_EQ(r->wait, absl::Milliseconds(100) * i);
  }
}

TEST(InMemoryRateLimiterTest, AnyOneSecondWindowHoldsAtMostTheTierQps) {
  FakeClock clock;
  RateLimitPolicy policy;
  policy.headroom = 1.0;
  InMemoryRateLimiter limiter(policy, clock.AsFunction());
  std::vector<absl::Time> sends;
  for (int i = 0; i < 60; ++i) {
    if (i % 7 == 0) clock.Advance(absl::Milliseconds(130));
    absl::StatusOr<Reservation> r =
        limiter.Reserve({"app", "identity/get/"}, absl::Seconds(30));
    ASSERT_TRUE(r.ok() && r->granted);
    sends.push_back(clock.Now() + r->wait);
  }
  for (absl::Time start : sends) {
    int in_window = 0;
    for (absl::Time t : sends) {
      in_window += t >= start && t < start + absl::Seconds(1);
    }
    EXPECT_LE(in_window, 10);
  }
}

TEST(InMemoryRateLimiterTest, RejectionBeyondMaxWaitReservesNothing) {
  FakeClock clock;
  RateLimitPolicy policy;
  policy.headroom = 1.0;
  InMemoryRateLimiter limiter(policy, clock.AsFunction());
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(limiter.Reserve({"app", "x/"}, absl::Seconds(1))->granted);
  }
  absl::StatusOr<Reservation> rejected =
      limiter.Reserve({"app", "x/"}, absl::Milliseconds(150));
  EXPECT_FALSE(rejected->granted);
  EXPECT_EQ(rejected->wait, absl::Milliseconds(300));
  // The rejected request took no slot.
  EXPECT_EQ(limiter.Reserve({"app", "x/"}, absl::Seconds(1))->wait,
            absl::Milliseconds(300));
}

TEST(InMemoryRateLimiterTest, AdCreateWaitsForBothBuckets) {
  FakeClock clock;
  RateLimitPolicy policy;
  policy.headroom = 1.0;
  InMemoryRateLimiter limiter(policy, clock.AsFunction());
  EXPECT_EQ(limiter.Reserve({"app", "ad/create/"}, absl::Seconds(9))->wait,
            absl::ZeroDuration());
  EXPECT_EQ(limiter.Reserve({"app", "ad/create/"}, absl::Seconds(9))->wait,
            absl::Milliseconds(400));
  // Other endpoints only wait for the app bucket.
  EXPECT_EQ(limiter.Reserve({"app", "ad/get/"}, absl::Seconds(9))->wait,
            absl::Milliseconds(500));
}

TEST(InMemoryRateLimiterTest, AppsAreIndependent) {
  FakeClock clock;
  InMemoryRateLimiter limiter(RateLimitPolicy{}, clock.AsFunction());
  ASSERT_TRUE(limiter.Reserve({"a", "x/"}, absl::Seconds(1))->granted);
  EXPECT_EQ(limiter.Reserve({"b", "x/"}, absl::Seconds(1))->wait,
            absl::ZeroDuration());
}

}  // namespace
}  // namespace ttads::tiktok
