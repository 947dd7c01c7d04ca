#include "libs/testing/private_redis.h"

#include <chrono>
#include <memory>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/testing/status_matchers.h"

namespace ttads::testing {
namespace {

using ::testing::Eq;
using ::testing::Field;
using ::testing::HasSubstr;

TEST(PrivateRedisTest, PoolTalksToTheServer) {
  auto redis = PrivateRedis::Start({.pool_size = 2});
  ASSERT_THAT(redis, IsOk());
  EXPECT_EQ((*redis)->pool_options().port, (*redis)->server().port());
  EXPECT_EQ((*redis)->pool_options().pool_size, 2);
  ASSERT_THAT((*redis)->pool()->Command({"SET", "k", "v"}), IsOk());

  auto other = (*redis)->Connect();
  ASSERT_THAT(other, IsOk());
  EXPECT_THAT((*other)->Command({"GET", "k"}),
              IsOkAndHolds(Field(&store::RedisReply::str, Eq("v"))));
}

TEST(PrivateRedisTest, PoolAuthenticatesWithTheServersPassword) {
  auto redis = PrivateRedis::Start({.server = {.password = "test-only-pw"}});
  ASSERT_THAT(redis, IsOk());
  EXPECT_EQ((*redis)->pool_options().password, "test-only-pw");
  EXPECT_THAT((*redis)->pool()->Command({"PING"}),
              IsOkAndHolds(Field(&store::RedisReply::str, Eq("PONG"))));
}

TEST(PrivateRedisTest, PoolRedialsAfterRestart) {
  auto redis = PrivateRedis::Start();
  ASSERT_THAT(redis, IsOk());
  ASSERT_THAT((*redis)->pool()->Command({"SET", "k", "v"}), IsOk());
  ASSERT_THAT((*redis)->server().Restart(), IsOk());
  absl::StatusOr<store::RedisReply> reply =
      (*redis)->pool()->Command({"GET", "k"});
  // A pooled connection may notice the restart on first use; the next
  // command redials.
  if (!reply.ok()) reply = (*redis)->pool()->Command({"GET", "k"});
  EXPECT_THAT(reply, IsOkAndHolds(Field(&store::RedisReply::str, Eq("v"))));
}

// A command that waits 1 s server-side outlives the 500 ms default but not a
// pool given a longer timeout (as SuiteFixture's 10 s).
TEST(PrivateRedisTest, PoolsUseTheGivenTimeout) {
  auto redis = PrivateRedis::Start({.timeout = std::chrono::seconds(30)});
  ASSERT_THAT(redis, IsOk());
  EXPECT_EQ((*redis)->pool_options().timeout, std::chrono::seconds(30));
  EXPECT_THAT((*redis)->pool()->Command({"BLPOP", "empty", "1"}), IsOk());
  auto other = (*redis)->Connect();
  ASSERT_THAT(other, IsOk());
  EXPECT_THAT((*other)->Command({"BLPOP", "empty", "1"}), IsOk());

  auto by_default = PrivateRedis::Start();
  ASSERT_THAT(by_default, IsOk());
  EXPECT_EQ((*by_default)->pool_options().timeout,
            store::RedisOptions{}.timeout);
  EXPECT_THAT((*by_default)->pool()->Command({"BLPOP", "empty", "1"}),
              StatusIs(absl::StatusCode::kUnavailable, HasSubstr("timeout")));
}

}  // namespace
}  // namespace ttads::testing
