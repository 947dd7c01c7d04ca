#ifndef TTADS_SERVICES_PREFLIGHT_PREFLIGHT_CONFIG_H_
#define TTADS_SERVICES_PREFLIGHT_PREFLIGHT_CONFIG_H_

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/config/common_settings.h"
#include "libs/config/config.h"

namespace ttads::preflight {

// The preflight service's keys on top of the common ones
// (docs/configuration.md, docs/preflight.md):
//   TTADS_PREFLIGHT_ASSET_CACHE_TTL_SECONDS  Redis asset-list cache (60)
//   TTADS_PREFLIGHT_RESULT_CACHE_MS          in-process answer reuse (2000)
// Listens on 50052, metrics on 9102 by default.
config::Schema PreflightSchema();

// ttads-preflight's configuration, typed; loaded and validated once at
// start.
struct PreflightConfig {
  config::CommonSettings common;
  // Lifetime of cached asset lists (pixels, catalogs, apps, lead forms).
  absl::Duration asset_cache_ttl = absl::Seconds(60);
  // Reuse of a computed publish check for the same member and advertiser;
  // zero disables.
  absl::Duration result_cache = absl::Seconds(2);
};

// The typed configuration of a Config loaded with PreflightSchema(). Every
// value was validated by the load, so this does not fail today; the
// StatusOr keeps room for checks across keys.
absl::StatusOr<PreflightConfig> PreflightConfigFrom(
    const config::Config& config);

}  // namespace ttads::preflight

#endif  // TTADS_SERVICES_PREFLIGHT_PREFLIGHT_CONFIG_H_
