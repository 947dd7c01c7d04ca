#ifndef TTADS_LIBS_STORE_REDIS_CONFIG_H_
#define TTADS_LIBS_STORE_REDIS_CONFIG_H_

#include "absl/status/statusor.h"
#include "libs/config/config.h"
#include "libs/store/redis.h"

namespace ttads::store {

// RedisOptions from the common keys (TTADS_REDIS_ADDRESS, _PASSWORD,
// _POOL_SIZE, _TIMEOUT_MS; see config::CommonServiceSchema). Keys the
// schema lacks keep RedisOptions' defaults.
absl::StatusOr<RedisOptions> RedisOptionsFromConfig(
    const config::Config& config);

}  // namespace ttads::store

#endif  // TTADS_LIBS_STORE_REDIS_CONFIG_H_
