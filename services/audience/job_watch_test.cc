#include "services/audience/job_watch.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/testing/status_matchers.h"
#include "services/audience/audience_test_env.h"
#include "services/audience/job_progress.h"

namespace ttads::audience {
namespace {

using ::testing::ElementsAre;
using ::ttads::testing::IsOk;
using ::ttads::testing::IsOkAndHolds;
using ::ttads::testing::StatusIs;

// A clock that moves one second each time it is read, so rates and ETAs
// are the same on every run.
std::function<absl::Time()> SteppingClock() {
  auto now = std::make_shared<absl::Time>(absl::FromUnixSeconds(1700000000));
  return [now] {
    *now += absl::Seconds(1);
    return *now;
  };
}

using JobWatchTest = AudienceTestEnv;

TEST_F(JobWatchTest, ProgressGoesFromZeroToAHundredAndTheWatchEnds) {
  store_->set_clock(SteppingClock());
  AudienceRecord a = MakeAudience(team_a_);
  std::vector<std::string> values = Emails(0, 5000);
  for (const auto& dup : Emails(0, 40)) values.push_back(dup);
  values.push_back("not-an-email");
  JobRecord job = Sync(team_a_, a.id, Operation::kAdd, values);
  ASSERT_EQ(job.state, JobState::kQueued);
  JobProgress queued = ProgressOf(job);
  EXPECT_EQ(queued.total, 5041);
  // The invalid value and the duplicates within a chunk are settled on
  // receipt; nothing was uploaded yet.
  EXPECT_GE(queued.done, 1);
  EXPECT_LT(queued.percent, 5);
  EXPECT_FALSE(queued.eta.has_value());

  // One watcher through the hub, polled at each applied file.
  JobWatchHub hub(store_.get(), {});
  std::vector<JobRecord> streamed;
  auto handle = hub.Add(job, [&](const absl::StatusOr<JobRecord>& changed) {
    ASSERT_THAT(changed, IsOk());
    streamed.push_back(*changed);
  });
  ASSERT_THAT(handle, IsOk());

  std::vector<JobProgress> midway;
  auto w = Worker("w1");  // files of 1,000 digests: 5 files
  w->after_file = [&](int64_t) {
    auto now = store_->GetJob(team_a_.team_id, job.id);
    EXPECT_THAT(now, IsOk());
    if (now.ok()) midway.push_back(ProgressOf(*now));
    hub.PollOnce();
    return true;
  };
  Drain(*w);
  hub.PollOnce();

  ASSERT_EQ(midway.size(), 5u);
  double last = queued.percent;
  for (const JobProgress& p : midway) {
    EXPECT_EQ(p.total, 5041);
    EXPECT_GE(p.percent, last);
    EXPECT_GT(p.percent, 0);
    EXPECT_LE(p.percent, 100);
    // Measured from the rate since the worker's claim.
    EXPECT_TRUE(p.eta.has_value());
    last = p.percent;
  }
  EXPECT_LT(midway.front().percent, 50);
  EXPECT_GT(*midway.front().eta, absl::ZeroDuration());

  auto final_job = store_->GetJob(team_a_.team_id, job.id);
  ASSERT_THAT(final_job, IsOk());
  ASSERT_EQ(final_job->state, JobState::kSucceeded);
  const JobProgress end = ProgressOf(*final_job);
  EXPECT_EQ(end.done, end.total);
  EXPECT_DOUBLE_EQ(end.percent, 100);
  EXPECT_FALSE(end.eta.has_value());
  // done counts what TikTok got plus what was dropped: nothing twice.
  int64_t invalid = 0;
  for (const auto& [reason, n] : final_job->invalid) invalid += n;
  EXPECT_EQ(final_job->uploaded["EMAIL"] + final_job->duplicates + invalid,
            end.total);

  // The stream saw RUNNING states, then SUCCEEDED last, and is over.
  ASSERT_GE(streamed.size(), 5u);
  EXPECT_EQ(streamed.front().state, JobState::kRunning);
  EXPECT_EQ(streamed.back().state, JobState::kSucceeded);
  EXPECT_EQ(hub.watchers(), 0u);
  const size_t delivered = streamed.size();
  hub.PollOnce();
  EXPECT_EQ(streamed.size(), delivered);
}

TEST_F(JobWatchTest, WatchHubPollsEachJobOnceAndIsBounded) {
  AudienceRecord a = MakeAudience(team_a_);
  JobRecord job = Sync(team_a_, a.id, Operation::kAdd, Emails(0, 10));
  JobWatchHub hub(store_.get(), {.max_watchers = 2});
  int first = 0, second = 0;
  absl::Status ended;
  auto h1 = hub.Add(job, [&](const absl::StatusOr<JobRecord>& j) {
    ++first;
    if (!j.ok()) ended = j.status();
  });
  auto h2 = hub.Add(job, [&](const absl::StatusOr<JobRecord>&) { ++second; });
  ASSERT_THAT(h1, IsOk());
  ASSERT_THAT(h2, IsOk());
  EXPECT_EQ(hub.watched_jobs(), 1u);
  EXPECT_THAT(hub.Add(job, [](const absl::StatusOr<JobRecord>&) {}).status(),
              testing::StatusIs(absl::StatusCode::kResourceExhausted));

  hub.PollOnce();  // nothing changed since the watchers read it
  EXPECT_EQ(first + second, 0);
  ASSERT_THAT(store_->SetJobState(team_a_.team_id, job.id, JobState::kRunning),
              IsOk());
  hub.PollOnce();
  EXPECT_EQ(first, 1);
  EXPECT_EQ(second, 1);

  hub.Remove(*h2);
  ASSERT_THAT(store_->DeleteJob(job), IsOk());
  hub.PollOnce();
  EXPECT_EQ(second, 1);  // removed: not called again
  EXPECT_EQ(first, 2);
  EXPECT_THAT(ended, testing::StatusIs(absl::StatusCode::kNotFound));
  EXPECT_EQ(hub.watchers(), 0u);
}

}  // namespace
}  // namespace ttads::audience
