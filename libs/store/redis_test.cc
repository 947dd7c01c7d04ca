#include "libs/store/redis.h"

#include <atomic>
#include <thread>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/testing/free_port.h"
#include "libs/testing/redis_server.h"
#include "libs/testing/status_matchers.h"

namespace ttads::store {
namespace {

using ::testing::HasSubstr;
using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;

class RedisPoolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = ttads::testing::RedisServer::Start();
    ASSERT_THAT(server, IsOk());
    server_ = std::move(*server);
  }

  std::unique_ptr<RedisPool> Connect(int pool_size = 4) {
    RedisOptions options = *ParseRedisAddress(server_->address());
    options.pool_size = pool_size;
    auto pool = RedisPool::Connect(options);
    EXPECT_THAT(pool, IsOk());
    return pool.ok() ? std::move(*pool) : nullptr;
  }

  std::unique_ptr<ttads::testing::RedisServer> server_;
};

TEST_F(RedisPoolTest, CommandsAndReplyTypes) {
  auto pool = Connect();
  ASSERT_NE(pool, nullptr);
  const std::string binary("a\0b\r\nc", 6);
  auto set = pool->Command({"SET", "k", binary});
  ASSERT_THAT(set, IsOk());
  EXPECT_EQ(set->type, RedisReply::Type::kStatus);
  EXPECT_EQ(set->str, "OK");

  auto get = pool->Command({"GET", "k"});
  ASSERT_THAT(get, IsOk());
  EXPECT_EQ(get->type, RedisReply::Type::kString);
  EXPECT_EQ(get->str, binary);

  auto missing = pool->Command({"GET", "missing"});
  ASSERT_THAT(missing, IsOk());
  EXPECT_TRUE(missing->is_nil());

  auto incr = pool->Command({"INCRBY", "n", "41"});
  ASSERT_THAT(incr, IsOk());
  EXPECT_EQ(incr->type, RedisReply::Type::kInteger);
  EXPECT_EQ(incr->integer, 41);

  ASSERT_THAT(pool->Command({"RPUSH", "l", "x", "y"}), IsOk());
  auto range = pool->Command({"LRANGE", "l", "0", "-1"});
  ASSERT_THAT(range, IsOk());
  ASSERT_EQ(range->type, RedisReply::Type::kArray);
  ASSERT_EQ(range->elements.size(), 2u);
  EXPECT_EQ(range->elements[1].str, "y");
}

TEST_F(RedisPoolTest, ErrorReplyIsInternalWithRedisText) {
  auto pool = Connect();
  ASSERT_NE(pool, nullptr);
  ASSERT_THAT(pool->Command({"SET", "k", "v"}), IsOk());
  EXPECT_THAT(pool->Command({"LPUSH", "k", "x"}),
              StatusIs(absl::StatusCode::kInternal, HasSubstr("WRONGTYPE")));
  // The connection stays usable after an error reply.
  EXPECT_THAT(pool->Command({"GET", "k"}), IsOk());
}

TEST_F(RedisPoolTest, PipelineKeepsErrorsPerCommand) {
  auto pool = Connect();
  ASSERT_NE(pool, nullptr);
  auto replies = pool->Pipeline(
      {{"SET", "a", "1"}, {"HSET", "a", "f", "v"}, {"INCR", "a"}});
  ASSERT_THAT(replies, IsOk());
  ASSERT_EQ(replies->size(), 3u);
  EXPECT_EQ((*replies)[0].str, "OK");
  EXPECT_TRUE((*replies)[1].is_error());
  EXPECT_EQ((*replies)[2].integer, 2);
}

TEST_F(RedisPoolTest, UnreachableIsUnavailable) {
  auto port = ttads::testing::FreePort();
  ASSERT_THAT(port, IsOk());
  RedisOptions options;
  options.port = *port;
  auto pool = RedisPool::Connect(options);
  EXPECT_THAT(pool, StatusIs(absl::StatusCode::kUnavailable));
}

