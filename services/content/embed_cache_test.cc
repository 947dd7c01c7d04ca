// RedisEmbedCache against a private redis-server: a miss is nullopt, an
// answer comes back verbatim from the global "ttads:oembed:<URL>" key with
// the TTL it was stored with (at least 1 ms), and Redis's errors pass
// through. How EmbeddedVideoGetter uses the cache (hits, misses,
// outages, unreadable entries) is in embedded_videos_test.cc.

#include "services/content/embed_cache.h"

#include <memory>
#include <optional>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/store/redis.h"
#include "libs/testing/private_redis.h"
#include "libs/testing/status_matchers.h"

namespace ttads::content {
namespace {

using ::testing::Eq;
using ::testing::HasSubstr;
using ::testing::Optional;
using ::ttads::testing::IsOk;
using ::ttads::testing::IsOkAndHolds;
using ::ttads::testing::StatusIs;

constexpr char kUrl[] =
    "https://www.tiktok.com/@scout2015/video/6718335390845095173";
constexpr char kAnswer[] = R"({"version":"1.0","html":"<blockquote>"})";

class RedisEmbedCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto redis = testing::PrivateRedis::Start({.pool_size = 2});
    ASSERT_THAT(redis, IsOk());
    redis_ = *std::move(redis);
    cache_ = std::make_unique<RedisEmbedCache>(redis_->pool());
  }

  // The raw reply of one command, for looking behind the cache.
  store::RedisReply Raw(const std::vector<std::string>& args) {
    auto reply = redis_->pool()->Command(args);
    EXPECT_THAT(reply, IsOk());
    return reply.ok() ? *std::move(reply) : store::RedisReply{};
  }

  std::unique_ptr<testing::PrivateRedis> redis_;
  std::unique_ptr<RedisEmbedCache> cache_;
};

TEST_F(RedisEmbedCacheTest, KeyIsGlobalAndNamedByTheCanonicalUrl) {
  EXPECT_EQ(EmbedCacheKey(kUrl), std::string("ttads:oembed:") + kUrl);
}

TEST_F(RedisEmbedCacheTest, UnknownUrlIsAMiss) {
  EXPECT_THAT(cache_->Get(kUrl), IsOkAndHolds(Eq(std::nullopt)));
}

TEST_F(RedisEmbedCacheTest, StoredAnswerComesBackVerbatimWithItsTtl) {
  ASSERT_THAT(cache_->Put(kUrl, kAnswer, absl::Hours(1)), IsOk());
  EXPECT_THAT(cache_->Get(kUrl), IsOkAndHolds(Optional(std::string(kAnswer))));
  // One STRING under the documented key, expiring within the hour.
  store::RedisReply raw = Raw({"GET", EmbedCacheKey(kUrl)});
  EXPECT_EQ(raw.type, store::RedisReply::Type::kString);
  EXPECT_EQ(raw.str, kAnswer);
  store::RedisReply pttl = Raw({"PTTL", EmbedCacheKey(kUrl)});
  EXPECT_GT(pttl.integer, 0);
  EXPECT_LE(pttl.integer, absl::ToInt64Milliseconds(absl::Hours(1)));
  // Another URL is another entry.
  EXPECT_THAT(cache_->Get(std::string(kUrl) + "0"),
              IsOkAndHolds(Eq(std::nullopt)));
}

TEST_F(RedisEmbedCacheTest, PutReplacesTheStoredAnswer) {
  ASSERT_THAT(cache_->Put(kUrl, "old", absl::Hours(1)), IsOk());
  ASSERT_THAT(cache_->Put(kUrl, kAnswer, absl::Hours(1)), IsOk());
  EXPECT_THAT(cache_->Get(kUrl), IsOkAndHolds(Optional(std::string(kAnswer))));
}

// Redis refuses "PX 0" (INTERNAL); a TTL under a millisecond is stored as
// 1 ms.
TEST_F(RedisEmbedCacheTest, TtlUnderAMillisecondIsStillStored) {
  EXPECT_THAT(cache_->Put(kUrl, kAnswer, absl::ZeroDuration()), IsOk());
  EXPECT_THAT(cache_->Put(kUrl, kAnswer, absl::Microseconds(10)), IsOk());
}

// The pool's errors pass through: INTERNAL with Redis's text for an error
// reply, UNAVAILABLE when Redis cannot be reached.
TEST_F(RedisEmbedCacheTest, RedisErrorsPassThrough) {
  // A LIST where the STRING should be: GET answers WRONGTYPE.
  ASSERT_EQ(Raw({"RPUSH", EmbedCacheKey(kUrl), "x"}).integer, 1);
  EXPECT_THAT(cache_->Get(kUrl),
              StatusIs(absl::StatusCode::kInternal, HasSubstr("WRONGTYPE")));
  ASSERT_THAT(redis_->server().Stop(), IsOk());
  EXPECT_THAT(cache_->Get(kUrl), StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(cache_->Put(kUrl, kAnswer, absl::Hours(1)),
              StatusIs(absl::StatusCode::kUnavailable));
}

}  // namespace
}  // namespace ttads::content
