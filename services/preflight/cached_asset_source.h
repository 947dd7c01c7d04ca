#ifndef TTADS_SERVICES_PREFLIGHT_CACHED_ASSET_SOURCE_H_
#define TTADS_SERVICES_PREFLIGHT_CACHED_ASSET_SOURCE_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/store/redis.h"
#include "services/preflight/single_flight.h"
#include "services/preflight/sources.h"

namespace ttads::preflight {

struct CachedAssetSourceOptions {
  // Lifetime of a cached asset list in Redis (TTADS_PREFLIGHT_ASSET_CACHE_
  // TTL_SECONDS).
  absl::Duration ttl = absl::Seconds(60);
};

// An AssetSource that remembers another one's answers in Redis, shared by
// every replica (in production it wraps TikTokAssetSource).
//
// Key: `ttads:{team:T}:cache:assets:<advertiser>:<type>` with <type> the
// AssetTypeName ("pixel", "catalog", "app", "leadForm"); catalogs add
// `:<business_center_id>` (docs/redis-keys.md). The access token and the
// deadline are not part of the key.
// Value: a JSON string (SerializeAssetList), SET with PX `ttl`; a value that
// is not a string or does not parse counts as a miss.
//
// What is cached: successful answers only. Never cached (every call goes to
// the wrapped source again): errors of any kind, and catalog queries without
// a business_center_id, which are handed to the wrapped source (it refuses
// them) without reading or writing Redis.
// Redis failures, on read or write, fall back to the wrapped source: the
// cache is an optimisation, never a reason to fail.
// Concurrent misses for one key inside the process share one call of the
// wrapped source (SingleFlight); the waiters get its answer, error included.
class CachedAssetSource : public AssetSource {
 public:
  // `inner` and `redis` must outlive this object.
  CachedAssetSource(AssetSource* inner, store::RedisPool* redis,
                    CachedAssetSourceOptions options = {});

  absl::StatusOr<AssetList> List(const AssetQuery& query,
                                 AssetType type) override;

  // The Redis key of one list (see above); `business_center_id` is used for
  // catalogs only.
  static std::string CacheKey(std::string_view team_id,
                              std::string_view advertiser_id, AssetType type,
                              std::string_view business_center_id);

 private:
  AssetSource* inner_;
  store::RedisPool* redis_;
  const CachedAssetSourceOptions options_;
  SingleFlight<absl::StatusOr<AssetList>> flights_;
};

// The cached JSON form of a list:
// {"usable": [[id, name, type], ...], "unusable": [[id, name, type], ...]}.
std::string SerializeAssetList(const AssetList& list);
// DATA_LOSS when `json` is not that form.
absl::StatusOr<AssetList> ParseAssetList(std::string_view json);

}  // namespace ttads::preflight

#endif  // TTADS_SERVICES_PREFLIGHT_CACHED_ASSET_SOURCE_H_
