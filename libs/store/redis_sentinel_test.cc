// RedisPool with Sentinel against real servers started here: a master, two
// replicas and three redis-sentinel processes, all private (ephemeral ports,
// own directories). The master is SIGKILLed while writers run; every write
// the pool acknowledged must be readable from the promoted master, and the
// writers see nothing worse than retryable UNAVAILABLE answers.
#include <atomic>
#include <mutex>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/store/redis.h"
#include "libs/store/redis_dialer.h"
#include "libs/testing/redis_server.h"
#include "libs/testing/status_matchers.h"

namespace ttads::store {
namespace {

using ::ttads::testing::IsOk;
using ::ttads::testing::RedisServer;
using ::ttads::testing::StatusIs;
using Clock = std::chrono::steady_clock;

constexpr char kMaster[] = "ttads-test-master";

// Polls `done` every 50 ms for up to `limit`.
template <typename F>
bool WaitFor(F done, std::chrono::seconds limit) {
  const auto deadline = Clock::now() + limit;
  while (Clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return done();
}

RedisOptions Direct(const RedisServer& server) {
  RedisOptions options = *ParseRedisAddress(server.address());
  options.pool_size = 1;
  options.timeout = std::chrono::milliseconds(1000);
  return options;
}

// One command on a fresh connection; an error status when it fails.
absl::StatusOr<RedisReply> Ask(const RedisServer& server,
                               const std::vector<std::string>& command) {
  absl::StatusOr<std::unique_ptr<RedisPool>> pool =
      RedisPool::Connect(Direct(server));
  if (!pool.ok()) return pool.status();
  return (*pool)->Command(command);
}

class RedisSentinelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto master = RedisServer::Start();
    ASSERT_THAT(master, IsOk());
    master_ = std::move(*master);
    for (int i = 0; i < 2; ++i) {
      auto replica =
          RedisServer::Start({.args = {"--replicaof", "127.0.0.1",
                                       std::to_string(master_->port())}});
      ASSERT_THAT(replica, IsOk());
      replicas_.push_back(std::move(*replica));
    }
    const std::string config = absl::StrCat(
        "sentinel monitor ", kMaster, " 127.0.0.1 ", master_->port(), " 2\n",
        "sentinel down-after-milliseconds ", kMaster, " 1000\n",
        "sentinel failover-timeout ", kMaster, " 10000\n",
        "sentinel parallel-syncs ", kMaster, " 2\n");
    for (int i = 0; i < 3; ++i) {
      auto sentinel = RedisServer::Start({.sentinel_config = config});
      ASSERT_THAT(sentinel, IsOk());
      sentinels_.push_back(std::move(*sentinel));
    }
    // Before any failure: both replicas in sync, and every sentinel knows
    // both replicas and the two other sentinels (so a quorum can form).
    ASSERT_TRUE(WaitFor(
        [&] {
          for (const auto& replica : replicas_) {
            auto info = Ask(*replica, {"INFO", "replication"});
            if (!info.ok() ||
                info->str.find("master_link_status:up") == std::string::npos) {
              return false;
            }
          }
          for (const auto& sentinel : sentinels_) {
            auto known = Ask(*sentinel, {"SENTINEL", "replicas", kMaster});
            auto peers = Ask(*sentinel, {"SENTINEL", "sentinels", kMaster});
            if (!known.ok() || known->elements.size() != 2 || !peers.ok() ||
                peers->elements.size() != 2) {
              return false;
            }
          }
          return true;
        },
        std::chrono::seconds(60)))
        << "replication and sentinels did not settle";
  }

  RedisOptions SentinelOptions() const {
    RedisOptions options;
    options.sentinel_master = kMaster;
    for (const auto& sentinel : sentinels_) {
      options.sentinels.push_back(
          RedisEndpoint{.host = "127.0.0.1", .port = sentinel->port()});
    }
    options.pool_size = 4;
    options.timeout = std::chrono::milliseconds(1000);
    options.wait_replicas = 1;
    return options;
  }

