#include "libs/tiktok/redis_rate_limiter.h"

#include <atomic>
#include <thread>
#include <vector>

#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "libs/testing/private_redis.h"
#include "libs/testing/status_matchers.h"

namespace ttads::tiktok {
namespace {

using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;

class RedisRateLimiterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<testing::PrivateRedis>> redis =
        testing::PrivateRedis::Start();
    ASSERT_THAT(redis, IsOk());
    redis_ = *std::move(redis);
    pool_a_ = redis_->pool();
    absl::StatusOr<std::unique_ptr<store::RedisPool>> pool_b =
        redis_->Connect();
    ASSERT_THAT(pool_b, IsOk());
    pool_b_ = *std::move(pool_b);
  }

  std::unique_ptr<testing::PrivateRedis> redis_;
  store::RedisPool* pool_a_ = nullptr;  // redis_'s own pool
  std::unique_ptr<store::RedisPool> pool_b_;
};

// Two limiters (two replicas) on one Redis draw from one bucket. The
// sandbox tier's 2 s spacing makes "the next slot is taken" independent of
// how fast this test runs.
TEST_F(RedisRateLimiterTest, ReplicasShareOneBucket) {
  RateLimitPolicy policy;
  policy.tier = Tier::kSandbox;
  policy.headroom = 1.0;
  RedisRateLimiter replica_a(pool_a_, policy);
  RedisRateLimiter replica_b(pool_b_.get(), policy);
  RateLimitRequest request{"app1", "ad/get/", ""};

  absl::StatusOr<Reservation> first =
      replica_a.Reserve(request, absl::Seconds(10));
  ASSERT_THAT(first, IsOk());
  EXPECT_TRUE(first->granted);
  EXPECT_EQ(first->wait, absl::ZeroDuration());

  absl::StatusOr<Reservation> rejected =
      replica_b.Reserve(request, absl::ZeroDuration());
  ASSERT_THAT(rejected, IsOk());
  EXPECT_FALSE(rejected->granted);
  EXPECT_GT(rejected->wait, absl::ZeroDuration());
  EXPECT_LE(rejected->wait, absl::Seconds(2));

  absl::StatusOr<Reservation> second =
      replica_b.Reserve(request, absl::Seconds(10));
  ASSERT_THAT(second, IsOk());
  ASSERT_TRUE(second->granted);
  EXPECT_GT(second->wait, absl::ZeroDuration());

  absl::StatusOr<Reservation> third =
      replica_a.Reserve(request, absl::Seconds(10));
  ASSERT_THAT(third, IsOk());
  ASSERT_TRUE(third->granted);
  EXPECT_GT(third->wait, absl::Seconds(2));  // behind the second's slot

  // Another endpoint (sandbox limits are per endpoint) and another app are
  // free.
  EXPECT_EQ(
      replica_b.Reserve({"app1", "ad/create/", ""}, absl::ZeroDuration())->wait,
      absl::ZeroDuration());
  EXPECT_TRUE(replica_b.Reserve({"app2", "ad/get/", ""}, absl::ZeroDuration())
                  ->granted);
}

TEST_F(RedisRateLimiterTest, KeysAreNamespacedAndExpire) {
  RateLimitPolicy policy;
  RedisRateLimiter limiter(pool_a_, policy);
  ASSERT_TRUE(
      limiter.Reserve({"app9", "ad/create/", ""}, absl::Seconds(1))->granted);
  for (const char* key : {"ttads:ratelimit:{app:app9}:app",
                          "ttads:ratelimit:{app:app9}:endpoint:ad/create/"}) {
    absl::StatusOr<store::RedisReply> ttl = pool_a_->Command({"PTTL", key});
    ASSERT_THAT(ttl, IsOk());
    EXPECT_GT(ttl->integer, 0) << key;
    EXPECT_LE(ttl->integer, 2000) << key;
  }
}

TEST_F(RedisRateLimiterTest, WorksAgainAfterRedisRestart) {
  RateLimitPolicy policy;
  RedisRateLimiter limiter(pool_a_, policy);
  ASSERT_THAT(limiter.Reserve({"app", "x/", ""}, absl::Seconds(1)), IsOk());
  ASSERT_THAT(redis_->server().Restart(), IsOk());
  // The script cache is gone; the pool redials.
  absl::StatusOr<Reservation> r =
      limiter.Reserve({"app", "x/", ""}, absl::Seconds(5));
  if (!r.ok()) r = limiter.Reserve({"app", "x/", ""}, absl::Seconds(5));
  ASSERT_THAT(r, IsOk());
  EXPECT_TRUE(r->granted);
}

TEST_F(RedisRateLimiterTest, UnreachableRedisIsUnavailable) {
  RateLimitPolicy policy;
  RedisRateLimiter limiter(pool_a_, policy);
  ASSERT_THAT(redis_->server().Stop(), IsOk());
  EXPECT_THAT(limiter.Reserve({"app", "x/", ""}, absl::Seconds(1)),
              StatusIs(absl::StatusCode::kUnavailable));
}

