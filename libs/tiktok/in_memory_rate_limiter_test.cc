#include "libs/tiktok/in_memory_rate_limiter.h"

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/testing/status_matchers.h"

namespace ttads::tiktok {
namespace {

using ::ttads::testing::IsOk;

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

TEST(InMemoryRateLimiterTest, SpacesReservationsByTheInterval) {
  FakeClock clock;
  RateLimitPolicy policy;
  policy.headroom = 1.0;
  InMemoryRateLimiter limiter(policy, clock.AsFunction());
  for (int i = 0; i < 25; ++i) {
    absl::StatusOr<Reservation> r =
        limiter.Reserve({"app", "ad/get/"}, absl::Seconds(10));
    ASSERT_THAT(r, IsOk());
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
    ASSERT_THAT(r, IsOk());
    ASSERT_TRUE(r->granted);
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

RateLimitRequest Work(WorkClass work_class, std::string team, double weight = 1,
                      std::string path = "ad/get/") {
  RateLimitRequest request{"app", std::move(path), ""};
  request.work_class = work_class;
  request.team_id = std::move(team);
  request.weight = weight;
  return request;
}

// Background takes only a free slot; when it is taken it is deferred with
// the time the slot frees, and nothing is reserved.
TEST(InMemoryRateLimiterTest, BackgroundNeverBooksAhead) {
  FakeClock clock;
  RateLimitPolicy policy;
  policy.headroom = 1.0;
  InMemoryRateLimiter limiter(policy, clock.AsFunction());
  absl::StatusOr<Reservation> first =
      limiter.Reserve(Work(WorkClass::kBackground, "t1"), absl::Seconds(10));
  ASSERT_THAT(first, IsOk());
  EXPECT_TRUE(first->granted);
  EXPECT_EQ(first->wait, absl::ZeroDuration());
  absl::StatusOr<Reservation> second =
      limiter.Reserve(Work(WorkClass::kBackground, "t1"), absl::Seconds(10));
  EXPECT_FALSE(second->granted);
  EXPECT_EQ(second->deferral, Deferral::kLaneBusy);
  EXPECT_EQ(second->wait, absl::Milliseconds(100));
  // An interactive call is behind one background call at most.
  EXPECT_EQ(limiter.Reserve({"app", "ad/get/"}, absl::Seconds(10))->wait,
            absl::Milliseconds(100));
  // ... and background now waits behind it.
  EXPECT_EQ(
      limiter.Reserve(Work(WorkClass::kBackground, "t1"), absl::Seconds(10))
          ->wait,
      absl::Milliseconds(200));
}

// However much background work asks, an interactive call arriving at any
// moment waits at most one interval.
TEST(InMemoryRateLimiterTest, InteractiveWaitsAtMostOneIntervalForBackground) {
  FakeClock clock;
  RateLimitPolicy policy;
  policy.headroom = 1.0;
  InMemoryRateLimiter limiter(policy, clock.AsFunction());
  absl::Duration worst = absl::ZeroDuration();
  for (int step = 0; step < 400; ++step) {
    for (int i = 0; i < 20; ++i) {  // 20 background callers per 7 ms
      (void)limiter.Reserve(Work(WorkClass::kBackground, absl::StrCat("t", i)),
                            absl::Seconds(30));
    }
    if (step % 13 == 0) {
      absl::StatusOr<Reservation> r =
          limiter.Reserve({"app", "ad/get/"}, absl::Seconds(30));
      ASSERT_TRUE(r->granted);
      worst = std::max(worst, r->wait);
      clock.Advance(absl::Milliseconds(100));  // keep interactive sparse
    }
    clock.Advance(absl::Milliseconds(7));
  }
  EXPECT_GT(worst, absl::ZeroDuration());
  EXPECT_LE(worst, absl::Milliseconds(100));
}

TEST(InMemoryRateLimiterTest, BulkTakesOnlySlotsLeftIdle) {
  FakeClock clock;
  RateLimitPolicy policy;
  policy.headroom = 1.0;
  InMemoryRateLimiter limiter(policy, clock.AsFunction());
  ASSERT_TRUE(
      limiter.Reserve(Work(WorkClass::kBackground, "t1"), absl::ZeroDuration())
          ->granted);
  clock.Advance(absl::Milliseconds(100));  // the slot is free again
  absl::StatusOr<Reservation> bulk =
      limiter.Reserve(Work(WorkClass::kBulk, "t2"), absl::ZeroDuration());
  EXPECT_FALSE(bulk->granted);
  EXPECT_EQ(bulk->deferral, Deferral::kLaneBusy);
  EXPECT_EQ(bulk->wait, absl::Milliseconds(100));
  // Background still may take it.
  EXPECT_TRUE(
      limiter.Reserve(Work(WorkClass::kBackground, "t1"), absl::ZeroDuration())
          ->granted);
  clock.Advance(absl::Milliseconds(200));  // idle for a whole interval
  EXPECT_TRUE(
      limiter.Reserve(Work(WorkClass::kBulk, "t2"), absl::ZeroDuration())
          ->granted);
}

// Drives background teams as the client does: each team asks whenever its
// own deferral has passed, `asks[i]` times per tick of 10 ms; returns the
// grants per team.
std::vector<int> Drive(InMemoryRateLimiter& limiter, FakeClock& clock,
                       const std::vector<double>& weights,
                       const std::vector<int>& asks, int ticks) {
  std::vector<int> grants(weights.size(), 0);
  std::vector<absl::Time> not_before(weights.size(), absl::InfinitePast());
  for (int tick = 0; tick < ticks; ++tick) {
    for (size_t t = 0; t < weights.size(); ++t) {
      for (int a = 0; a < asks[t] && not_before[t] <= clock.Now(); ++a) {
        absl::StatusOr<Reservation> r = limiter.Reserve(
            Work(WorkClass::kBackground, absl::StrCat("team", t), weights[t]),
            absl::Seconds(30));
        if (r->granted) {
          ++grants[t];
        } else if (r->deferral == Deferral::kOverShare) {
          not_before[t] = clock.Now() + r->wait;
        }
      }
    }
    clock.Advance(absl::Milliseconds(10));
  }
  return grants;
}

TEST(InMemoryRateLimiterTest, EqualTeamsShareEquallyWhateverTheyAsk) {
  FakeClock clock;
  RateLimitPolicy policy;
  policy.headroom = 1.0;
  InMemoryRateLimiter limiter(policy, clock.AsFunction());
  // Team 0 asks ten times as often as team 1.
  std::vector<int> grants = Drive(limiter, clock, {1, 1}, {10, 1}, 3000);
  ASSERT_GT(grants[0] + grants[1], 250);
  EXPECT_NEAR(grants[0], grants[1], 0.05 * (grants[0] + grants[1]) / 2);
}

TEST(InMemoryRateLimiterTest, WeightsSetTheShares) {
  FakeClock clock;
  RateLimitPolicy policy;
  policy.headroom = 1.0;
  InMemoryRateLimiter limiter(policy, clock.AsFunction());
  std::vector<int> grants = Drive(limiter, clock, {1, 3}, {5, 5}, 3000);
  double ratio = static_cast<double>(grants[1]) / grants[0];
  EXPECT_NEAR(ratio, 3.0, 0.3);
}

// A team that was idle starts at the lane's clock: it does not bank the
// slots it did not use, so it cannot then starve the team that kept going.
TEST(InMemoryRateLimiterTest, IdlingBanksNoCredit) {
  FakeClock clock;
  RateLimitPolicy policy;
  policy.headroom = 1.0;
  InMemoryRateLimiter limiter(policy, clock.AsFunction());
  Drive(limiter, clock, {1, 1}, {1, 0}, 1000);  // team 1 idle for 10 s
  std::vector<int> grants = Drive(limiter, clock, {1, 1}, {1, 1}, 1000);
  EXPECT_NEAR(grants[0], grants[1], 0.05 * (grants[0] + grants[1]) / 2);
}

// A light team (asking rarely) does not hold back a heavy one.
TEST(InMemoryRateLimiterTest, LightTeamDoesNotThrottleHeavyTeam) {
  FakeClock clock;
  RateLimitPolicy policy;
  policy.headroom = 1.0;
  InMemoryRateLimiter limiter(policy, clock.AsFunction());
  std::vector<int> grants(2, 0);
  for (int tick = 0; tick < 1000; ++tick) {  // 10 s
    if (tick % 50 == 0) {
      grants[1] += limiter
                       .Reserve(Work(WorkClass::kBackground, "light"),
                                absl::ZeroDuration())
                       ->granted;
    }
    grants[0] += limiter
                     .Reserve(Work(WorkClass::kBackground, "heavy"),
                              absl::ZeroDuration())
                     ->granted;
    clock.Advance(absl::Milliseconds(10));
  }
  EXPECT_GE(grants[1], 15);
  EXPECT_GE(grants[0] + grants[1], 98);  // the lane stays full
}

TEST(InMemoryRateLimiterTest, BackgroundRespectsAdCreateAndAdvertiserBuckets) {
  FakeClock clock;
  RateLimitPolicy policy;
  policy.headroom = 1.0;
  policy.advertiser_qps = 1;
  InMemoryRateLimiter limiter(policy, clock.AsFunction());
  RateLimitRequest create = Work(WorkClass::kBackground, "t1", 1, "ad/create/");
  ASSERT_TRUE(limiter.Reserve(create, absl::ZeroDuration())->granted);
  clock.Advance(absl::Milliseconds(100));
  absl::StatusOr<Reservation> again =
      limiter.Reserve(create, absl::ZeroDuration());
  EXPECT_FALSE(again->granted);
  EXPECT_EQ(again->wait, absl::Milliseconds(300));  // 400 ms create bucket
  RateLimitRequest adv = Work(WorkClass::kBackground, "t1");
  adv.advertiser_id = "adv1";
  ASSERT_TRUE(limiter.Reserve(adv, absl::ZeroDuration())->granted);
  clock.Advance(absl::Milliseconds(500));
  EXPECT_EQ(limiter.Reserve(adv, absl::ZeroDuration())->wait,
            absl::Milliseconds(500));  // 1 QPS per advertiser
}

}  // namespace
}  // namespace ttads::tiktok
