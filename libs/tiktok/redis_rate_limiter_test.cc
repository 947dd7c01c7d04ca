#include "libs/tiktok/redis_rate_limiter.h"

#include "gtest/gtest.h"
#include "libs/testing/redis_server.h"

namespace ttads::tiktok {
namespace {

class RedisRateLimiterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<testing::RedisServer>> server =
        testing::RedisServer::Start();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    pool_a_ = Connect();
    pool_b_ = Connect();
  }

  std::unique_ptr<store::RedisPool> Connect() {
    absl::StatusOr<store::RedisOptions> options =
        store::ParseRedisAddress(server_->address());
    EXPECT_TRUE(options.ok());
    absl::StatusOr<std::unique_ptr<store::RedisPool>> pool =
        store::RedisPool::Connect(*options);
    EXPECT_TRUE(pool.ok()) << pool.status();
    return *std::move(pool);
  }

  std::unique_ptr<testing::RedisServer> server_;
  std::unique_ptr<store::RedisPool> pool_a_;
  std::unique_ptr<store::RedisPool> pool_b_;
};

// Two limiters (two replicas) on one Redis draw from one bucket. The
// sandbox tier's 2 s spacing makes "the next slot is taken" independent of
// how fast this test runs.
TEST_F(RedisRateLimiterTest, ReplicasShareOneBucket) {
  RateLimitPolicy policy;
  policy.tier = Tier::kSandbox;
  policy.headroom = 1.0;
  RedisRateLimiter replica_a(pool_a_.get(), policy);
  RedisRateLimiter replica_b(pool_b_.get(), policy);
  RateLimitRequest request{"app1", "ad/get/", ""};

  absl::StatusOr<Reservation> first =
      replica_a.Reserve(request, absl::Seconds(10));
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_TRUE(first->granted);
  EXPECT_EQ(first->wait, absl::ZeroDuration());

  absl::StatusOr<Reservation> rejected =
      replica_b.Reserve(request, absl::ZeroDuration());
  ASSERT_TRUE(rejected.ok()) << rejected.status();
  EXPECT_FALSE(rejected->granted);
  EXPECT_GT(rejected->wait, absl::ZeroDuration());
  EXPECT_LE(rejected->wait, absl::Seconds(2));

  absl::StatusOr<Reservation> second =
      replica_b.Reserve(request, absl::Seconds(10));
  ASSERT_TRUE(second.ok() && second->granted);
  EXPECT_GT(second->wait, absl::ZeroDuration());

  absl::StatusOr<Reservation> third =
      replica_a.Reserve(request, absl::Seconds(10));
  ASSERT_TRUE(third.ok() && third->granted);
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
  RedisRateLimiter limiter(pool_a_.get(), policy);
  ASSERT_TRUE(
      limiter.Reserve({"app9", "ad/create/", ""}, absl::Seconds(1))->granted);
  for (const char* key : {"ttads:ratelimit:{app:app9}:app",
                          "ttads:ratelimit:{app:app9}:endpoint:ad/create/"}) {
    absl::StatusOr<store::RedisReply> ttl = pool_a_->Command({"PTTL", key});
    ASSERT_TRUE(ttl.ok());
    EXPECT_GT(ttl->integer, 0) << key;
    EXPECT_LE(ttl->integer, 2000) << key;
  }
}

TEST_F(RedisRateLimiterTest, WorksAgainAfterRedisRestart) {
  RateLimitPolicy policy;
  RedisRateLimiter limiter(pool_a_.get(), policy);
  ASSERT_TRUE(limiter.Reserve({"app", "x/", ""}, absl::Seconds(1)).ok());
  ASSERT_TRUE(server_->Restart().ok());
  // The script cache is gone; the pool redials.
  absl::StatusOr<Reservation> r =
      limiter.Reserve({"app", "x/", ""}, absl::Seconds(5));
  if (!r.ok()) r = limiter.Reserve({"app", "x/", ""}, absl::Seconds(5));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->granted);
}

TEST_F(RedisRateLimiterTest, UnreachableRedisIsUnavailable) {
  RateLimitPolicy policy;
  RedisRateLimiter limiter(pool_a_.get(), policy);
  ASSERT_TRUE(server_->Stop().ok());
  EXPECT_EQ(
      limiter.Reserve({"app", "x/", ""}, absl::Seconds(1)).status().code(),
      absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace ttads::tiktok
