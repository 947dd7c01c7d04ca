#include "libs/store/redis_config.h"

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"

namespace ttads::store {

absl::StatusOr<RedisOptions> RedisOptionsFrom(
    const config::RedisSettings& settings) {
  absl::StatusOr<RedisOptions> options = ParseRedisAddress(settings.address);
  if (!options.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("TTADS_REDIS_ADDRESS: ", options.status().message()));
  }
  options->password = settings.password;
  options->pool_size = settings.pool_size;
  options->timeout = absl::ToChronoMilliseconds(settings.timeout);
  return options;
}

absl::StatusOr<RedisOptions> RedisOptionsFromConfig(
    const config::Config& config) {
  return RedisOptionsFrom(config::RedisSettingsFrom(config));
}

}  // namespace ttads::store
