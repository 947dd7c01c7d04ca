#include "libs/store/redis.h"

#include <atomic>
#include <thread>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/testing/free_port.h"
#include "libs/testing/redis_server.h"

namespace ttads::store {
namespace {

using ::testing::HasSubstr;

class RedisPoolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = ttads::testing::RedisServer::Start();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
  }

  std::unique_ptr<RedisPool> Connect(int pool_size = 4) {
    RedisOptions options = *ParseRedisAddress(server_->address());
    options.pool_size = pool_size;
    auto pool = RedisPool::Connect(options);
    EXPECT_TRUE(pool.ok()) << pool.status();
    return pool.ok() ? std::move(*pool) : nullptr;
  }

  std::unique_ptr<ttads::testing::RedisServer> server_;
};

TEST_F(RedisPoolTest, CommandsAndReplyTypes) {
  auto pool = Connect();
  ASSERT_NE(pool, nullptr);
  const std::string binary("a\0b\r\nc", 6);
  auto set = pool->Command({"SET", "k", binary});
  ASSERT_TRUE(set.ok()) << set.status();
  EXPECT_EQ(set->type, RedisReply::Type::kStatus);
  EXPECT_EQ(set->str, "OK");

  auto get = pool->Command({"GET", "k"});
  ASSERT_TRUE(get.ok());
  EXPECT_EQ(get->type, RedisReply::Type::kString);
  EXPECT_EQ(get->str, binary);

  auto missing = pool->Command({"GET", "missing"});
  ASSERT_TRUE(missing.ok());
  EXPECT_TRUE(missing->is_nil());

  auto incr = pool->Command({"INCRBY", "n", "41"});
  ASSERT_TRUE(incr.ok());
  EXPECT_EQ(incr->type, RedisReply::Type::kInteger);
  EXPECT_EQ(incr->integer, 41);

  ASSERT_TRUE(pool->Command({"RPUSH", "l", "x", "y"}).ok());
  auto range = pool->Command({"LRANGE", "l", "0", "-1"});
  ASSERT_TRUE(range.ok());
  ASSERT_EQ(range->type, RedisReply::Type::kArray);
  ASSERT_EQ(range->elements.size(), 2u);
  EXPECT_EQ(range->elements[1].str, "y");
}

TEST_F(RedisPoolTest, ErrorReplyIsInternalWithRedisText) {
  auto pool = Connect();
  ASSERT_NE(pool, nullptr);
  ASSERT_TRUE(pool->Command({"SET", "k", "v"}).ok());
  auto wrong = pool->Command({"LPUSH", "k", "x"});
  EXPECT_EQ(wrong.status().code(), absl::StatusCode::kInternal);
  EXPECT_THAT(std::string(wrong.status().message()), HasSubstr("WRONGTYPE"));
  // The connection stays usable after an error reply.
  EXPECT_TRUE(pool->Command({"GET", "k"}).ok());
}

TEST_F(RedisPoolTest, PipelineKeepsErrorsPerCommand) {
  auto pool = Connect();
  ASSERT_NE(pool, nullptr);
  auto replies = pool->Pipeline(
      {{"SET", "a", "1"}, {"HSET", "a", "f", "v"}, {"INCR", "a"}});
  ASSERT_TRUE(replies.ok()) << replies.status();
  ASSERT_EQ(replies->size(), 3u);
  EXPECT_EQ((*replies)[0].str, "OK");
  EXPECT_TRUE((*replies)[1].is_error());
  EXPECT_EQ((*replies)[2].integer, 2);
}

TEST_F(RedisPoolTest, UnreachableIsUnavailable) {
  auto port = ttads::testing::FreePort();
  ASSERT_TRUE(port.ok());
  RedisOptions options;
  options.port = *port;
  auto pool = RedisPool::Connect(options);
  EXPECT_EQ(pool.status().code(), absl::StatusCode::kUnavailable);
}

TEST_F(RedisPoolTest, CommandTimeoutIsUnavailableAndConnectionRecovers) {
  RedisOptions options = *ParseRedisAddress(server_->address());
  options.pool_size = 1;
  options.timeout = std::chrono::milliseconds(50);
  auto pool = RedisPool::Connect(options);
  ASSERT_TRUE(pool.ok()) << pool.status();
  // BLPOP blocks far longer than the command timeout.
  auto blocked = (*pool)->Command({"BLPOP", "never", "30"});
  EXPECT_EQ(blocked.status().code(), absl::StatusCode::kUnavailable);
  auto next = (*pool)->Command({"PING"});
  EXPECT_TRUE(next.ok()) << next.status();
}

