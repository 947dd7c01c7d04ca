#include "libs/tiktok/adaptive_interval.h"

#include "gtest/gtest.h"

namespace ttads::tiktok {
namespace {

BudgetUsage::Snapshot Round(int64_t calls, int64_t deferrals,
                            absl::Duration waited) {
  BudgetUsage::Snapshot s;
  s.calls = calls;
  s.deferrals = deferrals;
  s.waited = waited;
  return s;
}

TEST(AdaptiveIntervalTest, StaysAtBaseWhileBudgetIsFree) {
  AdaptiveInterval pace({.base = absl::Seconds(5), .max = absl::Seconds(60)});
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(pace.Next(Round(3, 0, absl::Milliseconds(30))), absl::Seconds(5));
  }
  EXPECT_FALSE(pace.stretched());
}

TEST(AdaptiveIntervalTest, StretchesWhenShortAndReturnsWhenFree) {
  AdaptiveInterval pace({.base = absl::Seconds(5), .max = absl::Seconds(60)});
  // Deferred calls: the budget is short.
  EXPECT_EQ(pace.Next(Round(1, 2, absl::Seconds(1))), absl::Seconds(10));
  EXPECT_EQ(pace.Next(Round(1, 1, absl::Seconds(1))), absl::Seconds(20));
  EXPECT_EQ(pace.Next(Round(1, 4, absl::Seconds(1))), absl::Seconds(40));
  EXPECT_EQ(pace.Next(Round(1, 4, absl::Seconds(1))), absl::Seconds(60));
  EXPECT_EQ(pace.Next(Round(1, 4, absl::Seconds(1))), absl::Seconds(60));
  EXPECT_TRUE(pace.stretched());
  // Free again: back to the base within a few rounds.
  EXPECT_EQ(pace.Next(Round(1, 0, absl::ZeroDuration())), absl::Seconds(30));
  EXPECT_EQ(pace.Next(Round(1, 0, absl::ZeroDuration())), absl::Seconds(15));
  EXPECT_EQ(pace.Next(Round(1, 0, absl::ZeroDuration())), absl::Seconds(7.5));
  EXPECT_EQ(pace.Next(Round(1, 0, absl::ZeroDuration())), absl::Seconds(5));
  EXPECT_FALSE(pace.stretched());
}

TEST(AdaptiveIntervalTest, LongSlotWaitsCountAsShort) {
  AdaptiveInterval pace({.base = absl::Seconds(2),
                         .max = absl::Seconds(30),
                         .short_wait = absl::Milliseconds(250)});
  // Two calls waited 1 s in all: 500 ms each on average.
  EXPECT_EQ(pace.Next(Round(2, 0, absl::Seconds(1))), absl::Seconds(4));
  // Two calls waited 400 ms in all: 200 ms each, not short.
  EXPECT_EQ(pace.Next(Round(2, 0, absl::Milliseconds(400))), absl::Seconds(2));
}

}  // namespace
}  // namespace ttads::tiktok
