#include "libs/config/common_settings.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/testing/status_matchers.h"

namespace ttads::config {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::UnorderedElementsAre;
using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;

// A base64 32-byte key made for this test only.
constexpr char kTestKey[] = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

TEST(CommonServiceSchemaTest, RequiresTheSecrets) {
  auto missing = Load(CommonServiceSchema(50051, 9101), "", {});
  EXPECT_THAT(missing,
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("TTADS_TIKTOK_APP_SECRET: is required")));
  // The token-encryption key may come from TTADS_TOKEN_KEYS instead;
  // crypto::ParseKeyRing (at service start) requires one of the two.
  EXPECT_THAT(missing.status().message(),
              Not(HasSubstr("TTADS_TOKEN_ENCRYPTION_KEY")));
}

TEST(CommonSettingsTest, TokenKeyRingSettingsTyped) {
  auto config = Load(CommonServiceSchema(50051, 9101), "",
                     {{"TTADS_TIKTOK_APP_SECRET", "test-secret"},
                      {"TTADS_TOKEN_KEYS", std::string("k1:") + kTestKey},
                      {"TTADS_TOKEN_KEY_CURRENT", "k1"}});
  ASSERT_THAT(config, IsOk());
  const CommonSettings s = CommonSettingsFrom(*config);
  EXPECT_EQ(s.token_encryption_key, "");
  EXPECT_EQ(s.token_keys, std::string("k1:") + kTestKey);
  EXPECT_EQ(s.token_key_current, "k1");
  // The keys are secrets: never in the description.
  EXPECT_THAT(config->Describe(), Not(HasSubstr(kTestKey)));
}

TEST(CommonSettingsTest, DefaultsTyped) {
  auto config = Load(CommonServiceSchema(50051, 9101), "",
                     {{"TTADS_TIKTOK_APP_SECRET", "test-secret"},
                      {"TTADS_TOKEN_ENCRYPTION_KEY", kTestKey}});
  ASSERT_THAT(config, IsOk());
  const CommonSettings s = CommonSettingsFrom(*config);
  EXPECT_EQ(s.listen_address, "0.0.0.0:50051");
  EXPECT_EQ(s.admin_address, "0.0.0.0:9101");
  EXPECT_EQ(s.redis.address, "127.0.0.1:6390");
  EXPECT_EQ(s.redis.password, "");
  EXPECT_EQ(s.redis.pool_size, 8);
  EXPECT_EQ(s.redis.timeout, absl::Milliseconds(500));
  EXPECT_EQ(s.tiktok.base_url, "http://127.0.0.1:9090/open_api/v1.3/");
  EXPECT_EQ(s.tiktok.app_id, "ttads-local-app");
  EXPECT_EQ(s.tiktok.app_secret, "test-secret");
  EXPECT_EQ(s.tiktok.tier, "basic");
  EXPECT_EQ(s.token_encryption_key, kTestKey);
  EXPECT_EQ(s.log.level, "info");
  EXPECT_THAT(s.log.secrets, UnorderedElementsAre("test-secret", kTestKey));
  EXPECT_EQ(s.drain, absl::Seconds(5));
  EXPECT_EQ(s.peers.identity, "127.0.0.1:50051");
  EXPECT_EQ(s.peers.preflight, "127.0.0.1:50052");
  EXPECT_EQ(s.peers.ads, "127.0.0.1:50053");
  EXPECT_EQ(s.peers.audience, "127.0.0.1:50054");
  EXPECT_THAT(config->Describe(), Not(HasSubstr("test-secret")));
}

