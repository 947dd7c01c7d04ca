#include "libs/config/common_settings.h"

namespace ttads::config {
namespace {

// The key names, each written once.
constexpr char kListenAddress[] = "TTADS_LISTEN_ADDRESS";
constexpr char kAdminAddress[] = "TTADS_ADMIN_ADDRESS";
constexpr char kRedisAddress[] = "TTADS_REDIS_ADDRESS";
constexpr char kRedisPassword[] = "TTADS_REDIS_PASSWORD";
constexpr char kRedisPoolSize[] = "TTADS_REDIS_POOL_SIZE";
constexpr char kRedisTimeoutMs[] = "TTADS_REDIS_TIMEOUT_MS";
constexpr char kRedisUsername[] = "TTADS_REDIS_USERNAME";
constexpr char kRedisTls[] = "TTADS_REDIS_TLS";
constexpr char kRedisTlsCaFile[] = "TTADS_REDIS_TLS_CA_FILE";
constexpr char kRedisTlsCertFile[] = "TTADS_REDIS_TLS_CERT_FILE";
constexpr char kRedisTlsKeyFile[] = "TTADS_REDIS_TLS_KEY_FILE";
constexpr char kRedisTlsServerName[] = "TTADS_REDIS_TLS_SERVER_NAME";
constexpr char kRedisSentinelMaster[] = "TTADS_REDIS_SENTINEL_MASTER";
constexpr char kRedisSentinels[] = "TTADS_REDIS_SENTINELS";
constexpr char kRedisSentinelPassword[] = "TTADS_REDIS_SENTINEL_PASSWORD";
constexpr char kRedisWaitReplicas[] = "TTADS_REDIS_WAIT_REPLICAS";
constexpr char kRedisClusterNodes[] = "TTADS_REDIS_CLUSTER_NODES";
constexpr char kTikTokBaseUrl[] = "TTADS_TIKTOK_BASE_URL";
constexpr char kTikTokAppId[] = "TTADS_TIKTOK_APP_ID";
constexpr char kTikTokAppSecret[] = "TTADS_TIKTOK_APP_SECRET";
constexpr char kTikTokTier[] = "TTADS_TIKTOK_TIER";
constexpr char kTokenEncryptionKey[] = "TTADS_TOKEN_ENCRYPTION_KEY";
constexpr char kTokenKeys[] = "TTADS_TOKEN_KEYS";
constexpr char kTokenKeyCurrent[] = "TTADS_TOKEN_KEY_CURRENT";
constexpr char kLogLevel[] = "TTADS_LOG_LEVEL";
constexpr char kAccessLogSamplePercent[] = "TTADS_ACCESS_LOG_SAMPLE_PERCENT";
constexpr char kDrainSeconds[] = "TTADS_DRAIN_SECONDS";
constexpr char kMaxConnectionAgeSeconds[] =
    "TTADS_GRPC_MAX_CONNECTION_AGE_SECONDS";
constexpr char kIdentityAddress[] = "TTADS_IDENTITY_ADDRESS";
constexpr char kPreflightAddress[] = "TTADS_PREFLIGHT_ADDRESS";
constexpr char kAdsAddress[] = "TTADS_ADS_ADDRESS";
constexpr char kAudienceAddress[] = "TTADS_AUDIENCE_ADDRESS";

}  // namespace

const std::vector<std::string>& TikTokTiers() {
  static const auto* tiers = new std::vector<std::string>{
      "basic", "advanced", "premium", "ultimate", "sandbox"};
  return *tiers;
}

const std::vector<std::string>& LogLevels() {
  static const auto* levels =
      new std::vector<std::string>{"debug", "info", "warn", "error"};
  return *levels;
}

void AddRedisKeys(Schema& s) {
  s.Add(
      Key::HostPort(kRedisAddress)
          .Default("127.0.0.1:6390")
          .Required()
          .Help("Redis host:port (ignored with TTADS_REDIS_SENTINEL_MASTER)"));
  s.Add(Key::String(kRedisUsername)
            .Help("Redis ACL user: AUTH <user> <password>; empty: AUTH "
                  "<password> (the default user)"));
  s.Add(Key::String(kRedisPassword)
            .Secret()
            .Help("Redis AUTH password; empty: no AUTH"));
  s.Add(Key::Int(kRedisPoolSize, 1, 256)
            .Default("8")
            .Help("pooled Redis connections per process"));
  s.Add(Key::Int(kRedisTimeoutMs, 1, 60000)
            .Default("500")
            .Help("Redis connect/command timeout, milliseconds"));
  s.Add(Key::Bool(kRedisTls).Default("false").Help(
      "connect to Redis (and sentinels) over TLS, verifying the "
      "server certificate"));
  s.Add(Key::String(kRedisTlsCaFile)
            .Help("PEM CA bundle the Redis server certificate must chain "
                  "to; empty: the system trust store (needs TTADS_REDIS_TLS)"));
  s.Add(Key::String(kRedisTlsCertFile)
            .Help("PEM client certificate for Redis servers that require "
                  "one; with TTADS_REDIS_TLS_KEY_FILE"));
  s.Add(Key::String(kRedisTlsKeyFile)
            .Help("PEM private key of TTADS_REDIS_TLS_CERT_FILE"));
  s.Add(Key::String(kRedisTlsServerName)
            .Help("name sent as SNI and required in the Redis server "
                  "certificate; empty: the host dialled"));
  s.Add(Key::String(kRedisSentinelMaster)
            .Help("Sentinel master name; set with TTADS_REDIS_SENTINELS to "
                  "find the master by Sentinel and follow failovers"));
  s.Add(Key::String(kRedisSentinels)
            .Help("comma-separated sentinel host:port list, asked in order"));
  s.Add(Key::String(kRedisSentinelPassword)
            .Secret()
            .Help("AUTH password of the sentinels; empty: none"));
  s.Add(Key::Int(kRedisWaitReplicas, 0, 16)
            .Default("0")
            .Help("replicas that must acknowledge every write (WAIT) before "
                  "it counts as done, so a failover keeps it; 0: no WAIT"));
  s.Add(Key::String(kRedisClusterNodes)
            .Help("Redis Cluster: comma-separated host:port seed nodes; "
                  "set to use Cluster (slot map, MOVED/ASK)"));
}

void AddTikTokAppKeys(Schema& s) {
  s.Add(Key::Url(kTikTokBaseUrl)
            .Default("http://127.0.0.1:9090/open_api/v1.3/")
            .Required()
            .Help("TikTok Marketing API base URL (production: "
                  "https://business-api.tiktok.com/open_api/v1.3/)"));
  s.Add(Key::String(kTikTokAppId)
            .Default("ttads-local-app")
            .Required()
            .Help("TikTok app id"));
  s.Add(Key::String(kTikTokAppSecret)
            .Required()
            .Secret()
            .Help("TikTok app secret"));
  s.Add(Key::Enum(kTikTokTier, TikTokTiers())
            .Default("basic")
            .Required()
            .Help("TikTok app rate-limit tier (sandbox: TikTok's sandbox "
                  "environment, limited per endpoint)"));
}

void AddLogKeys(Schema& s) {
  s.Add(Key::Enum(kLogLevel, LogLevels())
            .Default("info")
            .Required()
            .Help("log level"));
  s.Add(Key::Int(kAccessLogSamplePercent, 0, 100)
            .Default("100")
            .Help("percent of successful requests and RPCs that get an "
                  "access log line (failures always do)"));
}

void AddTokenKeyKeys(Schema& s) {
  s.Add(Key::Base64Key32(kTokenEncryptionKey)
            .Secret()
            .Help("AES-256-GCM key for stored access tokens (base64 of 32 "
                  "random bytes), key id \"legacy\"; this or "
                  "TTADS_TOKEN_KEYS is required"));
  s.Add(Key::String(kTokenKeys)
            .Secret()
            .Help("token-encryption keys with ids: id:base64,id:base64 "
                  "(docs/operations.md, key rotation)"));
  s.Add(Key::String(kTokenKeyCurrent)
            .Help("id of the key that encrypts new tokens; needed when "
                  "more than one key is configured"));
}

Schema CommonServiceSchema(int default_listen_port, int default_admin_port) {
  Schema s;
  s.Add(Key::HostPort(kListenAddress)
            .Default("0.0.0.0:" + std::to_string(default_listen_port))
            .Help("gRPC listen address"));
  s.Add(Key::HostPort(kAdminAddress)
            .Default("0.0.0.0:" + std::to_string(default_admin_port))
            .Help("Prometheus /metrics address"));
  AddRedisKeys(s);
  AddTikTokAppKeys(s);
  AddTokenKeyKeys(s);
  AddLogKeys(s);
  s.Add(Key::Int(kDrainSeconds, 0, 600)
            .Default("5")
            .Help("seconds NOT_SERVING before stopping after SIGTERM"));
  s.Add(Key::Int(kMaxConnectionAgeSeconds, 0, 86400)
            .Default("300")
            .Help("a client connection is closed after about this many "
                  "seconds (finishing its calls), so clients re-resolve and "
                  "spread over new replicas; 0 = never"));
  s.Add(Key::GrpcTarget(kIdentityAddress)
            .Default("127.0.0.1:50051")
            .Help("identity service address"));
  s.Add(Key::GrpcTarget(kPreflightAddress)
            .Default("127.0.0.1:50052")
            .Help("preflight service address"));
  s.Add(Key::GrpcTarget(kAdsAddress)
            .Default("127.0.0.1:50053")
            .Help("ads service address"));
  s.Add(Key::GrpcTarget(kAudienceAddress)
            .Default("127.0.0.1:50054")
            .Help("audience service address"));
  return s;
}

RedisSettings RedisSettingsFrom(const Config& config) {
  return RedisSettings{
      .address = config.GetString(kRedisAddress),
      .username = config.GetString(kRedisUsername),
      .password = config.GetString(kRedisPassword),
      .pool_size = static_cast<int>(config.GetInt(kRedisPoolSize)),
      .timeout = absl::Milliseconds(config.GetInt(kRedisTimeoutMs)),
      .tls = config.GetBool(kRedisTls),
      .tls_ca_file = config.GetString(kRedisTlsCaFile),
      .tls_cert_file = config.GetString(kRedisTlsCertFile),
      .tls_key_file = config.GetString(kRedisTlsKeyFile),
      .tls_server_name = config.GetString(kRedisTlsServerName),
      .sentinel_master = config.GetString(kRedisSentinelMaster),
      .sentinels = config.GetString(kRedisSentinels),
      .sentinel_password = config.GetString(kRedisSentinelPassword),
      .wait_replicas = static_cast<int>(config.GetInt(kRedisWaitReplicas)),
      .cluster_nodes = config.GetString(kRedisClusterNodes)};
}

TikTokAppSettings TikTokAppSettingsFrom(const Config& config) {
  return TikTokAppSettings{.base_url = config.GetString(kTikTokBaseUrl),
                           .app_id = config.GetString(kTikTokAppId),
                           .app_secret = config.GetString(kTikTokAppSecret),
                           .tier = config.GetString(kTikTokTier)};
}

LogSettings LogSettingsFrom(const Config& config) {
  return LogSettings{
      .level = config.GetString(kLogLevel),
      .secrets = config.SecretValues(),
      .access_sample_percent =
          config.Declares(kAccessLogSamplePercent)
              ? static_cast<int>(config.GetInt(kAccessLogSamplePercent))
              : 100};
}

CommonSettings CommonSettingsFrom(const Config& config) {
  return CommonSettings{
      .listen_address = config.GetString(kListenAddress),
      .admin_address = config.GetString(kAdminAddress),
      .redis = RedisSettingsFrom(config),
      .tiktok = TikTokAppSettingsFrom(config),
      .token_encryption_key = config.GetString(kTokenEncryptionKey),
      .token_keys = config.GetString(kTokenKeys),
      .token_key_current = config.GetString(kTokenKeyCurrent),
      .log = LogSettingsFrom(config),
      .drain = absl::Seconds(config.GetInt(kDrainSeconds)),
      .max_connection_age =
          absl::Seconds(config.GetInt(kMaxConnectionAgeSeconds)),
      .peers = PeerAddresses{.identity = config.GetString(kIdentityAddress),
                             .preflight = config.GetString(kPreflightAddress),
                             .ads = config.GetString(kAdsAddress),
                             .audience = config.GetString(kAudienceAddress)}};
}

}  // namespace ttads::config
