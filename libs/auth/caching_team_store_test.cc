#include "libs/auth/caching_team_store.h"

#include "libs/auth/api_key.h"

#include "absl/time/clock.h"
#include "gtest/gtest.h"
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

// Counts how often the wrapped store is asked.

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
  ASSERT_TRUE(pool_->Command({"PUBLISH", std::string(kRevocationChannel),
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

}  // namespace
}  // namespace ttads::auth
