// OAuthStateStore's contract, run against RedisOAuthStateStore (a private
// redis-server) and FakeOAuthStateStore alike, so the fake the flow tests
// use behaves as the store the server uses: a record is taken once, a state
// keeps its first record, states are per team. Then the Redis store's key
// and TTL.

#include "services/identity/oauth_state_store.h"

#include <memory>
#include <optional>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/store/redis.h"
#include "libs/testing/private_redis.h"
#include "libs/testing/status_matchers.h"
#include "services/identity/fake_oauth_state_store.h"

namespace ttads::identity {
namespace {

using ::testing::Eq;
using ::testing::Optional;
using ::ttads::testing::IsOk;
using ::ttads::testing::IsOkAndHolds;

// Owns a private redis-server for the Redis store; nothing for the fake.
class RedisHarness {
 public:
  void SetUp() {
    auto redis = testing::PrivateRedis::Start({.pool_size = 2});
    ASSERT_THAT(redis, IsOk());
    redis_ = *std::move(redis);
    store_ = std::make_unique<RedisOAuthStateStore>(redis_->pool(), "st");
  }
  OAuthStateStore* store() { return store_.get(); }
  store::RedisPool* redis() { return redis_->pool(); }

 private:
  std::unique_ptr<testing::PrivateRedis> redis_;
  std::unique_ptr<RedisOAuthStateStore> store_;
};

class FakeHarness {
 public:
  void SetUp() {}
  OAuthStateStore* store() { return &store_; }

 private:
  FakeOAuthStateStore store_;
};

template <typename Harness>
class OAuthStateStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { harness_.SetUp(); }
  OAuthStateStore& store() { return *harness_.store(); }
  Harness harness_;
};

using Harnesses = ::testing::Types<RedisHarness, FakeHarness>;
TYPED_TEST_SUITE(OAuthStateStoreTest, Harnesses);

const std::optional<std::string> kNothing;

TYPED_TEST(OAuthStateStoreTest, RecordIsTakenOnce) {
  ASSERT_THAT(this->store().Put("t1", "s1", "rec", absl::Minutes(10)), IsOk());
  EXPECT_THAT(this->store().Take("t1", "s1"),
              IsOkAndHolds(Optional(std::string("rec"))));
  EXPECT_THAT(this->store().Take("t1", "s1"), IsOkAndHolds(Eq(kNothing)));
}

TYPED_TEST(OAuthStateStoreTest, UnknownStateIsNothing) {
  EXPECT_THAT(this->store().Take("t1", "never"), IsOkAndHolds(Eq(kNothing)));
}

TYPED_TEST(OAuthStateStoreTest, StatesArePerTeam) {
  ASSERT_THAT(this->store().Put("t1", "s1", "one", absl::Minutes(10)), IsOk());
  EXPECT_THAT(this->store().Take("t2", "s1"), IsOkAndHolds(Eq(kNothing)));
  EXPECT_THAT(this->store().Take("t1", "s1"),
              IsOkAndHolds(Optional(std::string("one"))));
}

TYPED_TEST(OAuthStateStoreTest, StateKeepsItsFirstRecord) {
  ASSERT_THAT(this->store().Put("t1", "s1", "first", absl::Minutes(10)),
              IsOk());
  ASSERT_THAT(this->store().Put("t1", "s1", "second", absl::Minutes(10)),
              IsOk());
  EXPECT_THAT(this->store().Take("t1", "s1"),
              IsOkAndHolds(Optional(std::string("first"))));
}

class RedisOAuthStateStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { harness_.SetUp(); }
  RedisHarness harness_;
};

TEST_F(RedisOAuthStateStoreTest, RecordLivesUnderTheTeamsKeyForItsTtl) {
  ASSERT_THAT(harness_.store()->Put("t1", "s1", "rec", absl::Minutes(10)),
              IsOk());
  auto pttl = harness_.redis()->Command({"PTTL", "ttads:{team:t1}:st:s1"});
  ASSERT_THAT(pttl, IsOk());
  EXPECT_GT(pttl->integer, 0);
  EXPECT_LE(pttl->integer, absl::ToInt64Milliseconds(absl::Minutes(10)));
  EXPECT_THAT(harness_.store()->Take("t1", "s1"),
              IsOkAndHolds(Optional(std::string("rec"))));
  auto exists = harness_.redis()->Command({"EXISTS", "ttads:{team:t1}:st:s1"});
  ASSERT_THAT(exists, IsOk());
  EXPECT_EQ(exists->integer, 0);
}

// Redis refuses "PX 0" (INTERNAL); a TTL under a millisecond is stored as
// 1 ms.
TEST_F(RedisOAuthStateStoreTest, TtlUnderAMillisecondIsAccepted) {
  EXPECT_THAT(harness_.store()->Put("t1", "s1", "rec", absl::ZeroDuration()),
              IsOk());
  EXPECT_THAT(harness_.store()->Put("t1", "s2", "rec", absl::Microseconds(10)),
              IsOk());
}

}  // namespace
}  // namespace ttads::identity