TEST(CommonSettingsTest, EveryKeyReachesItsField) {
  auto config =
      Load(CommonServiceSchema(1, 2), "",
           {{"TTADS_LISTEN_ADDRESS", "127.0.0.1:1001"},
            {"TTADS_ADMIN_ADDRESS", "127.0.0.1:1002"},
            {"TTADS_REDIS_ADDRESS", "10.0.0.1:7000"},
            {"TTADS_REDIS_PASSWORD", "redis-pw"},
            {"TTADS_REDIS_POOL_SIZE", "3"},
            {"TTADS_REDIS_TIMEOUT_MS", "250"},
            {"TTADS_TIKTOK_BASE_URL", "https://business-api.tiktok.com/x/"},
            {"TTADS_TIKTOK_APP_ID", "app-7"},
            {"TTADS_TIKTOK_APP_SECRET", "app-secret"},
            {"TTADS_TIKTOK_TIER", "ultimate"},
            {"TTADS_TOKEN_ENCRYPTION_KEY", kTestKey},
            {"TTADS_LOG_LEVEL", "debug"},
            {"TTADS_DRAIN_SECONDS", "0"},
            {"TTADS_IDENTITY_ADDRESS", "id:1"},
            {"TTADS_PREFLIGHT_ADDRESS", "pf:2"},
            {"TTADS_ADS_ADDRESS", "ads:3"},
            {"TTADS_AUDIENCE_ADDRESS", "au:4"}});
  ASSERT_THAT(config, IsOk());
  const CommonSettings s = CommonSettingsFrom(*config);
  EXPECT_EQ(s.listen_address, "127.0.0.1:1001");
  EXPECT_EQ(s.admin_address, "127.0.0.1:1002");
  EXPECT_EQ(s.redis.address, "10.0.0.1:7000");
  EXPECT_EQ(s.redis.password, "redis-pw");
  EXPECT_EQ(s.redis.pool_size, 3);
  EXPECT_EQ(s.redis.timeout, absl::Milliseconds(250));
  EXPECT_EQ(s.tiktok.base_url, "https://business-api.tiktok.com/x/");
  EXPECT_EQ(s.tiktok.app_id, "app-7");
  EXPECT_EQ(s.tiktok.app_secret, "app-secret");
  EXPECT_EQ(s.tiktok.tier, "ultimate");
  EXPECT_EQ(s.log.level, "debug");
  EXPECT_THAT(s.log.secrets,
              UnorderedElementsAre("redis-pw", "app-secret", kTestKey));
  EXPECT_EQ(s.drain, absl::ZeroDuration());
  EXPECT_EQ(s.peers.identity, "id:1");
  EXPECT_EQ(s.peers.preflight, "pf:2");
  EXPECT_EQ(s.peers.ads, "ads:3");
  EXPECT_EQ(s.peers.audience, "au:4");
}

TEST(CommonSettingsTest, BadValuesStopTheLoadNamingTheKey) {
  const std::map<std::string, std::string> base = {
      {"TTADS_TIKTOK_APP_SECRET", "s"},
      {"TTADS_TOKEN_ENCRYPTION_KEY", kTestKey}};
  for (const auto& [key, value] :
       std::vector<std::pair<std::string, std::string>>{
           {"TTADS_REDIS_POOL_SIZE", "x"},
           {"TTADS_REDIS_ADDRESS", "no-port"},
           {"TTADS_TIKTOK_TIER", "gold"},
           {"TTADS_LOG_LEVEL", "loud"},
           {"TTADS_TIKTOK_BASE_URL", "ftp://x/"},
           {"TTADS_DRAIN_SECONDS", "601"}}) {
    auto env = base;
    env[key] = value;
    EXPECT_THAT(Load(CommonServiceSchema(1, 2), "", env),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(key)))
        << key;
  }
}

TEST(CommonSettingsTest, EveryTierIsAccepted) {
  // Sandbox included (docs/going-live.md points a first deployment at
  // TikTok's sandbox).
  EXPECT_THAT(TikTokTiers(), ElementsAre("basic", "advanced", "premium",
                                         "ultimate", "sandbox"));
  for (const std::string& tier : TikTokTiers()) {
    auto config = Load(CommonServiceSchema(1, 2), "",
                       {{"TTADS_TIKTOK_APP_SECRET", "s"},
                        {"TTADS_TOKEN_ENCRYPTION_KEY", kTestKey},
                        {"TTADS_TIKTOK_TIER", tier}});
    ASSERT_THAT(config, IsOk()) << tier;
    EXPECT_EQ(TikTokAppSettingsFrom(*config).tier, tier);
  }
}

TEST(CommonSettingsTest, PiecesServeBinariesWithSomeOfTheKeys) {
  // The gateway's shape: Redis and log level only.
  Schema schema;
  AddRedisKeys(schema);
  AddLogKeys(schema);
  auto config = Load(schema, "", {{"TTADS_REDIS_POOL_SIZE", "2"}});
  ASSERT_THAT(config, IsOk());
  EXPECT_EQ(RedisSettingsFrom(*config).pool_size, 2);
  EXPECT_EQ(LogSettingsFrom(*config).level, "info");
  EXPECT_EQ(schema.Find("TTADS_TIKTOK_APP_SECRET"), nullptr);
}

TEST(CommonSettingsTest, SchemaCanBeExtendedAndOverridden) {
  Schema schema = CommonServiceSchema(1, 2);
  schema.Add(Key::Int("TTADS_AUDIENCE_BATCH", 1, 10000).Default("1000"));
  schema.Add(Key::HostPort("TTADS_LISTEN_ADDRESS").Default("127.0.0.1:0"));
  auto config = Load(schema, "",
                     {{"TTADS_TIKTOK_APP_SECRET", "s"},
                      {"TTADS_TOKEN_ENCRYPTION_KEY", kTestKey}});
  ASSERT_THAT(config, IsOk());
  EXPECT_EQ(config->GetInt("TTADS_AUDIENCE_BATCH"), 1000);
  EXPECT_EQ(CommonSettingsFrom(*config).listen_address, "127.0.0.1:0");
}

}  // namespace
}  // namespace ttads::config