  std::unique_ptr<RedisServer> master_;
  std::vector<std::unique_ptr<RedisServer>> replicas_;
  std::vector<std::unique_ptr<RedisServer>> sentinels_;
};

TEST_F(RedisSentinelTest, DiscoversTheMasterFromTheSentinels) {
  RedisOptions options = SentinelOptions();
  // A sentinel that is down is skipped.
  ASSERT_THAT(sentinels_[0]->Stop(), IsOk());
  auto dialer = RedisDialer::Create(options);
  ASSERT_THAT(dialer, IsOk());
  auto master = (*dialer)->DiscoverMaster();
  ASSERT_THAT(master, IsOk());
  EXPECT_EQ(master->port, master_->port());

  auto pool = RedisPool::Connect(options);
  ASSERT_THAT(pool, IsOk());
  ASSERT_THAT((*pool)->Command({"SET", "k", "v"}), IsOk());
  // WAIT 1 answered before the reply came back: a replica has it now.
  auto on_replica = Ask(*replicas_[0], {"GET", "k"});
  auto on_other = Ask(*replicas_[1], {"GET", "k"});
  ASSERT_THAT(on_replica, IsOk());
  ASSERT_THAT(on_other, IsOk());
  EXPECT_TRUE(on_replica->str == "v" || on_other->str == "v");

  RedisOptions unknown = options;
  unknown.sentinel_master = "no-such-master";
  EXPECT_THAT(RedisPool::Connect(unknown),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST_F(RedisSentinelTest, FollowsAFailoverWithoutLosingAcknowledgedWrites) {
  auto pool = RedisPool::Connect(SentinelOptions());
  ASSERT_THAT(pool, IsOk());

  std::mutex mu;
  std::vector<std::string> accepted;  // guarded by mu
  std::atomic<int> retries{0};
  std::atomic<int> other_errors{0};
  std::atomic<int> after_kill{-1};  // accepted count when the master died
  std::atomic<bool> stop{false};
  std::vector<std::thread> writers;
  for (int t = 0; t < 4; ++t) {
    writers.emplace_back([&, t] {
      for (int i = 0; !stop.load(); ++i) {
        const std::string key = absl::StrCat("k:", t, ":", i);
        // Retry the same key until it is acknowledged (SET is idempotent).
        while (!stop.load()) {
          absl::StatusOr<RedisReply> reply =
              (*pool)->Command({"SET", key, key});
          if (reply.ok()) {
            std::lock_guard<std::mutex> lock(mu);
            accepted.push_back(key);
            break;
          }
          if (reply.status().code() == absl::StatusCode::kUnavailable) {
            ++retries;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
          } else {
            ADD_FAILURE() << reply.status();
            ++other_errors;
            return;
          }
        }
      }
    });
  }
  auto accepted_count = [&] {
    std::lock_guard<std::mutex> lock(mu);
    return static_cast<int>(accepted.size());
  };
  ASSERT_TRUE(WaitFor([&] { return accepted_count() >= 300; },
                      std::chrono::seconds(30)));
  const int old_master_port = master_->port();
  ASSERT_THAT(master_->Kill(), IsOk());
  after_kill = accepted_count();
  // Writes go on through the failover until 300 more were acknowledged
  // by the new master.
  const bool resumed =
      WaitFor([&] { return accepted_count() >= after_kill.load() + 300; },
              std::chrono::seconds(90));
  stop = true;
  for (std::thread& w : writers) w.join();
  ASSERT_TRUE(resumed) << "writes did not resume after the failover; "
                       << retries.load() << " retries";
  EXPECT_EQ(other_errors.load(), 0);
  EXPECT_GT(retries.load(), 0) << "the kill should interrupt the writers";

  // A replica was promoted, and the pool now talks to it.
  auto dialer = RedisDialer::Create(SentinelOptions());
  ASSERT_THAT(dialer, IsOk());
  auto master = (*dialer)->DiscoverMaster();
  ASSERT_THAT(master, IsOk());
  EXPECT_NE(master->port, old_master_port);

  // Every acknowledged write, before and after the kill, is there.
  std::vector<std::vector<std::string>> gets;
  for (const std::string& key : accepted) gets.push_back({"GET", key});
  int missing = 0;
  for (size_t from = 0; from < gets.size(); from += 500) {
    std::vector<std::vector<std::string>> batch(
        gets.begin() + from, gets.begin() + std::min(gets.size(), from + 500));
    absl::StatusOr<std::vector<RedisReply>> replies;
    ASSERT_TRUE(WaitFor(
        [&] {
          replies = (*pool)->Pipeline(batch);
          return replies.ok();
        },
        std::chrono::seconds(30)))
        << replies.status();
    for (size_t i = 0; i < batch.size(); ++i) {
      if ((*replies)[i].str != batch[i][1]) ++missing;
    }
  }
  EXPECT_EQ(missing, 0) << "of " << accepted.size() << " acknowledged writes";
  RecordProperty("acknowledged_writes", static_cast<int>(accepted.size()));
  RecordProperty("acknowledged_before_kill", after_kill.load());
  RecordProperty("retries", retries.load());
}

}  // namespace
}  // namespace ttads::store
