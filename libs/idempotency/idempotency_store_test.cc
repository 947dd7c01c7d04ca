// IdempotencyStore against a private redis-server (AOF on).
#include "libs/idempotency/idempotency_store.h"

#include <atomic>
#include <thread>
#include <vector>

#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "libs/status/status.h"
#include "libs/testing/private_redis.h"
#include "libs/testing/status_matchers.h"

namespace ttads::idempotency {
namespace {

using ::testing::HasSubstr;
using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;
using Verdict = IdempotencyStore::Verdict;

class IdempotencyStoreTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto redis = testing::PrivateRedis::Start();
    ASSERT_THAT(redis, IsOk());
    redis_ = redis->release();
    pool_ = redis_->pool();
  }
  static void TearDownTestSuite() {
    delete redis_;
    redis_ = nullptr;
    pool_ = nullptr;
  }

  Key NewKey() {
    static std::atomic<int> n{0};
    return {"tm_test", "test.Create", "req-" + std::to_string(++n)};
  }
  static absl::Time Soon() { return absl::Now() + absl::Seconds(10); }

  static testing::PrivateRedis* redis_;
  static store::RedisPool* pool_;  // redis_'s
};
testing::PrivateRedis* IdempotencyStoreTest::redis_ = nullptr;
store::RedisPool* IdempotencyStoreTest::pool_ = nullptr;

TEST_F(IdempotencyStoreTest, KeyIsTeamTaggedAndHashesOddRequestIds) {
  EXPECT_EQ(
      IdempotencyStore::RedisKey(
          {"tm_a", "audience.CreateAudience", "550e8400-e29b-41d4"}),
      "ttads:{team:tm_a}:idem:audience.CreateAudience:550e8400-e29b-41d4");
  const std::string odd =
      IdempotencyStore::RedisKey({"tm_a", "m", "has space/and:colon"});
  EXPECT_THAT(odd, HasSubstr("ttads:{team:tm_a}:idem:m:h-"));
  EXPECT_EQ(odd.size(), std::string("ttads:{team:tm_a}:idem:m:h-").size() + 64);
}

TEST_F(IdempotencyStoreTest, FirstCallOwnsAndItsAnswerIsReplayed) {
  IdempotencyStore s(pool_);
  const Key key = NewKey();
  auto first = s.Begin(key, "d1", Soon());
  ASSERT_THAT(first, IsOk());
  EXPECT_EQ(first->verdict, Verdict::kOwned);
  ASSERT_THAT(s.Complete(key, first->owner, "answer"), IsOk());
  auto again = s.Begin(key, "d1", Soon());
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ(again->verdict, Verdict::kDone);
  EXPECT_EQ(again->response, "answer");
  // The same request id in another team or method is another key.
  Key other_team = key;
  other_team.team_id = "tm_other";
  auto other = s.Begin(other_team, "d2", Soon());
  ASSERT_THAT(other, IsOk());
  EXPECT_EQ(other->verdict, Verdict::kOwned);
}

TEST_F(IdempotencyStoreTest, DifferentRequestUnderTheKeyIsAlreadyExists) {
  IdempotencyStore s(pool_);
  const Key key = NewKey();
  auto first = s.Begin(key, "d1", Soon());
  ASSERT_THAT(first, IsOk());
  ASSERT_THAT(s.Complete(key, first->owner, "answer"), IsOk());
  auto other = s.Begin(key, "d2", Soon());
  EXPECT_THAT(other, StatusIs(absl::StatusCode::kAlreadyExists,
                              HasSubstr(key.request_id)));
  google::rpc::BadRequest bad;
  ASSERT_TRUE(status::GetDetail(other.status(), &bad));
  ASSERT_EQ(bad.field_violations_size(), 1);
  EXPECT_EQ(bad.field_violations(0).field(), "request_id");
}

TEST_F(IdempotencyStoreTest, FinalErrorIsReplayedWithItsDetails) {
  IdempotencyStore s(pool_);
  const Key key = NewKey();
  auto first = s.Begin(key, "d1", Soon());
  ASSERT_THAT(first, IsOk());
  absl::Status error = status::WithFieldViolations(
      absl::FailedPreconditionError("connect the advertiser first"),
      {{"advertiser_id", "not connected"}});
  ASSERT_THAT(s.Fail(key, first->owner, error), IsOk());
  auto again = s.Begin(key, "d1", Soon());
  ASSERT_THAT(again, IsOk());
  ASSERT_EQ(again->verdict, Verdict::kFailed);
  EXPECT_THAT(again->error, StatusIs(absl::StatusCode::kFailedPrecondition,
                                     "connect the advertiser first"));
  google::rpc::BadRequest bad;
  ASSERT_TRUE(status::GetDetail(again->error, &bad));
  EXPECT_EQ(bad.field_violations(0).field(), "advertiser_id");
}

TEST_F(IdempotencyStoreTest, ReleasedKeyIsClaimedAfresh) {
  IdempotencyStore s(pool_);
  const Key key = NewKey();
  auto first = s.Begin(key, "d1", Soon());
  ASSERT_THAT(first, IsOk());
  ASSERT_THAT(s.Release(key, first->owner), IsOk());
  // Even with another body: nothing was applied under the key.
  auto again = s.Begin(key, "d2", Soon());
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ(again->verdict, Verdict::kOwned);
}

