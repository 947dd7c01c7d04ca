#ifndef TTADS_LIBS_TIKTOK_CLIENT_CONFIG_H_
#define TTADS_LIBS_TIKTOK_CLIENT_CONFIG_H_

#include "absl/status/statusor.h"
#include "libs/config/common_settings.h"
#include "libs/config/config.h"
#include "libs/store/redis.h"
#include "libs/tiktok/client.h"

namespace ttads::tiktok {

// ClientOptions from the typed TikTok app settings
// (config::TikTokAppSettings: TTADS_TIKTOK_BASE_URL, _APP_ID, _APP_SECRET,
// _TIER). With a non-null `redis` (which must outlive the client), the
// options carry a RedisRateLimiter for the tier, so every replica shares the
// app's budget; with null, no client-side limiting. INVALID_ARGUMENT naming
// TTADS_TIKTOK_TIER for a tier this client does not know.
absl::StatusOr<ClientOptions> ClientOptionsFrom(
    const config::TikTokAppSettings& settings, store::RedisPool* redis);

// The same from a Config whose schema holds the TikTok app keys
// (config::AddTikTokAppKeys, config::CommonServiceSchema).
absl::StatusOr<ClientOptions> ClientOptionsFromConfig(
    const config::Config& config, store::RedisPool* redis);

}  // namespace ttads::tiktok

#endif  // TTADS_LIBS_TIKTOK_CLIENT_CONFIG_H_
