#include "libs/tiktok/backoff.h"

#include "absl/random/random.h"
#include "gtest/gtest.h"

namespace ttads::tiktok {
namespace {

TEST(BackoffDelayTest, GrowsExponentiallyWithinJitterBounds) {
  BackoffOptions options;  // 100 ms, x2, max 5 s, jitter 0.5
  absl::BitGen gen;
  for (int retry = 1; retry <= 10; ++retry) {
    absl::Duration step = std::min(absl::Milliseconds(100) * (1 << (retry - 1)),
                                   absl::Seconds(5));
    for (int i = 0; i < 200; ++i) {
      absl::Duration d =
          BackoffDelay(options, retry, absl::ZeroDuration(), gen);
      EXPECT_GE(d, step * 0.5) << retry;
      EXPECT_LE(d, step) << retry;
    }
  }
}

TEST(BackoffDelayTest, NeverShorterThanTheSuggestedWait) {
  BackoffOptions options;
  absl::BitGen gen;
  for (int i = 0; i < 500; ++i) {
    absl::Duration d = BackoffDelay(options, 1, absl::Milliseconds(700), gen);
    EXPECT_GE(d, absl::Milliseconds(700));
    EXPECT_LE(d, absl::Milliseconds(840));
  }
}

TEST(BackoffDelayTest, JitterSpreadsDelays) {
  BackoffOptions options;
  absl::BitGen gen;
  absl::Duration first = BackoffDelay(options, 3, absl::ZeroDuration(), gen);
  bool differs = false;
  for (int i = 0; i < 50 && !differs; ++i) {
    differs = BackoffDelay(options, 3, absl::ZeroDuration(), gen) != first;
  }
  EXPECT_TRUE(differs);
}

TEST(BackoffDelayTest, NoJitterIsDeterministicAndCapped) {
  BackoffOptions options;
  options.jitter = 0;
  options.max = absl::Milliseconds(300);
  absl::BitGen gen;
  EXPECT_EQ(BackoffDelay(options, 1, absl::ZeroDuration(), gen),
            absl::Milliseconds(100));
  EXPECT_EQ(BackoffDelay(options, 2, absl::ZeroDuration(), gen),
            absl::Milliseconds(200));
  EXPECT_EQ(BackoffDelay(options, 3, absl::ZeroDuration(), gen),
            absl::Milliseconds(300));
  EXPECT_EQ(BackoffDelay(options, 60, absl::ZeroDuration(), gen),
            absl::Milliseconds(300));
}

}  // namespace
}  // namespace ttads::tiktok