TEST_F(IdempotencyStoreTest, ConcurrentDuplicatesWaitForTheFirst) {
  IdempotencyStore s(pool_);
  const Key key = NewKey();
  constexpr int kCalls = 8;
  std::vector<absl::StatusOr<IdempotencyStore::Claim>> claims(
      kCalls, absl::UnknownError("not run"));
  std::atomic<int> owners{0};
  std::atomic<int> returned{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kCalls; ++i) {
    threads.emplace_back([&, i] {
      claims[i] = s.Begin(key, "d1", Soon());
      if (claims[i].ok() && claims[i]->verdict == Verdict::kOwned) {
        ++owners;
        // The owner answers only once every other call has had time to
        // start waiting.
        absl::SleepFor(absl::Milliseconds(300));
        ASSERT_THAT(s.Complete(key, claims[i]->owner, "the answer"), IsOk());
      }
      ++returned;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(owners.load(), 1);
  for (const auto& c : claims) {
    ASSERT_THAT(c, IsOk());
    if (c->verdict == Verdict::kOwned) continue;
    EXPECT_EQ(c->verdict, Verdict::kDone);
    EXPECT_EQ(c->response, "the answer");
  }
}

TEST_F(IdempotencyStoreTest, WaitEndsAtTheDeadlineWithAborted) {
  IdempotencyStore s(pool_);
  const Key key = NewKey();
  auto first = s.Begin(key, "d1", Soon());
  ASSERT_THAT(first, IsOk());
  auto second = s.Begin(key, "d1", absl::Now() + absl::Milliseconds(300));
  EXPECT_THAT(second, StatusIs(absl::StatusCode::kAborted,
                               HasSubstr("still being applied")));
}

TEST_F(IdempotencyStoreTest, DeadOwnerIsTakenOverWithItsIntentAndFenced) {
  StoreOptions o;
  o.max_lease = absl::Milliseconds(300);
  o.lease_grace = absl::ZeroDuration();
  IdempotencyStore s(pool_, o);
  const Key key = NewKey();
  auto dead = s.Begin(key, "d1", Soon());
  ASSERT_THAT(dead, IsOk());
  ASSERT_THAT(s.SaveIntent(key, dead->owner, "aud_123"), IsOk());
  // The owner "dies": the next call waits for its lease, then takes over.
  auto next = s.Begin(key, "d1", Soon());
  ASSERT_THAT(next, IsOk());
  EXPECT_EQ(next->verdict, Verdict::kTakenOver);
  EXPECT_EQ(next->intent, "aud_123");
  // The old owner, if it was only slow, can no longer record anything.
  EXPECT_THAT(s.Complete(key, dead->owner, "late"),
              StatusIs(absl::StatusCode::kAborted));
  ASSERT_THAT(s.Complete(key, next->owner, "reconciled"), IsOk());
  auto replay = s.Begin(key, "d1", Soon());
  ASSERT_THAT(replay, IsOk());
  EXPECT_EQ(replay->response, "reconciled");
}

TEST_F(IdempotencyStoreTest, UnresolvedKeyIsTakenOverAtOnce) {
  IdempotencyStore s(pool_);
  const Key key = NewKey();
  auto first = s.Begin(key, "d1", Soon());
  ASSERT_THAT(first, IsOk());
  ASSERT_THAT(s.SaveIntent(key, first->owner, "marker"), IsOk());
  ASSERT_THAT(s.MarkUnresolved(key, first->owner), IsOk());
  auto next = s.Begin(key, "d1", absl::Now() + absl::Milliseconds(500));
  ASSERT_THAT(next, IsOk());
  EXPECT_EQ(next->verdict, Verdict::kTakenOver);
  EXPECT_EQ(next->intent, "marker");
}

TEST_F(IdempotencyStoreTest, AnswersAndClaimsSurviveARedisRestart) {
  StoreOptions o;
  o.max_lease = absl::Milliseconds(300);
  o.lease_grace = absl::ZeroDuration();
  IdempotencyStore s(pool_, o);
  const Key done_key = NewKey();
  auto first = s.Begin(done_key, "d1", Soon());
  ASSERT_THAT(first, IsOk());
  ASSERT_THAT(s.Complete(done_key, first->owner, "kept"), IsOk());
  const Key held_key = NewKey();
  auto held = s.Begin(held_key, "d1", Soon());
  ASSERT_THAT(held, IsOk());
  ASSERT_THAT(s.SaveIntent(held_key, held->owner, "job_1"), IsOk());

  ASSERT_THAT(redis_->server().Restart(), IsOk());
  // The pool re-dials; one command per idle connection may fail first.
  (void)pool_->Command({"PING"});

  auto replay = s.Begin(done_key, "d1", Soon());
  if (!replay.ok()) replay = s.Begin(done_key, "d1", Soon());
  ASSERT_THAT(replay, IsOk());
  EXPECT_EQ(replay->verdict, Verdict::kDone);
  EXPECT_EQ(replay->response, "kept");
  auto taken = s.Begin(held_key, "d1", Soon());
  ASSERT_THAT(taken, IsOk());
  EXPECT_EQ(taken->verdict, Verdict::kTakenOver);
  EXPECT_EQ(taken->intent, "job_1");
}

}  // namespace
}  // namespace ttads::idempotency
