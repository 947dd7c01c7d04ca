#include "libs/auth/caching_team_store.h"

#include <functional>
#include <mutex>

#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "libs/auth/api_key.h"
#include "libs/auth/redis_team_store.h"
#include "libs/testing/redis_server.h"

namespace ttads::auth {
namespace {

class CachingTeamStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = testing::RedisServer::Start();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    auto options = store::ParseRedisAddress(server_->address());
    ASSERT_TRUE(options.ok());
    options_ = *options;
    auto pool = store::RedisPool::Connect(options_);
    ASSERT_TRUE(pool.ok());
    pool_ = *std::move(pool);
    redis_store_ = std::make_unique<RedisTeamStore>(*pool_);
  }

  std::unique_ptr<testing::RedisServer> server_;
  store::RedisOptions options_;
  std::unique_ptr<store::RedisPool> pool_;
  std::unique_ptr<RedisTeamStore> redis_store_;
};

TEST_F(CachingTeamStoreTest, CachesAnswersButRefusesRevokedKeyAtOnce) {
  CachingTeamStore cache(redis_store_.get(), options_, absl::Minutes(10));
  ASSERT_TRUE(cache.WaitLive(absl::Seconds(5)));
  auto team = redis_store_->CreateTeam("T", "standard", true);
  ASSERT_TRUE(team.ok());
  auto member = redis_store_->AddMember(team->id, "M", Role::kOwner);
  ASSERT_TRUE(member.ok());
  auto key = redis_store_->IssueApiKey(team->id, member->id);
  ASSERT_TRUE(key.ok());

  ASSERT_TRUE(cache.Authenticate(key->plaintext).ok());
  // Served from the cache: works even with the lookup key gone...
  ASSERT_TRUE(pool_->Command({"FLUSHALL"}).ok());
  EXPECT_TRUE(cache.Authenticate(key->plaintext).ok());
  // ...until a revocation is published (by any process).
  ASSERT_TRUE(pool_
                  ->Command({"PUBLISH", std::string(kRevocationChannel),
                             ApiKeyDigest(key->plaintext)})
                  .ok());
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
  ASSERT_TRUE(cache.Authenticate(key->plaintext).ok());
  ASSERT_TRUE(cache.RevokeApiKey(key->key_id).ok());
  EXPECT_EQ(cache.Authenticate(key->plaintext).status().code(),
            absl::StatusCode::kUnauthenticated);
}

TEST_F(CachingTeamStoreTest, BypassesCacheWhileSubscriptionIsDown) {
  CachingTeamStore cache(redis_store_.get(), options_, absl::Minutes(10));
  ASSERT_TRUE(cache.WaitLive(absl::Seconds(5)));
  auto team = redis_store_->CreateTeam("T", "standard", true);
  auto member = redis_store_->AddMember(team->id, "M", Role::kOwner);
  auto key = redis_store_->IssueApiKey(team->id, member->id);
  ASSERT_TRUE(cache.Authenticate(key->plaintext).ok());
  ASSERT_TRUE(server_->Stop().ok());
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
    ASSERT_TRUE(team.ok());
    auto member = redis_store_->AddMember(team->id, "M", Role::kOwner);
    ASSERT_TRUE(member.ok());
    auto key = redis_store_->IssueApiKey(team->id, member->id);
    ASSERT_TRUE(key.ok());
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
  ASSERT_TRUE(rotated.ok()) << rotated.status();
  // Subscribed after the rotation's message: nothing erases its entries.
  auto cache = NewCache();
  auto old = cache->Authenticate(key_.plaintext);
  ASSERT_TRUE(old.ok()) << old.status();
  ASSERT_TRUE(cache->Authenticate(rotated->successor.plaintext).ok());
  // Both answers are now in memory (the cache's TTL is 10 hours).
  ASSERT_TRUE(cache->CachedPrincipal(key_.plaintext).has_value());
  ASSERT_TRUE(cache->CachedPrincipal(rotated->successor.plaintext).has_value());

  clock_.Advance(absl::Minutes(29));
  EXPECT_TRUE(cache->CachedPrincipal(key_.plaintext).has_value());
  EXPECT_TRUE(cache->Authenticate(key_.plaintext).ok());
  clock_.Advance(absl::Minutes(1));
  EXPECT_FALSE(cache->CachedPrincipal(key_.plaintext).has_value());
  EXPECT_EQ(cache->Authenticate(key_.plaintext).status().code(),
            absl::StatusCode::kUnauthenticated);
  // The successor is not affected.
  EXPECT_TRUE(cache->CachedPrincipal(rotated->successor.plaintext).has_value());
  EXPECT_TRUE(cache->Authenticate(rotated->successor.plaintext).ok());
}

// Another process cached the old key before it was rotated (no expiry in
// its answer): the rotation's message makes it re-read the key, so it too
// stops answering for it when the overlap ends.
TEST_F(CachingRotationTest, AnswerCachedBeforeTheRotationIsReRead) {
  auto here = NewCache();
  auto elsewhere = NewCache();
  ASSERT_TRUE(elsewhere->Authenticate(key_.plaintext).ok());
  ASSERT_TRUE(elsewhere->CachedPrincipal(key_.plaintext).has_value());

  auto rotated = here->RotateApiKey(key_.key_id, absl::Minutes(5));
  ASSERT_TRUE(rotated.ok()) << rotated.status();
  // Wait for the rotation's message to reach the other cache.
  bool dropped = false;
  for (int i = 0; i < 500 && !dropped; ++i) {
    dropped = !elsewhere->CachedPrincipal(key_.plaintext).has_value();
    if (!dropped) absl::SleepFor(absl::Milliseconds(10));
  }
  ASSERT_TRUE(dropped);
  auto old = elsewhere->Authenticate(key_.plaintext);
  ASSERT_TRUE(old.ok()) << old.status();
  EXPECT_EQ(old->expire_time, *rotated->previous.expire_time);
  EXPECT_TRUE(elsewhere->CachedPrincipal(key_.plaintext).has_value());

  clock_.Advance(absl::Minutes(5));
  EXPECT_FALSE(elsewhere->CachedPrincipal(key_.plaintext).has_value());
  EXPECT_EQ(elsewhere->Authenticate(key_.plaintext).status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_TRUE(elsewhere->Authenticate(rotated->successor.plaintext).ok());
}

TEST_F(CachingRotationTest, DeletingTheMemberRefusesItsCachedKeyAtOnce) {
  auto cache = NewCache();
  auto principal = cache->Authenticate(key_.plaintext);
  ASSERT_TRUE(principal.ok());
  ASSERT_TRUE(
      cache->DeleteMember(principal->team_id, principal->member_id).ok());
  EXPECT_FALSE(cache->CachedPrincipal(key_.plaintext).has_value());
  EXPECT_EQ(cache->Authenticate(key_.plaintext).status().code(),
            absl::StatusCode::kUnauthenticated);
}

}  // namespace
}  // namespace ttads::auth
