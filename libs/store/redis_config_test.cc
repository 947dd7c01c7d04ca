#include "libs/store/redis_config.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/testing/status_matchers.h"

namespace ttads::store {
namespace {

using ::testing::HasSubstr;
using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;

config::RedisSettings Base() {
  return config::RedisSettings{.address = "redis.local:6380"};
}

TEST(RedisConfigTest, TlsAclSentinelAndWaitAreMapped) {
  config::RedisSettings s = Base();
  s.username = "ttads";
  s.password = "pw";
  s.tls = true;
  s.tls_ca_file = "/etc/ca.pem";
  s.tls_cert_file = "/etc/client.pem";
  s.tls_key_file = "/etc/client.key";
  s.tls_server_name = "redis.example.com";
  s.sentinel_master = "mymaster";
  s.sentinels = "s1:26379, [::1]:26380,s3.local:26381";
  s.sentinel_password = "spw";
  s.wait_replicas = 1;
  auto options = RedisOptionsFrom(s);
  ASSERT_THAT(options, IsOk());
  EXPECT_EQ(options->username, "ttads");
  EXPECT_EQ(options->password, "pw");
  EXPECT_TRUE(options->tls.enabled);
  EXPECT_EQ(options->tls.ca_file, "/etc/ca.pem");
  EXPECT_EQ(options->tls.cert_file, "/etc/client.pem");
  EXPECT_EQ(options->tls.key_file, "/etc/client.key");
  EXPECT_EQ(options->tls.server_name, "redis.example.com");
  EXPECT_EQ(options->sentinel_master, "mymaster");
  ASSERT_EQ(options->sentinels.size(), 3u);
  EXPECT_EQ(options->sentinels[0].ToString(), "s1:26379");
  EXPECT_EQ(options->sentinels[1].ToString(), "[::1]:26380");
  EXPECT_EQ(options->sentinels[2].ToString(), "s3.local:26381");
  EXPECT_EQ(options->sentinel_password, "spw");
  EXPECT_EQ(options->wait_replicas, 1);
}

TEST(RedisConfigTest, PlainDefaultsStayPlain) {
  auto options = RedisOptionsFrom(Base());
  ASSERT_THAT(options, IsOk());
  EXPECT_FALSE(options->tls.enabled);
  EXPECT_TRUE(options->sentinel_master.empty());
  EXPECT_TRUE(options->sentinels.empty());
  EXPECT_EQ(options->wait_replicas, 0);
}

TEST(RedisConfigTest, BadCombinationsNameTheKey) {
  config::RedisSettings user_without_password = Base();
  user_without_password.username = "ttads";
  EXPECT_THAT(RedisOptionsFrom(user_without_password),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("TTADS_REDIS_PASSWORD")));

  config::RedisSettings ca_without_tls = Base();
  ca_without_tls.tls_ca_file = "/etc/ca.pem";
  EXPECT_THAT(RedisOptionsFrom(ca_without_tls),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("TTADS_REDIS_TLS_CA_FILE")));

  config::RedisSettings cert_without_key = Base();
  cert_without_key.tls = true;
  cert_without_key.tls_cert_file = "/etc/client.pem";
  EXPECT_THAT(RedisOptionsFrom(cert_without_key),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("TTADS_REDIS_TLS_KEY_FILE")));

  config::RedisSettings master_without_sentinels = Base();
  master_without_sentinels.sentinel_master = "mymaster";
  EXPECT_THAT(RedisOptionsFrom(master_without_sentinels),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("TTADS_REDIS_SENTINELS")));

  config::RedisSettings sentinels_without_master = Base();
  sentinels_without_master.sentinels = "s1:26379";
  EXPECT_THAT(RedisOptionsFrom(sentinels_without_master),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("TTADS_REDIS_SENTINEL_MASTER")));

  config::RedisSettings bad_sentinel = Base();
  bad_sentinel.sentinel_master = "mymaster";
  bad_sentinel.sentinels = "s1:26379,nope";
  EXPECT_THAT(RedisOptionsFrom(bad_sentinel),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("TTADS_REDIS_SENTINELS")));
}

TEST(RedisConfigTest, ClusterNodesAreParsedAndExclusiveWithSentinel) {
  config::RedisSettings s = Base();
  s.cluster_nodes = "node-0.redis:6379, [::1]:7001,node-2.redis:6379";
  s.tls = true;
  s.username = "ttads";
  s.password = "pw";
  auto options = RedisOptionsFrom(s);
  ASSERT_THAT(options, IsOk());
  ASSERT_EQ(options->cluster_nodes.size(), 3u);
  EXPECT_EQ(options->cluster_nodes[0].ToString(), "node-0.redis:6379");
  EXPECT_EQ(options->cluster_nodes[1].ToString(), "[::1]:7001");
  EXPECT_EQ(options->cluster_nodes[2].ToString(), "node-2.redis:6379");
  EXPECT_TRUE(options->tls.enabled);
  EXPECT_EQ(options->username, "ttads");

  config::RedisSettings bad_node = Base();
  bad_node.cluster_nodes = "a:1,b";
  EXPECT_THAT(RedisOptionsFrom(bad_node),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("TTADS_REDIS_CLUSTER_NODES")));

  config::RedisSettings both = Base();
  both.cluster_nodes = "a:1";
  both.sentinel_master = "m";
  both.sentinels = "s:26379";
  EXPECT_THAT(RedisOptionsFrom(both),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("TTADS_REDIS_CLUSTER_NODES")));
  EXPECT_TRUE(RedisOptionsFrom(Base())->cluster_nodes.empty());
}

TEST(RedisConfigTest, KeysLoadFromTheEnvironment) {
  config::Schema schema;
  config::AddRedisKeys(schema);
  auto loaded = config::Load(schema, "",
                             {{"TTADS_REDIS_TLS", "true"},
                              {"TTADS_REDIS_TLS_CA_FILE", "/ca.pem"},
                              {"TTADS_REDIS_USERNAME", "u"},
                              {"TTADS_REDIS_PASSWORD", "p"},
                              {"TTADS_REDIS_SENTINEL_MASTER", "m"},
                              {"TTADS_REDIS_SENTINELS", "a:1,b:2"},
                              {"TTADS_REDIS_WAIT_REPLICAS", "2"}});
  ASSERT_THAT(loaded, IsOk());
  auto options = RedisOptionsFromConfig(*loaded);
  ASSERT_THAT(options, IsOk());
  EXPECT_TRUE(options->tls.enabled);
  EXPECT_EQ(options->tls.ca_file, "/ca.pem");
  EXPECT_EQ(options->username, "u");
  EXPECT_EQ(options->sentinels.size(), 2u);
  EXPECT_EQ(options->wait_replicas, 2);
  auto cluster = config::Load(
      schema, "", {{"TTADS_REDIS_CLUSTER_NODES", "c1:7000,c2:7001"}});
  ASSERT_THAT(cluster, IsOk());
  auto cluster_options = RedisOptionsFromConfig(*cluster);
  ASSERT_THAT(cluster_options, IsOk());
  EXPECT_EQ(cluster_options->cluster_nodes.size(), 2u);
  EXPECT_THAT(config::Load(schema, "", {{"TTADS_REDIS_WAIT_REPLICAS", "x"}}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("TTADS_REDIS_WAIT_REPLICAS")));
}

}  // namespace
}  // namespace ttads::store
