#include "libs/store/script.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/store/key_schema.h"
#include "libs/store/redis_config.h"
#include "libs/store/reply.h"
#include "libs/testing/private_redis.h"
#include "libs/testing/status_matchers.h"

namespace ttads::store {
namespace {

using ::testing::HasSubstr;
using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;

class StoreHelpersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto redis = ttads::testing::PrivateRedis::Start();
    ASSERT_THAT(redis, IsOk());
    redis_ = *std::move(redis);
    pool_ = redis_->pool();
  }
  std::unique_ptr<ttads::testing::PrivateRedis> redis_;
  RedisPool* pool_ = nullptr;  // redis_'s
};

TEST_F(StoreHelpersTest, ScriptFallsBackToEvalOnNoScript) {
  static const Script kAdd("return redis.call('INCRBY', KEYS[1], ARGV[1])");
  auto loaded = pool_->Command({"SCRIPT", "LOAD", kAdd.source()});
  ASSERT_THAT(loaded, IsOk());
  EXPECT_EQ(loaded->str, kAdd.sha1());
  ASSERT_THAT(pool_->Command({"SCRIPT", "FLUSH"}), IsOk());

  auto first = kAdd.Run(*pool_, {"n"}, {"5"});  // NOSCRIPT -> EVAL
  ASSERT_THAT(first, IsOk());
  EXPECT_EQ(first->integer, 5);
  auto exists = pool_->Command({"SCRIPT", "EXISTS", kAdd.sha1()});
  ASSERT_THAT(exists, IsOk());
  EXPECT_EQ(exists->elements.at(0).integer, 1);  // EVAL cached it
  EXPECT_EQ(kAdd.Run(*pool_, {"n"}, {"2"})->integer, 7);
}

TEST_F(StoreHelpersTest, ScriptErrorIsInternal) {
  Script bad("return redis.call('NOPE')");
  EXPECT_THAT(bad.Run(*pool_, {}, {}), StatusIs(absl::StatusCode::kInternal));
}

TEST_F(StoreHelpersTest, ScriptKeysMustShareOneHashSlot) {
  static const Script kTouch(
      "for i, k in ipairs(KEYS) do redis.call('SET', k, '1') end return 1");
  EXPECT_THAT(kTouch.Run(*pool_, {TeamKey("t1", "a"), TeamKey("t1", "b")}, {}),
              IsOk());
  auto mixed = kTouch.Run(*pool_, {TeamKey("t1", "c"), GlobalKey("teams")}, {});
  EXPECT_THAT(mixed,
              StatusIs(absl::StatusCode::kInternal, HasSubstr("hash slots")));
  // Refused before anything ran.
  EXPECT_TRUE(pool_->Command({"GET", TeamKey("t1", "c")})->is_nil());
}

TEST_F(StoreHelpersTest, HashAndScanHelpers) {
  ASSERT_THAT(pool_->Command({"HSET", "h", "a", "1", "b", "2"}), IsOk());
  auto map = HashGetAll(*pool_, "h");
  ASSERT_THAT(map, IsOk());
  EXPECT_EQ(map->at("a"), "1");
  EXPECT_EQ(map->at("b"), "2");
  EXPECT_THAT(HashGetAll(*pool_, "none"),
              StatusIs(absl::StatusCode::kNotFound));

  for (int i = 0; i < 1200; ++i) {
    ASSERT_THAT(pool_->Command(
                    {"SET", TeamKey("t1", "conn:" + std::to_string(i)), "x"}),
                IsOk());
  }
  ASSERT_THAT(pool_->Command({"SET", TeamKey("t2", "conn:1"), "x"}), IsOk());
  auto keys = ScanKeys(*pool_, TeamKey("t1", "conn:*"));
  ASSERT_THAT(keys, IsOk());
  EXPECT_EQ(keys->size(), 1200u);
}

TEST(KeySchemaTest, Shapes) {
  EXPECT_EQ(TeamKey("tm_abc", "conn:c1"), "ttads:{team:tm_abc}:conn:c1");
  EXPECT_EQ(TeamHashTag("tm_abc"), "{team:tm_abc}");
  EXPECT_EQ(GlobalKey("apikey:ff"), "ttads:apikey:ff");
  EXPECT_TRUE(IsValidKeyId("tm_AZaz09-_"));
  EXPECT_FALSE(IsValidKeyId(""));
  EXPECT_FALSE(IsValidKeyId("a:b"));
  EXPECT_FALSE(IsValidKeyId("a}b"));
  EXPECT_FALSE(IsValidKeyId(std::string(65, 'a')));
}

TEST(RedisConfigTest, OptionsFromCommonKeys) {
  auto cfg = config::Load(config::CommonServiceSchema(1, 2), "",
                          {{"TTADS_TIKTOK_APP_SECRET", "s"},
                           {"TTADS_TOKEN_ENCRYPTION_KEY",
                            "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="},
                           {"TTADS_REDIS_ADDRESS", "redis.local:7001"},
                           {"TTADS_REDIS_PASSWORD", "pw-test"},
                           {"TTADS_REDIS_POOL_SIZE", "3"},
                           {"TTADS_REDIS_TIMEOUT_MS", "250"}});
  ASSERT_THAT(cfg, IsOk());
  auto options = RedisOptionsFromConfig(*cfg);
  ASSERT_THAT(options, IsOk());
  EXPECT_EQ(options->host, "redis.local");
  EXPECT_EQ(options->port, 7001);
  EXPECT_EQ(options->password, "pw-test");
  EXPECT_EQ(options->pool_size, 3);
  EXPECT_EQ(options->timeout, std::chrono::milliseconds(250));
}

TEST(RedisConfigTest, OptionsFromTypedSettings) {
  auto options = RedisOptionsFrom(
      config::RedisSettings{.address = "[::1]:7002",
                            .password = "",
                            .pool_size = 5,
                            .timeout = absl::Milliseconds(40)});
  ASSERT_THAT(options, IsOk());
  EXPECT_EQ(options->host, "::1");
  EXPECT_EQ(options->port, 7002);
  EXPECT_EQ(options->pool_size, 5);
  EXPECT_EQ(options->timeout, std::chrono::milliseconds(40));

  auto bad = RedisOptionsFrom(config::RedisSettings{.address = "no-port"});
  EXPECT_THAT(bad, StatusIs(absl::StatusCode::kInvalidArgument,
                            HasSubstr("TTADS_REDIS_ADDRESS")));
}

}  // namespace
}  // namespace ttads::store
