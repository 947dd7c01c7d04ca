#ifndef TTADS_LIBS_TIKTOK_CLIENT_CONFIG_H_
#define TTADS_LIBS_TIKTOK_CLIENT_CONFIG_H_

#include "absl/status/statusor.h"
#include "libs/config/config.h"
#include "libs/store/redis.h"
#include "libs/tiktok/client.h"

namespace ttads::tiktok {

// ClientOptions from the common service keys (config::CommonServiceSchema):
// TTADS_TIKTOK_BASE_URL, TTADS_TIKTOK_APP_ID, TTADS_TIKTOK_APP_SECRET and
// TTADS_TIKTOK_TIER. With a non-null `redis` (which must outlive the
// client), the options carry a RedisRateLimiter for the tier, so every
// replica shares the app's budget; with null, no client-side limiting.
// Keys the schema lacks keep ClientOptions' defaults. INVALID_ARGUMENT names
// a bad key.
absl::StatusOr<ClientOptions> ClientOptionsFromConfig(
    const config::Config& config, store::RedisPool* redis);

}  // namespace ttads::tiktok

#endif  // TTADS_LIBS_TIKTOK_CLIENT_CONFIG_H_
