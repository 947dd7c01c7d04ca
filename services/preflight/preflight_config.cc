#include "services/preflight/preflight_config.h"

namespace ttads::preflight {
namespace {

constexpr char kAssetCacheTtlSeconds[] =
    "TTADS_PREFLIGHT_ASSET_CACHE_TTL_SECONDS";
constexpr char kResultCacheMs[] = "TTADS_PREFLIGHT_RESULT_CACHE_MS";

}  // namespace

config::Schema PreflightSchema() {
  config::Schema schema = config::CommonServiceSchema(50052, 9102);
  schema.Add(
      config::Key::Int(kAssetCacheTtlSeconds, 1, 3600)
          .Default("60")
          .Help("lifetime of cached asset lists (pixels, catalogs, apps, "
                "lead forms) in Redis, seconds"));
  schema.Add(config::Key::Int(kResultCacheMs, 0, 60000)
                 .Default("2000")
                 .Help("how long a computed publish check is reused for the "
                       "same member and advertiser, milliseconds; 0 "
                       "disables"));
  return schema;
}

absl::StatusOr<PreflightConfig> PreflightConfigFrom(
    const config::Config& config) {
  return PreflightConfig{
      .common = config::CommonSettingsFrom(config),
      .asset_cache_ttl = absl::Seconds(config.GetInt(kAssetCacheTtlSeconds)),
      .result_cache = absl::Milliseconds(config.GetInt(kResultCacheMs))};
}

}  // namespace ttads::preflight
