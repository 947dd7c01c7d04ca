// IdempotencyStore against a private redis-server: claims, replays, and
// what a call finds when the owner of a request id died mid-call.
#include "services/ads/idempotency.h"

#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "libs/testing/redis_server.h"

namespace ttads::ads {
namespace {

using State = IdempotencyStore::State;

class IdempotencyTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto server = testing::RedisServer::Start();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = server->release();
    auto options = store::ParseRedisAddress(server_->address());
    ASSERT_TRUE(options.ok());
    auto pool = store::RedisPool::Connect(*options);
    ASSERT_TRUE(pool.ok()) << pool.status();
    redis_ = pool->release();
  }
  static void TearDownTestSuite() {
    delete redis_;
    delete server_;
  }

  static testing::RedisServer* server_;
  static store::RedisPool* redis_;
};

testing::RedisServer* IdempotencyTest::server_ = nullptr;
store::RedisPool* IdempotencyTest::redis_ = nullptr;

TEST_F(IdempotencyTest, ClaimReplayAndConflict) {
  IdempotencyStore store(redis_);
  auto first = store.Begin("t1", "r1", "h1", absl::Now());
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->state, State::kNew);
  ASSERT_TRUE(store.Complete("t1", "r1", first->owner, "answer").ok());
  auto replay = store.Begin("t1", "r1", "h1", absl::Now());
  ASSERT_TRUE(replay.ok());
  EXPECT_EQ(replay->state, State::kDone);
  EXPECT_EQ(replay->record.result, "answer");
  EXPECT_EQ(store.Begin("t1", "r1", "other", absl::Now()).status().code(),
            absl::StatusCode::kAlreadyExists);
}

TEST_F(IdempotencyTest, LiveOwnerMakesFollowersWaitThenAbort) {
  IdempotencyStore store(redis_, absl::Hours(24), absl::Seconds(60));
  auto owner = store.Begin("t1", "live", "h", absl::Now());
  ASSERT_TRUE(owner.ok());
  auto follower =
      store.Begin("t1", "live", "h", absl::Now() + absl::Milliseconds(100));
  EXPECT_EQ(follower.status().code(), absl::StatusCode::kAborted);
}

// The owner died after claiming (SIGKILL mid-call, possibly after TikTok
// created the ad): once its lease runs out the next call owns the key but
// must reconcile first (kUnresolved), never start afresh (kNew) — and the
// record outlives the lease, so this holds however late the retry comes.
TEST_F(IdempotencyTest, DeadOwnersKeyIsReclaimedForReconciliation) {
  IdempotencyStore dead(redis_, absl::Hours(24), absl::Milliseconds(300));
  auto claim = dead.Begin("t1", "dead", "h", absl::Now());
  ASSERT_TRUE(claim.ok());
  ASSERT_EQ(claim->state, State::kNew);
  // ... and never completes. The record is kept for the full 24 h.
  auto ttl = redis_->Command({"PTTL", IdempotencyStore::Key("t1", "dead")});
  ASSERT_TRUE(ttl.ok());
  EXPECT_GT(ttl->integer, 3600 * 1000);

  // A retry arriving while the lease runs waits for it, then takes over.
  IdempotencyStore other(redis_, absl::Hours(24), absl::Milliseconds(300));
  auto retry = other.Begin("t1", "dead", "h", absl::Now() + absl::Seconds(5));
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->state, State::kUnresolved);
  // The dead owner's late writes are ignored; the new owner's count.
  ASSERT_TRUE(dead.Complete("t1", "dead", claim->owner, "stale").ok());
  ASSERT_TRUE(other.Complete("t1", "dead", retry->owner, "fresh").ok());
  auto replay = other.Begin("t1", "dead", "h", absl::Now());
  ASSERT_TRUE(replay.ok());
  EXPECT_EQ(replay->state, State::kDone);
  EXPECT_EQ(replay->record.result, "fresh");
}

TEST_F(IdempotencyTest, ReleasedKeyIsNewAgain) {
  IdempotencyStore store(redis_);
  auto claim = store.Begin("t1", "released", "h", absl::Now());
  ASSERT_TRUE(claim.ok());
  ASSERT_TRUE(store.Release("t1", "released", claim->owner).ok());
  auto again = store.Begin("t1", "released", "h", absl::Now());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->state, State::kNew);
}

}  // namespace
}  // namespace ttads::ads
