// The audience job queue's depth and age (RedisJobQueue::Stats) and their
// metrics (QueueMetrics), against a private redis-server.
#include "services/audience/queue_metrics.h"

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/testing/private_redis.h"
#include "libs/testing/status_matchers.h"
#include "prometheus/registry.h"

namespace ttads::audience {
namespace {

using testing::IsOk;

double Value(prometheus::Registry& registry, const std::string& name,
             const std::string& state) {
  for (const auto& family : registry.Collect()) {
    if (family.name != name) continue;
    for (const auto& m : family.metric) {
      for (const auto& label : m.label) {
        if (label.name == "state" && label.value == state) {
          return family.type == prometheus::MetricType::Counter
                     ? m.counter.value
                     : m.gauge.value;
        }
      }
    }
  }
  return -1;
}

class QueueMetricsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto redis = testing::PrivateRedis::Start();
    ASSERT_THAT(redis, IsOk());
    redis_ = *std::move(redis);
    queue_ = std::make_unique<RedisJobQueue>(redis_->pool(), absl::Minutes(1));
  }

  // An entry queued at `ms` (Unix ms), as Enqueue would have written it.
  void EnqueueAt(int64_t ms, const std::string& job) {
    ASSERT_THAT(redis_->pool()->Command({"XADD", "ttads:audience:jobs",
                                         absl::StrCat(ms, "-0"), "team", "tm_a",
                                         "job", job}),
                IsOk());
  }

  std::unique_ptr<testing::PrivateRedis> redis_;
  std::unique_ptr<RedisJobQueue> queue_;
};

TEST_F(QueueMetricsTest, EmptyBeforeAnythingWasQueued) {
  auto stats = queue_->Stats();
  ASSERT_THAT(stats.status(), IsOk());
  EXPECT_EQ(stats->queued, 0);
  EXPECT_EQ(stats->running, 0);
  EXPECT_EQ(stats->oldest_queued, absl::ZeroDuration());
  EXPECT_EQ(stats->oldest_running, absl::ZeroDuration());
}

TEST_F(QueueMetricsTest, CountsQueuedAndRunningAndAgesTheOldest) {
  // Three jobs queued one second apart; a worker takes the first.
  const int64_t t0 = 1700000000000;
  EnqueueAt(t0, "j1");
  EnqueueAt(t0 + 1000, "j2");
  EnqueueAt(t0 + 2000, "j3");
  auto taken = queue_->Next("w1", absl::ZeroDuration());
  ASSERT_THAT(taken.status(), IsOk());
  ASSERT_TRUE(taken->has_value());
  EXPECT_EQ((*taken)->job_id, "j1");

  auto stats = queue_->Stats();
  ASSERT_THAT(stats.status(), IsOk());
  EXPECT_EQ(stats->queued, 2);
  EXPECT_EQ(stats->running, 1);
  // Both ages against the same Redis clock: j1 is exactly 1 s older than
  // j2, the oldest not taken.
  EXPECT_GT(stats->oldest_queued, absl::Hours(24));
  EXPECT_EQ(stats->oldest_running - stats->oldest_queued, absl::Seconds(1));

  // Acknowledged: gone from the queue; j2 is the oldest entry left.
  ASSERT_THAT(queue_->Ack("w1", **taken), IsOk());
  stats = queue_->Stats();
  ASSERT_THAT(stats.status(), IsOk());
  EXPECT_EQ(stats->queued, 2);
  EXPECT_EQ(stats->running, 0);
  EXPECT_EQ(stats->oldest_running, absl::ZeroDuration());

  prometheus::Registry registry;
  QueueMetrics metrics(registry, queue_.get(), absl::Seconds(5));
  ASSERT_THAT(metrics.SampleOnce(), IsOk());
  EXPECT_EQ(Value(registry, "ttads_audience_queue_jobs", "queued"), 2);
  EXPECT_EQ(Value(registry, "ttads_audience_queue_jobs", "running"), 0);
  EXPECT_GT(
      Value(registry, "ttads_audience_queue_oldest_age_seconds", "queued"),
      86400);
  EXPECT_EQ(
      Value(registry, "ttads_audience_queue_oldest_age_seconds", "running"), 0);
}

TEST_F(QueueMetricsTest, CountsFinishedJobsByState) {
  prometheus::Registry registry;
  QueueMetrics metrics(registry, queue_.get(), absl::Seconds(5));
  metrics.Finished(JobState::kSucceeded);
  metrics.Finished(JobState::kSucceeded);
  metrics.Finished(JobState::kFailed);
  metrics.Finished(JobState::kRunning);  // not final: not counted
  EXPECT_EQ(Value(registry, "ttads_audience_jobs_finished_total", "succeeded"),
            2);
  EXPECT_EQ(Value(registry, "ttads_audience_jobs_finished_total", "failed"), 1);
}

TEST_F(QueueMetricsTest, RedisDownLeavesTheGaugesAsTheyWere) {
  EnqueueAt(1700000000000, "j1");
  prometheus::Registry registry;
  QueueMetrics metrics(registry, queue_.get(), absl::Seconds(5));
  ASSERT_THAT(metrics.SampleOnce(), IsOk());
  ASSERT_THAT(redis_->server().Stop(), IsOk());
  EXPECT_THAT(metrics.SampleOnce(), ::testing::Not(IsOk()));
  EXPECT_EQ(Value(registry, "ttads_audience_queue_jobs", "queued"), 1);
}

}  // namespace
}  // namespace ttads::audience
