#include "libs/http/internal/deadline.h"

#include <chrono>

#include "gtest/gtest.h"

namespace ttads::http::internal {
namespace {

using std::chrono::seconds;

// Due() takes the time as an argument, so these tests choose it instead of
// waiting.
int64_t After(Deadline::Clock::duration d) {
  return (Deadline::Clock::now() + d).time_since_epoch().count();
}

TEST(DeadlineTest, NoneUntilSet) {
  Deadline d;
  EXPECT_FALSE(d.Due(Deadline::Now()));
  EXPECT_FALSE(d.Due(After(seconds(1000000))));
}

TEST(DeadlineTest, DueOncePassed) {
  Deadline d;
  d.Set(Deadline::Kind::kRead, seconds(10));
  EXPECT_FALSE(d.Due(Deadline::Now()));
  EXPECT_TRUE(d.Due(After(seconds(11))));
  EXPECT_EQ(d.kind(), Deadline::Kind::kRead);
}

TEST(DeadlineTest, SetReplacesAndClearRemoves) {
  Deadline d;
  d.Set(Deadline::Kind::kIdle, seconds(0));
  EXPECT_TRUE(d.Due(After(seconds(1))));
  d.Set(Deadline::Kind::kLinger, seconds(60));
  EXPECT_FALSE(d.Due(After(seconds(30))));
  EXPECT_EQ(d.kind(), Deadline::Kind::kLinger);
  d.Clear();
  EXPECT_FALSE(d.Due(After(seconds(120))));
}

}  // namespace
}  // namespace ttads::http::internal