TEST_F(RedisPoolTest, RecoversAfterRedisRestart) {
  auto pool = Connect(/*pool_size=*/3);
  ASSERT_NE(pool, nullptr);
  // Use every pooled connection so all of them are stale after restart.
  for (int i = 0; i < 6; ++i) {
    ASSERT_TRUE(pool->Command({"SET", "durable", "yes"}).ok());
  }
  ASSERT_TRUE(server_->Restart().ok());

  // At most one failure (the stale connection that noticed the restart);
  // every stale idle connection is then re-dialled.
  int failures = 0;
  for (int i = 0; i < 6; ++i) {
    auto reply = pool->Command({"GET", "durable"});
    if (!reply.ok()) {
      EXPECT_EQ(reply.status().code(), absl::StatusCode::kUnavailable);
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
  ASSERT_TRUE(server_->Stop().ok());
  EXPECT_EQ(pool->Command({"PING"}).status().code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(pool->Command({"PING"}).status().code(),
            absl::StatusCode::kUnavailable);
  ASSERT_TRUE(server_->Restart().ok());
  EXPECT_TRUE(pool->Command({"PING"}).ok());
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
  ASSERT_TRUE(server.ok()) << server.status();
  RedisOptions options = *ParseRedisAddress((*server)->address());
  options.password = "test-pw-1";
  auto pool = RedisPool::Connect(options);
  ASSERT_TRUE(pool.ok()) << pool.status();
  EXPECT_TRUE((*pool)->Command({"SET", "a", "b"}).ok());

  options.password = "wrong";
  EXPECT_EQ(RedisPool::Connect(options).status().code(),
            absl::StatusCode::kInternal);
  options.password = "";
  auto no_auth = RedisPool::Connect(options);
  EXPECT_EQ(no_auth.status().code(), absl::StatusCode::kInternal);
  EXPECT_THAT(std::string(no_auth.status().message()), HasSubstr("NOAUTH"));
}

TEST_F(RedisPoolTest, WaitReplicasUnmetIsUnavailable) {
  // A standalone server has no replica to acknowledge anything: with
  // wait_replicas the pool must not report success.
  RedisOptions options = *ParseRedisAddress(server_->address());
  options.timeout = std::chrono::milliseconds(200);
  options.wait_replicas = 1;
  auto pool = RedisPool::Connect(options);
  EXPECT_EQ(pool.status().code(), absl::StatusCode::kUnavailable);
  // WAIT answers "0 of 1" after half the timeout; on a loaded machine the
  // reply can miss the read deadline instead — UNAVAILABLE either way.
  EXPECT_THAT(std::string(pool.status().message()),
              ::testing::AnyOf(HasSubstr("0 of 1 replicas acknowledged"),
                               HasSubstr("timeout")));
}

TEST(RedisAclTest, AuthenticatesAsAclUser) {
  // The default user keeps a password (the fixture's readiness PING uses
  // it); "app" may touch only ttads:* keys, so what it may do shows which
  // user the pool is.
  auto server = ttads::testing::RedisServer::Start(
      {.password = "admin-pw",
       .args = {"--user", "app", "on", ">app-pw", "~ttads:*", "&ttads:*",
                "+@all", "-@dangerous", "+role"}});  // docs/redis.md's rule
  ASSERT_TRUE(server.ok()) << server.status();
  RedisOptions options = *ParseRedisAddress((*server)->address());
  options.username = "app";
  options.password = "app-pw";
  auto pool = RedisPool::Connect(options);
  ASSERT_TRUE(pool.ok()) << pool.status();
  EXPECT_EQ((*pool)->Command({"ACL", "WHOAMI"})->str, "app");
  EXPECT_TRUE((*pool)->Command({"SET", "ttads:a", "b"}).ok());
  auto denied = (*pool)->Command({"SET", "other", "b"});
  EXPECT_EQ(denied.status().code(), absl::StatusCode::kInternal);
  EXPECT_THAT(std::string(denied.status().message()), HasSubstr("NOPERM"));
  // What ttads needs works under the documented rule: scripts on its keys,
  // pub/sub on its channels, ROLE (Sentinel's check).
  EXPECT_TRUE((*pool)
                  ->Command({"EVAL", "return redis.call('GET', KEYS[1])", "1",
                             "ttads:a"})
                  .ok());
  EXPECT_TRUE((*pool)->Command({"PUBLISH", "ttads:apikey:revoked", "x"}).ok());
  EXPECT_TRUE((*pool)->Command({"ROLE"}).ok());

  // Password-only AUTH still reaches the default user.
  RedisOptions legacy = options;
  legacy.username.clear();
  legacy.password = "admin-pw";
  auto admin = RedisPool::Connect(legacy);
  ASSERT_TRUE(admin.ok()) << admin.status();
  EXPECT_EQ((*admin)->Command({"ACL", "WHOAMI"})->str, "default");
}

TEST(RedisAclTest, WrongPasswordOrUserIsRefusedClearly) {
  auto server = ttads::testing::RedisServer::Start(
      {.password = "admin-pw",
       .args = {"--user", "app", "on", ">app-pw", "~*", "+@all"}});
  ASSERT_TRUE(server.ok()) << server.status();
  RedisOptions options = *ParseRedisAddress((*server)->address());
  options.username = "app";
  options.password = "wrong";
  auto wrong = RedisPool::Connect(options);
  EXPECT_EQ(wrong.status().code(), absl::StatusCode::kInternal);
  EXPECT_THAT(std::string(wrong.status().message()),
              HasSubstr("AUTH failed for user app"));
  EXPECT_THAT(std::string(wrong.status().message()), HasSubstr("WRONGPASS"));
  EXPECT_THAT(std::string(wrong.status().message()),
              ::testing::Not(HasSubstr("wrong")));

  options.username = "nobody";
  options.password = "app-pw";
  EXPECT_EQ(RedisPool::Connect(options).status().code(),
            absl::StatusCode::kInternal);
}

TEST(ParseRedisAddressTest, Forms) {
  auto v4 = ParseRedisAddress("10.0.0.1:6379");
  ASSERT_TRUE(v4.ok());
  EXPECT_EQ(v4->host, "10.0.0.1");
  EXPECT_EQ(v4->port, 6379);
  auto name = ParseRedisAddress("redis.default.svc:6390");
  ASSERT_TRUE(name.ok());
  EXPECT_EQ(name->host, "redis.default.svc");
  auto v6 = ParseRedisAddress("[::1]:7000");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 7000);
  for (const char* bad : {"", "host", "host:", ":80", "host:0", "host:70000",
                          "host:12x", "::1:80", "[::1]80"}) {
    EXPECT_EQ(ParseRedisAddress(bad).status().code(),
              absl::StatusCode::kInvalidArgument)
        << bad;
  }
}

}  // namespace
}  // namespace ttads::store
