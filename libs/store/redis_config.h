#ifndef TTADS_LIBS_STORE_REDIS_CONFIG_H_
#define TTADS_LIBS_STORE_REDIS_CONFIG_H_

#include "absl/status/statusor.h"
#include "libs/config/common_settings.h"
#include "libs/config/config.h"
#include "libs/store/redis.h"

namespace ttads::store {

// RedisOptions from the typed Redis settings (config::RedisSettings:
// TTADS_REDIS_ADDRESS, _PASSWORD, _POOL_SIZE, _TIMEOUT_MS). INVALID_ARGUMENT
// naming TTADS_REDIS_ADDRESS when the address is not host:port.
absl::StatusOr<RedisOptions> RedisOptionsFrom(
    const config::RedisSettings& settings);

// The same from a Config whose schema holds the Redis keys
// (config::AddRedisKeys, config::CommonServiceSchema).
absl::StatusOr<RedisOptions> RedisOptionsFromConfig(
    const config::Config& config);

}  // namespace ttads::store

#endif  // TTADS_LIBS_STORE_REDIS_CONFIG_H_
