#include "libs/auth/revocation_watcher.h"

#include <condition_variable>
#include <mutex>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/auth/api_key.h"
#include "libs/auth/redis_team_store.h"
#include "libs/testing/free_port.h"
#include "libs/testing/private_redis.h"
#include "libs/testing/status_matchers.h"

namespace ttads::auth {
namespace {

using ::ttads::testing::IsOk;

constexpr std::chrono::seconds kWait(10);

// Collects callback events; waits for conditions on them.
class Events {
 public:
  RevocationWatcher::Callbacks Callbacks() {
    return {[this](const std::string& digest) {
              std::lock_guard<std::mutex> lock(mu_);
              revoked_.push_back(digest);
              cv_.notify_all();
            },
            [this] {
              std::lock_guard<std::mutex> lock(mu_);
              ++gaps_;
              cv_.notify_all();
            }};
  }
  bool WaitRevoked(size_t n) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, kWait, [&] { return revoked_.size() >= n; });
  }
  bool WaitGaps(int n) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, kWait, [&] { return gaps_ >= n; });
  }
  std::vector<std::string> revoked() {
    std::lock_guard<std::mutex> lock(mu_);
    return revoked_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::string> revoked_;
  int gaps_ = 0;
};

TEST(RevocationWatcherTest, ReportsRevocationsAndGaps) {
  auto redis = ttads::testing::PrivateRedis::Start();
  ASSERT_THAT(redis, IsOk());
  const store::RedisOptions& options = (*redis)->pool_options();
  RedisTeamStore teams(*(*redis)->pool());

  Events events;
  auto watcher = RevocationWatcher::Start(options, events.Callbacks());
  ASSERT_TRUE(watcher->WaitLive(kWait));

  auto team = teams.CreateTeam("A", kTierStandard, true);
  auto member = teams.AddMember(team->id, "m", Role::kOwner);
  auto key = teams.IssueApiKey(team->id, member->id);
  ASSERT_THAT(key, IsOk());
  const uint64_t epoch = watcher->epoch();
  ASSERT_THAT(teams.RevokeApiKey(key->key_id), IsOk());
  ASSERT_TRUE(events.WaitRevoked(1));
  EXPECT_EQ(events.revoked()[0], ApiKeyDigest(key->plaintext));
  EXPECT_GT(watcher->epoch(), epoch);

  // A restart is a gap: reported, then the watcher is live again and
  // still receives revocations.
  ASSERT_THAT((*redis)->server().Restart(), IsOk());
  ASSERT_TRUE(events.WaitGaps(1));
  ASSERT_TRUE(watcher->WaitLive(kWait));
  auto second = teams.IssueApiKey(team->id, member->id);
  if (!second.ok()) second = teams.IssueApiKey(team->id, member->id);
  ASSERT_THAT(second, IsOk());
  ASSERT_THAT(teams.RevokeApiKey(second->key_id), IsOk());
  ASSERT_TRUE(events.WaitRevoked(2));
  EXPECT_EQ(events.revoked()[1], ApiKeyDigest(second->plaintext));
}

TEST(RevocationWatcherTest, NotLiveWithoutRedisAndStopsPromptly) {
  auto port = ttads::testing::FreePort();
  ASSERT_THAT(port, IsOk());
  store::RedisOptions options;
  options.port = *port;
  Events events;
  auto watcher = RevocationWatcher::Start(options, events.Callbacks());
  EXPECT_FALSE(watcher->WaitLive(std::chrono::milliseconds(100)));
  watcher.reset();  // must not hang
}

}  // namespace
}  // namespace ttads::auth
