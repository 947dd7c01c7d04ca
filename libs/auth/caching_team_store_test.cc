#include "libs/auth/caching_team_store.h"

#include <functional>
#include <mutex>

#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/auth/api_key.h"
#include "libs/auth/redis_team_store.h"
#include "libs/testing/private_redis.h"
#include "libs/testing/status_matchers.h"

namespace ttads::auth {
namespace {

using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;

class CachingTeamStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto redis = testing::PrivateRedis::Start();
    ASSERT_THAT(redis, IsOk());
    redis_ = *std::move(redis);
    pool_ = redis_->pool();
    options_ = redis_->pool_options();
    redis_store_ = std::make_unique<RedisTeamStore>(*pool_);
  }

  std::unique_ptr<testing::PrivateRedis> redis_;
  store::RedisPool* pool_ = nullptr;  // redis_'s
  store::RedisOptions options_;       // pool_'s, for the watcher
  std::unique_ptr<RedisTeamStore> redis_store_;
};

TEST_F(CachingTeamStoreTest, CachesAnswersButRefusesRevokedKeyAtOnce) {
  CachingTeamStore cache(redis_store_.get(), options_, absl::Minutes(10));
  ASSERT_TRUE(cache.WaitLive(absl::Seconds(5)));
  auto team = redis_store_->CreateTeam("T", "standard", true);
  ASSERT_THAT(team, IsOk());
  auto member = redis_store_->AddMember(team->id, "M", Role::kOwner);
  ASSERT_THAT(member, IsOk());
  auto key = redis_store_->IssueApiKey(team->id, member->id);
  ASSERT_THAT(key, IsOk());

  ASSERT_THAT(cache.Authenticate(key->plaintext), IsOk());
  // Served from the cache: works even with the lookup key gone...
  ASSERT_THAT(pool_->Command({"FLUSHALL"}), IsOk());
  EXPECT_THAT(cache.Authenticate(key->plaintext), IsOk());
  // ...until a revocation is published (by any process).
  ASSERT_THAT(pool_->Command({"PUBLISH", std::string(kRevocationChannel),
                              ApiKeyDigest(key->plaintext)}),
              IsOk());
  bool refused = false;
  for (int i = 0; i < 200 && !refused; ++i) {
    refused = !cache.Authenticate(key->plaintext).ok();
    if (!refused) absl::SleepFor(absl::Milliseconds(5));
  }
  EXPECT_TRUE(refused);
}

TEST_F(CachingTeamStoreTest, RevokeThroughStoreRefusesImmediately) {
  CachingTeamStore cache(redis_store_.get(), options_, absl::Minutes(10));
  ASSERT_TRUE(cache.WaitLive(absl::Seconds(5)));
  auto team = redis_store_->CreateTeam("T", "standard", true);
  auto member = redis_store_->AddMember(team->id, "M", Role::kOwner);
  auto key = redis_store_->IssueApiKey(team->id, member->id);
  ASSERT_THAT(cache.Authenticate(key->plaintext), IsOk());
  ASSERT_THAT(cache.RevokeApiKey(key->key_id), IsOk());
  EXPECT_THAT(cache.Authenticate(key->plaintext),
              StatusIs(absl::StatusCode::kUnauthenticated));
}

