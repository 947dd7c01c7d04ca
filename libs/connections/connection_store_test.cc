#include "libs/connections/connection_store.h"

#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/testing/private_redis.h"
#include "libs/testing/status_matchers.h"

namespace ttads::connections {
namespace {

using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;

class RedisConnectionStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto redis = testing::PrivateRedis::Start();
    ASSERT_THAT(redis, IsOk());
    redis_ = *std::move(redis);
    pool_ = redis_->pool();
    auto key = crypto::AeadKey::FromBytes(std::string(32, 'k'));
    ASSERT_THAT(key, IsOk());
    store_ = std::make_unique<RedisConnectionStore>(pool_, *key);
  }

  Connection Sample(std::string id, std::string team = "team1") {
    Connection c;
    c.connection_id = std::move(id);
    c.team_id = std::move(team);
    c.member_id = "m1";
    c.advertisers = {{"7001", "Shop"}, {"7002", ""}};
    c.scopes = {1, 4};
    c.create_time = absl::FromUnixMillis(1700000000000);
    return c;
  }

  std::unique_ptr<testing::PrivateRedis> redis_;
  store::RedisPool* pool_ = nullptr;  // redis_'s
  std::unique_ptr<RedisConnectionStore> store_;
};

TEST_F(RedisConnectionStoreTest, RoundTripAndTokenEncryptedAtRest) {
  ASSERT_THAT(store_->Create(Sample("c1"), "act.secret-token-123"), IsOk());
  auto c = store_->Get("team1", "c1");
  ASSERT_THAT(c, IsOk());
  EXPECT_EQ(c->member_id, "m1");
  ASSERT_EQ(c->advertisers.size(), 2u);
  EXPECT_EQ(c->advertisers[0].advertiser_name, "Shop");
  EXPECT_EQ(c->scopes, (std::vector<int64_t>{1, 4}));
  EXPECT_EQ(c->create_time, absl::FromUnixMillis(1700000000000));

  auto token = store_->AccessToken("team1", "c1");
  ASSERT_THAT(token, IsOk());
  EXPECT_EQ(*token, "act.secret-token-123");

  // The raw Redis value never holds the plaintext token.
  auto raw = pool_->Command({"HGETALL", ConnectionKey("team1", "c1")});
  ASSERT_THAT(raw, IsOk());
  for (const auto& e : raw->elements) {
    EXPECT_FALSE(absl::StrContains(e.str, "secret-token"));
  }
}

TEST_F(RedisConnectionStoreTest, OtherTeamSeesNothing) {
  ASSERT_THAT(store_->Create(Sample("c1"), "tok"), IsOk());
  EXPECT_THAT(store_->Get("team2", "c1"),
              StatusIs(absl::StatusCode::kNotFound));
  auto list = store_->List("team2");
  ASSERT_THAT(list, IsOk());
  EXPECT_TRUE(list->empty());
  EXPECT_THAT(store_->AccessToken("team2", "c1"),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST_F(RedisConnectionStoreTest, CopiedCiphertextDoesNotDecryptElsewhere) {
  ASSERT_THAT(store_->Create(Sample("c1"), "tok-1"), IsOk());
  ASSERT_THAT(store_->Create(Sample("c2"), "tok-2"), IsOk());
  auto raw = pool_->Command({"HGET", ConnectionKey("team1", "c1"), "token"});
  ASSERT_THAT(raw, IsOk());
  ASSERT_THAT(
      pool_->Command({"HSET", ConnectionKey("team1", "c2"), "token", raw->str}),
      IsOk());
  EXPECT_THAT(store_->AccessToken("team1", "c2"),
              StatusIs(absl::StatusCode::kDataLoss));
}

TEST_F(RedisConnectionStoreTest, RevokeDropsToken) {
  ASSERT_THAT(store_->Create(Sample("c1"), "tok"), IsOk());
  ASSERT_THAT(store_->MarkRevoked("team1", "c1", absl::Now()), IsOk());
  auto c = store_->Get("team1", "c1");
  ASSERT_THAT(c, IsOk());
  EXPECT_FALSE(c->active());
  EXPECT_THAT(store_->AccessToken("team1", "c1"),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(store_->MarkRevoked("team1", "nope", absl::Now()),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(RedisConnectionStoreTest, ListIsOldestFirst) {
  Connection a = Sample("ca");
  a.create_time = absl::FromUnixMillis(2000);
  Connection b = Sample("cb");
  b.create_time = absl::FromUnixMillis(1000);
  ASSERT_THAT(store_->Create(a, "t"), IsOk());
  ASSERT_THAT(store_->Create(b, "t"), IsOk());
  auto list = store_->List("team1");
  ASSERT_THAT(list, IsOk());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].connection_id, "cb");
}

}  // namespace
}  // namespace ttads::connections