TEST_F(RedisPoolTest, CommandTimeoutIsUnavailableAndConnectionRecovers) {
  RedisOptions options = *ParseRedisAddress(server_->address());
  options.pool_size = 1;
  options.timeout = std::chrono::milliseconds(50);
  auto pool = RedisPool::Connect(options);
  ASSERT_THAT(pool, IsOk());
  // BLPOP blocks far longer than the command timeout.
  auto blocked = (*pool)->Command({"BLPOP", "never", "30"});
  EXPECT_THAT(blocked, StatusIs(absl::StatusCode::kUnavailable));
  auto next = (*pool)->Command({"PING"});
  EXPECT_THAT(next, IsOk());
}

TEST_F(RedisPoolTest, RecoversAfterRedisRestart) {
  auto pool = Connect(/*pool_size=*/3);
  ASSERT_NE(pool, nullptr);
  // Use every pooled connection so all of them are stale after restart.
  for (int i = 0; i < 6; ++i) {
    ASSERT_THAT(pool->Command({"SET", "durable", "yes"}), IsOk());
  }
  ASSERT_THAT(server_->Restart(), IsOk());

  // At most one failure (the stale connection that noticed the restart);
  // every stale idle connection is then re-dialled.
  int failures = 0;
  for (int i = 0; i < 6; ++i) {
    auto reply = pool->Command({"GET", "durable"});
    if (!reply.ok()) {
      EXPECT_THAT(reply, StatusIs(absl::StatusCode::kUnavailable));
      ++failures;
      continue;
    }
    EXPECT_EQ(reply->str, "yes");
  }
  EXPECT_LE(failures, 1);
}