TEST_F(CachingTeamStoreTest, BypassesCacheWhileSubscriptionIsDown) {
  CachingTeamStore cache(redis_store_.get(), options_, absl::Minutes(10));
  ASSERT_TRUE(cache.WaitLive(absl::Seconds(5)));
  auto team = redis_store_->CreateTeam("T", "standard", true);
  auto member = redis_store_->AddMember(team->id, "M", Role::kOwner);
  auto key = redis_store_->IssueApiKey(team->id, member->id);
  ASSERT_THAT(cache.Authenticate(key->plaintext), IsOk());
  ASSERT_THAT(redis_->server().Stop(), IsOk());
  // Redis is gone: once the watcher sees its subscription drop, the cached
  // answer is no longer used (a revocation could be missed), so
  // authentication fails rather than succeeding from memory.
  bool refused = false;
  for (int i = 0; i < 200 && !refused; ++i) {
    refused = !cache.Authenticate(key->plaintext).ok();
    if (!refused) absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_TRUE(refused);
}

// A clock the test moves by hand, from the real time.
class FakeClock {
 public:
  absl::Time Now() {
    std::lock_guard<std::mutex> lock(mu_);
    return now_;
  }
  void Advance(absl::Duration d) {
    std::lock_guard<std::mutex> lock(mu_);
    now_ += d;
  }
  std::function<absl::Time()> AsFunction() {
    return [this] { return Now(); };
  }

 private:
  std::mutex mu_;
  absl::Time now_ = absl::Now();
};

class CachingRotationTest : public CachingTeamStoreTest {
 protected:
  void SetUp() override {
    CachingTeamStoreTest::SetUp();
    redis_store_ =
        std::make_unique<RedisTeamStore>(*pool_, clock_.AsFunction());
    auto team = redis_store_->CreateTeam("T", "standard", true);
    ASSERT_THAT(team, IsOk());
    auto member = redis_store_->AddMember(team->id, "M", Role::kOwner);
    ASSERT_THAT(member, IsOk());
    auto key = redis_store_->IssueApiKey(team->id, member->id);
    ASSERT_THAT(key, IsOk());
    key_ = *key;
  }

  std::unique_ptr<CachingTeamStore> NewCache() {
    auto cache = std::make_unique<CachingTeamStore>(
        redis_store_.get(), options_, absl::Hours(10), clock_.AsFunction());
    EXPECT_TRUE(cache->WaitLive(absl::Seconds(5)));
    return cache;
  }

  FakeClock clock_;
  IssuedKey key_;
};

// The cache keeps an answer at most until the key's overlap ends, with no
// message needed: the old key is refused from memory alone.
TEST_F(CachingRotationTest, CachedRotatedKeyStopsWhenItsOverlapEnds) {
  auto rotated = redis_store_->RotateApiKey(key_.key_id, absl::Minutes(30));
  ASSERT_THAT(rotated, IsOk());
  // Subscribed after the rotation's message: nothing erases its entries.
  auto cache = NewCache();
  auto old = cache->Authenticate(key_.plaintext);
  ASSERT_THAT(old, IsOk());
  ASSERT_THAT(cache->Authenticate(rotated->successor.plaintext), IsOk());
  // Both answers are now in memory (the cache's TTL is 10 hours).
  ASSERT_TRUE(cache->CachedPrincipal(key_.plaintext).has_value());
  ASSERT_TRUE(cache->CachedPrincipal(rotated->successor.plaintext).has_value());

  clock_.Advance(absl::Minutes(29));
  EXPECT_TRUE(cache->CachedPrincipal(key_.plaintext).has_value());
  EXPECT_THAT(cache->Authenticate(key_.plaintext), IsOk());
  clock_.Advance(absl::Minutes(1));
  EXPECT_FALSE(cache->CachedPrincipal(key_.plaintext).has_value());
  EXPECT_THAT(cache->Authenticate(key_.plaintext),
              StatusIs(absl::StatusCode::kUnauthenticated));
  // The successor is not affected.
  EXPECT_TRUE(cache->CachedPrincipal(rotated->successor.plaintext).has_value());
  EXPECT_THAT(cache->Authenticate(rotated->successor.plaintext), IsOk());
}

// Another process cached the old key before it was rotated (no expiry in
// its answer): the rotation's message makes it re-read the key, so it too
// stops answering for it when the overlap ends.
TEST_F(CachingRotationTest, AnswerCachedBeforeTheRotationIsReRead) {
  auto here = NewCache();
  auto elsewhere = NewCache();
  ASSERT_THAT(elsewhere->Authenticate(key_.plaintext), IsOk());
  ASSERT_TRUE(elsewhere->CachedPrincipal(key_.plaintext).has_value());

  auto rotated = here->RotateApiKey(key_.key_id, absl::Minutes(5));
  ASSERT_THAT(rotated, IsOk());
  // Wait for the rotation's message to reach the other cache.
  bool dropped = false;
  for (int i = 0; i < 500 && !dropped; ++i) {
    dropped = !elsewhere->CachedPrincipal(key_.plaintext).has_value();
    if (!dropped) absl::SleepFor(absl::Milliseconds(10));
  }
  ASSERT_TRUE(dropped);
  auto old = elsewhere->Authenticate(key_.plaintext);
  ASSERT_THAT(old, IsOk());
  EXPECT_EQ(old->expire_time, *rotated->previous.expire_time);
  EXPECT_TRUE(elsewhere->CachedPrincipal(key_.plaintext).has_value());

  clock_.Advance(absl::Minutes(5));
  EXPECT_FALSE(elsewhere->CachedPrincipal(key_.plaintext).has_value());
  EXPECT_THAT(elsewhere->Authenticate(key_.plaintext),
              StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_THAT(elsewhere->Authenticate(rotated->successor.plaintext), IsOk());
}

TEST_F(CachingRotationTest, DeletingTheMemberRefusesItsCachedKeyAtOnce) {
  auto cache = NewCache();
  auto principal = cache->Authenticate(key_.plaintext);
  ASSERT_THAT(principal, IsOk());
  ASSERT_THAT(cache->DeleteMember(principal->team_id, principal->member_id),
              IsOk());
  EXPECT_FALSE(cache->CachedPrincipal(key_.plaintext).has_value());
  EXPECT_THAT(cache->Authenticate(key_.plaintext),
              StatusIs(absl::StatusCode::kUnauthenticated));
}

}  // namespace
}  // namespace ttads::auth
