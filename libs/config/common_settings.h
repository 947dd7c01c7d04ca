#ifndef TTADS_LIBS_CONFIG_COMMON_SETTINGS_H_
#define TTADS_LIBS_CONFIG_COMMON_SETTINGS_H_

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "libs/config/config.h"

// The keys every ttads service shares (docs/configuration.md), declared once
// here, and their typed form. A service binary loads its Config once with a
// schema built on CommonServiceSchema(), then reads these keys only through
// CommonSettingsFrom(): the libraries that use a part (libs/store
// redis_config, libs/tiktok client_config, libs/log log_config) take that
// part, never a key name.
namespace ttads::config {

// TTADS_REDIS_ADDRESS, _USERNAME, _PASSWORD, _POOL_SIZE, _TIMEOUT_MS, the
// TLS keys (_TLS, _TLS_CA_FILE, _TLS_CERT_FILE, _TLS_KEY_FILE,
// _TLS_SERVER_NAME), the Sentinel keys (_SENTINEL_MASTER, _SENTINELS,
// _SENTINEL_PASSWORD) and _WAIT_REPLICAS. libs/store redis_config checks
// how they combine.
struct RedisSettings {
  std::string address;   // host:port (validated)
  std::string username;  // ACL user; empty: AUTH <password> only
  std::string password;  // secret; empty: no AUTH
  int pool_size = 8;
  absl::Duration timeout = absl::Milliseconds(500);
  bool tls = false;
  std::string tls_ca_file;        // empty: the system trust store
  std::string tls_cert_file;      // client certificate (PEM); optional
  std::string tls_key_file;       // its key (PEM)
  std::string tls_server_name;    // SNI and verified name; empty: the host
  std::string sentinel_master;    // non-empty: find the master by Sentinel
  std::string sentinels;          // comma-separated host:port list
  std::string sentinel_password;  // secret
  int wait_replicas = 0;
  std::string cluster_nodes;  // comma-separated host:port seeds (Cluster)
};

// TTADS_TIKTOK_BASE_URL, _APP_ID, _APP_SECRET, _TIER.
struct TikTokAppSettings {
  std::string base_url;    // http(s) URL (validated)
  std::string app_id;      // non-empty
  std::string app_secret;  // secret, non-empty
  // One of TikTokTiers() (validated); libs/tiktok turns it into its Tier.
  std::string tier = "basic";
};

// TTADS_LOG_LEVEL, and the secret values of the whole configuration for the
// logger's scrubber.
struct LogSettings {
  std::string level = "info";  // One of LogLevels() (validated).
  std::vector<std::string> secrets;
  // TTADS_ACCESS_LOG_SAMPLE_PERCENT: 0-100.
  int access_sample_percent = 100;
};

// TTADS_IDENTITY_ADDRESS, _PREFLIGHT_, _ADS_, _AUDIENCE_ADDRESS: where a
// service finds the others (host:port, validated).
struct PeerAddresses {
  std::string identity;
  std::string preflight;
  std::string ads;
  std::string audience;
};

// Every common key, typed.
struct CommonSettings {
  std::string listen_address;  // TTADS_LISTEN_ADDRESS, gRPC
  std::string admin_address;   // TTADS_ADMIN_ADDRESS, /metrics
  RedisSettings redis;
  TikTokAppSettings tiktok;
  // The token-encryption key ring (libs/crypto key_ring.h ParseKeyRing
  // checks how they combine; at least one key is required there):
  // TTADS_TOKEN_ENCRYPTION_KEY: base64 of exactly 32 bytes (validated),
  // key id "legacy"; secret.
  std::string token_encryption_key;
  // TTADS_TOKEN_KEYS: "id:base64,..."; secret.
  std::string token_keys;
  // TTADS_TOKEN_KEY_CURRENT: the id that encrypts.
  std::string token_key_current;
  LogSettings log;
  absl::Duration drain = absl::Seconds(5);  // TTADS_DRAIN_SECONDS
  // TTADS_GRPC_MAX_CONNECTION_AGE_SECONDS: clients reconnect (and so
  // rebalance over replicas) after about this long; 0 = never.
  absl::Duration max_connection_age = absl::Minutes(5);
  PeerAddresses peers;
};

// The allowed values of TTADS_TIKTOK_TIER and TTADS_LOG_LEVEL.
const std::vector<std::string>& TikTokTiers();
const std::vector<std::string>& LogLevels();

// Schema pieces, for binaries that need only some of the common keys (the
// gateway: Redis and log level). Each adds its keys with defaults and help.
void AddRedisKeys(Schema& schema);
void AddTikTokAppKeys(Schema& schema);
void AddLogKeys(Schema& schema);
// TTADS_TOKEN_ENCRYPTION_KEY, TTADS_TOKEN_KEYS, TTADS_TOKEN_KEY_CURRENT.
void AddTokenKeyKeys(Schema& schema);

// Every common key: listen and admin addresses (0.0.0.0:<port> by default),
// Redis, TikTok app, token encryption key, log level, drain time and the
// peer service addresses. Binaries add their own keys to the result.
Schema CommonServiceSchema(int default_listen_port, int default_admin_port);

// The typed parts of a Config loaded with a schema holding the matching
// keys (a Config is validated, so these cannot fail; a missing key is a
// programming error and aborts naming it, see Config).
RedisSettings RedisSettingsFrom(const Config& config);
TikTokAppSettings TikTokAppSettingsFrom(const Config& config);
LogSettings LogSettingsFrom(const Config& config);
CommonSettings CommonSettingsFrom(const Config& config);

}  // namespace ttads::config

#endif  // TTADS_LIBS_CONFIG_COMMON_SETTINGS_H_