TEST_F(RedisPoolTest, UnavailableWhileDownThenRecovers) {
  auto pool = Connect(2);
  ASSERT_NE(pool, nullptr);
  ASSERT_THAT(server_->Stop(), IsOk());
  EXPECT_THAT(pool->Command({"PING"}),
              StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(pool->Command({"PING"}),
              StatusIs(absl::StatusCode::kUnavailable));
  ASSERT_THAT(server_->Restart(), IsOk());
  EXPECT_THAT(pool->Command({"PING"}), IsOk());
}

TEST_F(RedisPoolTest, SharedBetweenThreads) {
  auto pool = Connect(/*pool_size=*/2);
  ASSERT_NE(pool, nullptr);
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        if (!pool->Command({"INCR", "counter"}).ok()) ++errors;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(pool->Command({"GET", "counter"})->str, "1600");
}

TEST(RedisAuthTest, AuthenticatesWithPassword) {
  auto server = ttads::testing::RedisServer::Start({.password = "test-pw-1"});
  ASSERT_THAT(server, IsOk());
  RedisOptions options = *ParseRedisAddress((*server)->address());
  options.password = "test-pw-1";
  auto pool = RedisPool::Connect(options);
  ASSERT_THAT(pool, IsOk());
  EXPECT_THAT((*pool)->Command({"SET", "a", "b"}), IsOk());

  options.password = "wrong";
  EXPECT_THAT(RedisPool::Connect(options),
              StatusIs(absl::StatusCode::kInternal));
  options.password = "";
  EXPECT_THAT(RedisPool::Connect(options),
              StatusIs(absl::StatusCode::kInternal, HasSubstr("NOAUTH")));
}

TEST_F(RedisPoolTest, WaitReplicasUnmetIsUnavailable) {
  // A standalone server has no replica to acknowledge anything: with
  // wait_replicas the pool must not report success.
  RedisOptions options = *ParseRedisAddress(server_->address());
  options.timeout = std::chrono::milliseconds(200);
  options.wait_replicas = 1;
  // WAIT answers "0 of 1" after half the timeout; on a loaded machine the
  // reply can miss the read deadline instead — UNAVAILABLE either way.
  EXPECT_THAT(
      RedisPool::Connect(options),
      StatusIs(absl::StatusCode::kUnavailable,
               ::testing::AnyOf(HasSubstr("0 of 1 replicas acknowledged"),
                                HasSubstr("timeout"))));
}

TEST(RedisAclTest, AuthenticatesAsAclUser) {
  // The default user keeps a password (the fixture's readiness PING uses
  // it); "app" may touch only ttads:* keys, so what it may do shows which
  // user the pool is.
  auto server = ttads::testing::RedisServer::Start(
      {.password = "admin-pw",
       .args = {"--user", "app", "on", ">app-pw", "~ttads:*", "&ttads:*",
                "+@all", "-@dangerous", "+role"}});  // docs/redis.md's rule
  ASSERT_THAT(server, IsOk());
  RedisOptions options = *ParseRedisAddress((*server)->address());
  options.username = "app";
  options.password = "app-pw";
  auto pool = RedisPool::Connect(options);
  ASSERT_THAT(pool, IsOk());
  EXPECT_EQ((*pool)->Command({"ACL", "WHOAMI"})->str, "app");
  EXPECT_THAT((*pool)->Command({"SET", "ttads:a", "b"}), IsOk());
  EXPECT_THAT((*pool)->Command({"SET", "other", "b"}),
              StatusIs(absl::StatusCode::kInternal, HasSubstr("NOPERM")));
  // What ttads needs works under the documented rule: scripts on its keys,
  // pub/sub on its channels, ROLE (Sentinel's check).
  EXPECT_THAT((*pool)->Command({"EVAL", "return redis.call('GET', KEYS[1])",
                                "1", "ttads:a"}),
              IsOk());
  EXPECT_THAT((*pool)->Command({"PUBLISH", "ttads:apikey:revoked", "x"}),
              IsOk());
  EXPECT_THAT((*pool)->Command({"ROLE"}), IsOk());

  // Password-only AUTH still reaches the default user.
  RedisOptions legacy = options;
  legacy.username.clear();
  legacy.password = "admin-pw";
  auto admin = RedisPool::Connect(legacy);
  ASSERT_THAT(admin, IsOk());
  EXPECT_EQ((*admin)->Command({"ACL", "WHOAMI"})->str, "default");
}

TEST(RedisAclTest, WrongPasswordOrUserIsRefusedClearly) {
  auto server = ttads::testing::RedisServer::Start(
      {.password = "admin-pw",
       .args = {"--user", "app", "on", ">app-pw", "~*", "+@all"}});
  ASSERT_THAT(server, IsOk());
  RedisOptions options = *ParseRedisAddress((*server)->address());
  options.username = "app";
  options.password = "wrong";
  EXPECT_THAT(RedisPool::Connect(options),
              StatusIs(absl::StatusCode::kInternal,
                       ::testing::AllOf(HasSubstr("AUTH failed for user app"),
                                        HasSubstr("WRONGPASS"),
                                        ::testing::Not(HasSubstr("wrong")))));

  options.username = "nobody";
  options.password = "app-pw";
  EXPECT_THAT(RedisPool::Connect(options),
              StatusIs(absl::StatusCode::kInternal));
}

TEST(ParseRedisAddressTest, Forms) {
  auto v4 = ParseRedisAddress("10.0.0.1:6379");
  ASSERT_THAT(v4, IsOk());
  EXPECT_EQ(v4->host, "10.0.0.1");
  EXPECT_EQ(v4->port, 6379);
  auto name = ParseRedisAddress("redis.default.svc:6390");
  ASSERT_THAT(name, IsOk());
  EXPECT_EQ(name->host, "redis.default.svc");
  auto v6 = ParseRedisAddress("[::1]:7000");
  ASSERT_THAT(v6, IsOk());
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 7000);
  for (const char* bad : {"", "host", "host:", ":80", "host:0", "host:70000",
                          "host:12x", "::1:80", "[::1]80"}) {
    EXPECT_THAT(ParseRedisAddress(bad),
                StatusIs(absl::StatusCode::kInvalidArgument))
        << bad;
  }
}

}  // namespace
}  // namespace ttads::store
