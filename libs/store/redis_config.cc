#include "libs/store/redis_config.h"

namespace ttads::store {

absl::StatusOr<RedisOptions> RedisOptionsFromConfig(
    const config::Config& config) {
  RedisOptions options;
  if (config.Declares("TTADS_REDIS_ADDRESS")) {
    absl::StatusOr<RedisOptions> parsed =
        ParseRedisAddress(config.GetString("TTADS_REDIS_ADDRESS"));
    if (!parsed.ok()) return parsed.status();
    options = *parsed;
  }
  if (config.Declares("TTADS_REDIS_PASSWORD")) {
    options.password = config.GetString("TTADS_REDIS_PASSWORD");
  }
  if (config.Declares("TTADS_REDIS_POOL_SIZE")) {
    options.pool_size =
        static_cast<int>(config.GetInt("TTADS_REDIS_POOL_SIZE"));
  }
  if (config.Declares("TTADS_REDIS_TIMEOUT_MS")) {
    options.timeout =
        std::chrono::milliseconds(config.GetInt("TTADS_REDIS_TIMEOUT_MS"));
  }
  return options;
}

}  // namespace ttads::store