RateLimitRequest Background(std::string team, double weight = 1) {
  RateLimitRequest request{"app1", "ad/get/", ""};
  request.work_class = WorkClass::kBackground;
  request.team_id = std::move(team);
  request.weight = weight;
  return request;
}

// Replica A keeps background work queued (deferred, waiting for the slot);
// an interactive call on replica B goes ahead of it, behind at most the one
// background call already granted. Sandbox spacing (2 s) makes the order
// independent of how fast the test runs.
TEST_F(RedisRateLimiterTest, InteractiveGoesAheadOfQueuedBackground) {
  RateLimitPolicy policy;
  policy.tier = Tier::kSandbox;
  policy.headroom = 1.0;
  RedisRateLimiter replica_a(pool_a_, policy);
  RedisRateLimiter replica_b(pool_b_.get(), policy);

  absl::StatusOr<Reservation> running =
      replica_a.Reserve(Background("tm_a"), absl::Seconds(30));
  ASSERT_THAT(running, IsOk());
  ASSERT_TRUE(running->granted);
  absl::StatusOr<Reservation> queued =
      replica_a.Reserve(Background("tm_a"), absl::Seconds(30));
  ASSERT_THAT(queued, IsOk());
  EXPECT_FALSE(queued->granted);
  EXPECT_EQ(queued->deferral, Deferral::kLaneBusy);
  EXPECT_LE(queued->wait, absl::Seconds(2));

  absl::StatusOr<Reservation> interactive =
      replica_b.Reserve({"app1", "ad/get/", ""}, absl::Seconds(30));
  ASSERT_THAT(interactive, IsOk());
  ASSERT_TRUE(interactive->granted);
  EXPECT_LE(interactive->wait, absl::Seconds(2));  // one call's worth

  // The queued background call now comes after the interactive one.
  absl::StatusOr<Reservation> after =
      replica_a.Reserve(Background("tm_a"), absl::Seconds(30));
  ASSERT_THAT(after, IsOk());
  EXPECT_FALSE(after->granted);
  EXPECT_GT(after->wait, interactive->wait);
  EXPECT_GT(after->wait, absl::Seconds(2));
}

// Two teams of equal weight on two replicas; team A asks from three
// threads, team B from one. Each gets half of the lane (within 10 %).
TEST_F(RedisRateLimiterTest, EqualTeamsGetEqualBackgroundThroughput) {
  RateLimitPolicy policy;
  policy.tier = Tier::kUltimate;  // 50 QPS: one slot per 20 ms
  policy.headroom = 1.0;
  RedisRateLimiter replica_a(pool_a_, policy);
  RedisRateLimiter replica_b(pool_b_.get(), policy);
  constexpr int kTotal = 200;
  std::atomic<int> total{0};
  std::atomic<int> grants_a{0};
  std::atomic<int> grants_b{0};
  std::atomic<int> errors{0};
  auto drive = [&](RedisRateLimiter* limiter, const std::string& team,
                   std::atomic<int>* grants) {
    while (total.load() < kTotal) {
      absl::StatusOr<Reservation> r =
          limiter->Reserve(Background(team), absl::Seconds(30));
      if (!r.ok()) {
        errors.fetch_add(1);
        return;
      }
      if (r->granted) {
        grants->fetch_add(1);
        total.fetch_add(1);
      } else {
        absl::SleepFor(std::min(r->wait, absl::Milliseconds(50)));
      }
    }
  };
  std::vector<std::thread> threads;
  for (int i = 0; i < 3; ++i) {
    threads.emplace_back(drive, &replica_a, "tm_a", &grants_a);
  }
  threads.emplace_back(drive, &replica_b, "tm_b", &grants_b);
  for (std::thread& t : threads) t.join();
  ASSERT_EQ(errors.load(), 0);
  const double a = grants_a.load();
  const double b = grants_b.load();
  EXPECT_NEAR(a, b, 0.1 * (a + b) / 2) << "team A " << a << ", team B " << b;
}

TEST_F(RedisRateLimiterTest, LaneKeysAreNamespacedAndExpire) {
  RateLimitPolicy policy;
  RedisRateLimiter limiter(pool_a_, policy);
  ASSERT_TRUE(limiter.Reserve(Background("tm_x"), absl::Seconds(1))->granted);
  ASSERT_FALSE(limiter.Reserve(Background("tm_x"), absl::Seconds(1))->granted);
  for (const char* part : {"vt", "pending", "seen", "clock"}) {
    std::string key = LaneKey("app1", WorkClass::kBackground, part);
    absl::StatusOr<store::RedisReply> ttl = pool_a_->Command({"PTTL", key});
    ASSERT_THAT(ttl, IsOk());
    EXPECT_GT(ttl->integer, 0) << key;
    EXPECT_LE(ttl->integer, 120000) << key;
  }
}

}  // namespace
}  // namespace ttads::tiktok
