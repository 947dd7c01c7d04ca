#ifndef TTADS_LIBS_STORE_REDIS_CONFIG_H_
#define TTADS_LIBS_STORE_REDIS_CONFIG_H_

#include "absl/status/statusor.h"
#include "libs/config/common_settings.h"
#include "libs/config/config.h"
#include "libs/store/redis.h"

namespace ttads::store {

// RedisOptions from the typed Redis settings (config::RedisSettings: the
// TTADS_REDIS_* keys). INVALID_ARGUMENT naming the key when:
// TTADS_REDIS_ADDRESS or an entry of TTADS_REDIS_SENTINELS is not
// host:port; TTADS_REDIS_USERNAME is set without TTADS_REDIS_PASSWORD; a
// TTADS_REDIS_TLS_* key is set while TTADS_REDIS_TLS is false; only one of
// the client certificate and key is set; only one of
// TTADS_REDIS_SENTINEL_MASTER and TTADS_REDIS_SENTINELS is set; an entry
// of TTADS_REDIS_CLUSTER_NODES is not host:port, or it is set together with
// Sentinel. The TLS
// files themselves are loaded (and refused, naming the file) by
// RedisPool::Connect.
absl::StatusOr<RedisOptions> RedisOptionsFrom(
    const config::RedisSettings& settings);

// The same from a Config whose schema holds the Redis keys
// (config::AddRedisKeys, config::CommonServiceSchema).
absl::StatusOr<RedisOptions> RedisOptionsFromConfig(
    const config::Config& config);

}  // namespace ttads::store

#endif  // TTADS_LIBS_STORE_REDIS_CONFIG_H_
