#include "libs/store/redis_metrics.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/store/redis.h"
#include "libs/testing/redis_server.h"
#include "libs/testing/status_matchers.h"

namespace ttads::store {
namespace {

using ::ttads::testing::IsOk;
using ::ttads::testing::RedisServer;
using ::ttads::testing::StatusIs;

// redis_errors_total{kind}, or the histogram's sample count when `kind` is
// empty.
double Value(prometheus::Registry& registry, const std::string& kind) {
  for (const auto& family : registry.Collect()) {
    for (const auto& metric : family.metric) {
      if (kind.empty() && family.name == "redis_command_duration_seconds") {
        return static_cast<double>(metric.histogram.sample_count);
      }
      if (!kind.empty() && family.name == "redis_errors_total" &&
          metric.label.size() == 1 && metric.label[0].value == kind) {
        return metric.counter.value;
      }
    }
  }
  return 0;
}

TEST(RedisMetricsTest, CountsCallsAndFailuresByKind) {
  auto server = RedisServer::Start();
  ASSERT_THAT(server, IsOk());
  auto registry = std::make_shared<prometheus::Registry>();
  RedisOptions options = *ParseRedisAddress((*server)->address());
  options.pool_size = 1;
  options.timeout = std::chrono::milliseconds(1000);
  options.metrics = std::make_shared<RedisMetrics>(registry);
  auto pool = RedisPool::Connect(options);
  ASSERT_THAT(pool, IsOk());

  ASSERT_THAT((*pool)->Command({"SET", "k", "text"}), IsOk());
  EXPECT_THAT((*pool)->Command({"INCR", "k"}),
              StatusIs(absl::StatusCode::kInternal));
  auto replies = (*pool)->Pipeline({{"GET", "k"}, {"INCR", "k"}});
  ASSERT_THAT(replies, IsOk());
  EXPECT_EQ(Value(*registry, ""), 3);  // Connect's PING is not counted
  EXPECT_EQ(Value(*registry, "internal"), 1);
  EXPECT_EQ(Value(*registry, "error_reply"), 1);
  EXPECT_EQ(Value(*registry, "unavailable"), 0);

  ASSERT_THAT((*server)->Stop(), IsOk());
  EXPECT_THAT((*pool)->Command({"GET", "k"}),
              StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_EQ(Value(*registry, "unavailable"), 1);
  EXPECT_EQ(Value(*registry, ""), 4);
}

}  // namespace
}  // namespace ttads::store
