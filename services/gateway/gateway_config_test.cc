#include "services/gateway/gateway_config.h"

#include <map>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/config/common_settings.h"
#include "libs/status/status_macros.h"
#include "libs/testing/status_matchers.h"
#include "services/gateway/route_table.h"

namespace ttads::gateway {
namespace {

using ::testing::HasSubstr;
using ::testing::SizeIs;
using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;

absl::StatusOr<GatewaySettings> Settings(
    const std::map<std::string, std::string>& environment) {
  auto services = RouteTable::LinkedServices("ttads.");
  TTADS_ASSIGN_OR_RETURN(
      config::Config config,
      config::Load(GatewaySchema(services), "", environment));
  return SettingsFromConfig(config, services);
}

// The gateway reaches the same Redis as the services, so it takes the same
// keys: a managed Redis with an ACL user, TLS and WAIT works for it too.
TEST(GatewayConfigRedisTest, AclUserTlsAndWaitReachTheRedisOptions) {
  auto settings = Settings({{"TTADS_REDIS_ADDRESS", "redis.internal:6380"},
                            {"TTADS_REDIS_USERNAME", "gateway"},
                            {"TTADS_REDIS_PASSWORD", "pw"},
                            {"TTADS_REDIS_POOL_SIZE", "3"},
                            {"TTADS_REDIS_TIMEOUT_MS", "250"},
                            {"TTADS_REDIS_TLS", "true"},
                            {"TTADS_REDIS_TLS_SERVER_NAME", "redis.example"},
                            {"TTADS_REDIS_WAIT_REPLICAS", "1"}});
  ASSERT_THAT(settings, IsOk());
  const store::RedisOptions& redis = settings->redis;
  EXPECT_EQ(redis.host, "redis.internal");
  EXPECT_EQ(redis.port, 6380);
  EXPECT_EQ(redis.username, "gateway");
  EXPECT_EQ(redis.password, "pw");
  EXPECT_EQ(redis.pool_size, 3);
  EXPECT_EQ(redis.timeout, std::chrono::milliseconds(250));
  EXPECT_TRUE(redis.tls.enabled);
  EXPECT_EQ(redis.tls.server_name, "redis.example");
  EXPECT_EQ(redis.wait_replicas, 1);
}

TEST(GatewayConfigRedisTest, SentinelAndClusterAreTaken) {
  auto sentinel =
      Settings({{"TTADS_REDIS_SENTINEL_MASTER", "ttads"},
                {"TTADS_REDIS_SENTINELS", "10.0.0.1:26379,10.0.0.2:26379"}});
  ASSERT_THAT(sentinel, IsOk());
  EXPECT_EQ(sentinel->redis.sentinel_master, "ttads");
  ASSERT_THAT(sentinel->redis.sentinels, SizeIs(2));
  EXPECT_EQ(sentinel->redis.sentinels[1].host, "10.0.0.2");

  auto cluster =
      Settings({{"TTADS_REDIS_CLUSTER_NODES", "10.0.0.5:7000,10.0.0.6:7000"}});
  ASSERT_THAT(cluster, IsOk());
  EXPECT_THAT(cluster->redis.cluster_nodes, SizeIs(2));
}

// Keys that do not go together stop the gateway with the key named, as they
// stop the services.
TEST(GatewayConfigRedisTest, KeysThatDoNotGoTogetherNameTheKey) {
  EXPECT_THAT(Settings({{"TTADS_REDIS_USERNAME", "gateway"}}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("TTADS_REDIS_PASSWORD: required when "
                                 "TTADS_REDIS_USERNAME is set")));
  EXPECT_THAT(Settings({{"TTADS_REDIS_TLS_CA_FILE", "/etc/ca.pem"}}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("TTADS_REDIS_TLS_CA_FILE")));
  EXPECT_THAT(Settings({{"TTADS_REDIS_SENTINEL_MASTER", "ttads"}}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("TTADS_REDIS_SENTINELS")));
}

// The Redis and log keys are declared once, in libs/config: the gateway's
// schema holds them exactly as the services' does (type, default, help).
TEST(GatewayConfigSchemaTest, SharedKeysAreTheCommonDeclarations) {
  config::Schema common;
  config::AddRedisKeys(common);
  config::AddLogKeys(common);
  config::Schema gateway = GatewaySchema(RouteTable::LinkedServices("ttads."));
  for (const config::Key& want : common.keys()) {
    const config::Key* got = gateway.Find(want.name());
    ASSERT_NE(got, nullptr) << want.name();
    EXPECT_EQ(got->type(), want.type()) << want.name();
    EXPECT_EQ(got->default_value(), want.default_value()) << want.name();
    EXPECT_EQ(got->help(), want.help()) << want.name();
    EXPECT_EQ(got->secret(), want.secret()) << want.name();
  }
}

// --help explains every key.
TEST(GatewayConfigSchemaTest, EveryKeySaysWhatItMeans) {
  config::Schema gateway = GatewaySchema(RouteTable::LinkedServices("ttads."));
  for (const config::Key& key : gateway.keys()) {
    EXPECT_FALSE(key.help().empty()) << key.name();
  }
}

}  // namespace
}  // namespace ttads::gateway
