#include "libs/tiktok/client_config.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "libs/tiktok/redis_rate_limiter.h"

namespace ttads::tiktok {

absl::StatusOr<ClientOptions> ClientOptionsFrom(
    const config::TikTokAppSettings& settings, store::RedisPool* redis) {
  ClientOptions options;
  options.base_url = settings.base_url;
  options.app_id = settings.app_id;
  options.app_secret = settings.app_secret;
  RateLimitPolicy policy;
  absl::StatusOr<Tier> tier = ParseTier(settings.tier);
  if (!tier.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("TTADS_TIKTOK_TIER: ", tier.status().message()));
  }
  policy.tier = *tier;
  if (redis != nullptr) {
    options.rate_limiter = std::make_shared<RedisRateLimiter>(redis, policy);
  }
  return options;
}

absl::StatusOr<ClientOptions> ClientOptionsFromConfig(
    const config::Config& config, store::RedisPool* redis) {
  return ClientOptionsFrom(config::TikTokAppSettingsFrom(config), redis);
}

}  // namespace ttads::tiktok
