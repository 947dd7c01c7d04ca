#include "services/audience/refresh_scheduler.h"

#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/testing/status_matchers.h"
#include "services/audience/audience_test_env.h"

namespace ttads::audience {
namespace {

using ::ttads::testing::IsOk;

using RefreshSchedulerTest = AudienceTestEnv;

// The scheduler runs the cycle by itself: a due audience with pending
// removals gets its REMOVE job without anyone calling RunDue.
TEST_F(RefreshSchedulerTest, RunsTheCycleUntilStopped) {
  AudienceRecord a = MakeAudience(team_a_, /*refresh=*/1);
  ASSERT_THAT(store_->SetTikTokId(team_a_.team_id, a.id, "tt_1"), IsOk());
  ASSERT_THAT(
      disqualifier_->Disqualify(team_a_, "7001", a.id,
                                {{IdType::kEmail, {"user1@example.com"}}}),
      IsOk());
  ASSERT_THAT(store_->ScheduleRefresh(team_a_.team_id, a.id,
                                      absl::Now() - absl::Seconds(1)),
              IsOk());
  RefreshScheduler scheduler(refresh_.get(), absl::Milliseconds(20));
  scheduler.Start();
  bool queued = false;
  for (int i = 0; i < 500 && !queued; ++i) {
    auto jobs = sync_->ListJobs(team_a_, a.id, 10);
    queued = jobs.ok() && !jobs->empty();
    if (!queued) absl::SleepFor(absl::Milliseconds(10));
  }
  scheduler.Stop();
  ASSERT_TRUE(queued);
  auto jobs = sync_->ListJobs(team_a_, a.id, 10);
  ASSERT_THAT(jobs, IsOk());
  EXPECT_EQ(jobs->front().source, JobSource::kDisqualification);
}

}  // namespace
}  // namespace ttads::audience
