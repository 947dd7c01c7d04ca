#include "libs/tiktok/client_config.h"

#include <memory>

#include "libs/tiktok/redis_rate_limiter.h"

namespace ttads::tiktok {

absl::StatusOr<ClientOptions> ClientOptionsFromConfig(
    const config::Config& config, store::RedisPool* redis) {
  ClientOptions options;
  if (config.Declares("TTADS_TIKTOK_BASE_URL")) {
    options.base_url = config.GetString("TTADS_TIKTOK_BASE_URL");
  }
  if (config.Declares("TTADS_TIKTOK_APP_ID")) {
    options.app_id = config.GetString("TTADS_TIKTOK_APP_ID");
  }
  if (config.Declares("TTADS_TIKTOK_APP_SECRET")) {
    options.app_secret = config.GetString("TTADS_TIKTOK_APP_SECRET");
  }
  RateLimitPolicy policy;
  if (config.Declares("TTADS_TIKTOK_TIER")) {
    absl::StatusOr<Tier> tier =
        ParseTier(config.GetString("TTADS_TIKTOK_TIER"));
    if (!tier.ok()) return tier.status();
    policy.tier = *tier;
  }
  if (redis != nullptr) {
    options.rate_limiter = std::make_shared<RedisRateLimiter>(redis, policy);
  }
  return options;
}

}  // namespace ttads::tiktok
