#include "services/audience/job_progress.h"

#include "gtest/gtest.h"

namespace ttads::audience {
namespace {

const absl::Time kClaim = absl::FromUnixSeconds(1700000000);

JobRecord Running() {
  JobRecord j;
  j.state = JobState::kRunning;
  j.received = 1100;
  j.run_start = kClaim;
  j.run_start_settled = 100;  // invalid and duplicates found on receipt
  j.settled = 300;
  j.progress_time = kClaim + absl::Seconds(10);
  return j;
}

TEST(JobProgressTest, EtaFromTheRateSinceTheClaim) {
  const JobProgress p = ProgressOf(Running());
  EXPECT_EQ(p.total, 1100);
  EXPECT_EQ(p.done, 300);
  EXPECT_DOUBLE_EQ(p.percent, 100.0 * 300 / 1100);
  // 200 settled in 10 s since the claim: 20/s, 800 left.
  ASSERT_TRUE(p.eta.has_value());
  EXPECT_EQ(*p.eta, absl::Seconds(40));
  ASSERT_TRUE(p.progress_time.has_value());
  EXPECT_EQ(*p.progress_time, kClaim + absl::Seconds(10));
}

TEST(JobProgressTest, NoEtaUntilMeasurable) {
  JobRecord j = Running();
  j.settled = j.run_start_settled;  // nothing settled since the claim
  EXPECT_FALSE(ProgressOf(j).eta.has_value());
  j = Running();
  j.progress_time = kClaim - absl::Seconds(1);  // last progress before it
  EXPECT_FALSE(ProgressOf(j).eta.has_value());
  j = Running();
  j.run_start = absl::UnixEpoch();  // never claimed
  EXPECT_FALSE(ProgressOf(j).eta.has_value());
  j = Running();
  j.state = JobState::kQueued;
  EXPECT_FALSE(ProgressOf(j).eta.has_value());
}

TEST(JobProgressTest, FinalAndReceivingStates) {
  JobRecord j = Running();
  j.state = JobState::kSucceeded;
  j.settled = j.received;
  JobProgress p = ProgressOf(j);
  EXPECT_DOUBLE_EQ(p.percent, 100);
  EXPECT_FALSE(p.eta.has_value());

  j = Running();
  j.state = JobState::kFailed;
  p = ProgressOf(j);
  EXPECT_DOUBLE_EQ(p.percent, 100.0 * 300 / 1100);  // where it stopped
  EXPECT_FALSE(p.eta.has_value());

  j = Running();
  j.state = JobState::kReceiving;  // the total still grows
  p = ProgressOf(j);
  EXPECT_EQ(p.total, 1100);
  EXPECT_DOUBLE_EQ(p.percent, 0);
  EXPECT_FALSE(p.eta.has_value());

  JobRecord empty;  // a disqualification job that found nothing to remove
  empty.state = JobState::kSucceeded;
  EXPECT_DOUBLE_EQ(ProgressOf(empty).percent, 100);
  empty.state = JobState::kQueued;
  EXPECT_DOUBLE_EQ(ProgressOf(empty).percent, 0);
  EXPECT_FALSE(ProgressOf(empty).progress_time.has_value());
}

TEST(JobProgressTest, DoneNeverExceedsTotal) {
  JobRecord j = Running();
  j.settled = 5000;
  const JobProgress p = ProgressOf(j);
  EXPECT_EQ(p.done, 1100);
  EXPECT_DOUBLE_EQ(p.percent, 100);
  ASSERT_TRUE(p.eta.has_value());
  EXPECT_EQ(*p.eta, absl::ZeroDuration());
}

}  // namespace
}  // namespace ttads::audience
