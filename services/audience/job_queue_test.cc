#include "services/audience/job_queue.h"

#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/testing/status_matchers.h"
#include "services/audience/audience_test_env.h"

namespace ttads::audience {
namespace {

using ::testing::ElementsAre;
using ::ttads::testing::IsOk;
using ::ttads::testing::IsOkAndHolds;
using ::ttads::testing::StatusIs;

using JobQueueTest = AudienceTestEnv;

TEST_F(JobQueueTest, OnlyTheOwnerRenewsOrAcknowledgesAnEntry) {
  ASSERT_THAT(queue_->Enqueue("tm_a", "job1"), IsOk());
  auto taken = queue_->Next("w1", absl::Milliseconds(10));
  ASSERT_THAT(taken, IsOk());
  ASSERT_TRUE(taken->has_value());
  const QueuedJob entry = **taken;
  EXPECT_THAT(queue_->Renew("w1", entry), IsOkAndHolds(true));
  // Renew by another consumer neither succeeds nor takes the entry.
  EXPECT_THAT(queue_->Renew("w2", entry), IsOkAndHolds(false));
  auto owner = [&] {
    auto r = redis_->pool()->Command({"XPENDING", "ttads:audience:jobs",
                                      "audience-workers", "-", "+", "10"});
    return r->elements.empty() ? std::string() : r->elements[0].elements[1].str;
  };
  EXPECT_EQ(owner(), "w1");
  // A heartbeat keeps it from being claimed past the claim interval (100 ms).
  {
    ClaimHeartbeat beat(queue_.get(), "w1", entry, absl::Milliseconds(30));
    absl::SleepFor(absl::Milliseconds(350));
    auto other = queue_->Next("w2", absl::Milliseconds(10));
    ASSERT_THAT(other, IsOk());
    EXPECT_FALSE(other->has_value());
    EXPECT_FALSE(beat.lost());
    EXPECT_GE(beat.renewals(), 5);
  }
  // Without it the entry goes to w2; w1's heartbeat then reports it lost.
  absl::SleepFor(absl::Milliseconds(150));
  auto other = queue_->Next("w2", absl::Milliseconds(10));
  ASSERT_THAT(other, IsOk());
  ASSERT_TRUE(other->has_value());
  EXPECT_EQ((*other)->entry_id, entry.entry_id);
  ClaimHeartbeat stale(queue_.get(), "w1", entry, absl::Milliseconds(10));
  for (int i = 0; i < 200 && !stale.lost(); ++i) {
    absl::SleepFor(absl::Milliseconds(5));
  }
  EXPECT_TRUE(stale.lost());
  EXPECT_EQ(owner(), "w2");
  // w1 cannot acknowledge w2's entry; w2 can.
  EXPECT_THAT(queue_->Ack("w1", entry), IsOk());
  EXPECT_EQ(owner(), "w2");
  EXPECT_THAT(queue_->Ack("w2", entry), IsOk());
  EXPECT_EQ(owner(), "");
  EXPECT_THAT(queue_->Renew("w2", entry), IsOkAndHolds(false));
}

}  // namespace
}  // namespace ttads::audience
