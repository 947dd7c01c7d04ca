#ifndef TTADS_SERVICES_PREFLIGHT_TIKTOK_ASSET_SOURCE_H_
#define TTADS_SERVICES_PREFLIGHT_TIKTOK_ASSET_SOURCE_H_

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/time/time.h"
#include "libs/store/redis.h"
#include "libs/tiktok/client.h"
#include "services/preflight/single_flight.h"
#include "services/preflight/sources.h"

namespace ttads::preflight {

struct TikTokAssetSourceOptions {
  // Lifetime of a cached asset list in Redis.
  absl::Duration cache_ttl = absl::Seconds(60);
  // Cap on one upstream look-up (within the caller's deadline).
  absl::Duration call_timeout = absl::Seconds(10);
};

// Asset lists read from TikTok, one call per asset type, through a Redis
// cache shared by every replica:
//
//   pixel     GET /pixel/list/   advertiser_id, page_size=20  → data.pixels[]
//   catalog   GET /catalog/get/  bc_id, page_size=100         → data.list[]
//   app       GET /app/list/     advertiser_id                → data.apps[]
//   leadForm  GET /page/get/     advertiser_id, business_type=LEAD_GEN,
//                                page_size=100 → data.list[]; only PUBLISHED
//                                forms are usable, others feed the hint
//
// Only the first page is read: the check needs to know that a usable asset
// exists (and to show some), not to enumerate them all.
//
// Cache: `ttads:{team:T}:cache:assets:<advertiser>:<type>` (catalog:
// `...:catalog:<bc_id>`), a JSON string with a TTL of cache_ttl. Only
// successful answers are cached. Redis failures fall back to TikTok (the
// cache is an optimisation, never a reason to fail).
// Concurrent misses for one key inside the process share one upstream call
// (SingleFlight).
class TikTokAssetSource : public AssetSource {
 public:
  TikTokAssetSource(tiktok::Client* client, store::RedisPool* redis,
                    TikTokAssetSourceOptions options = {});

  absl::StatusOr<AssetList> List(const AssetQuery& query,
                                 AssetType type) override;

  static std::string CacheKey(std::string_view team_id,
                              std::string_view advertiser_id, AssetType type,
                              std::string_view business_center_id);

  // Upstream look-ups made (for metrics and tests).
  int64_t upstream_calls() const { return upstream_calls_.load(); }

 private:
  absl::StatusOr<AssetList> Fetch(const AssetQuery& query, AssetType type);

  tiktok::Client* client_;
  store::RedisPool* redis_;
  const TikTokAssetSourceOptions options_;
  SingleFlight<absl::StatusOr<AssetList>> flights_;
  std::atomic<int64_t> upstream_calls_{0};
};

// The cache's JSON form of a list, exposed for tests.
std::string SerializeAssetList(const AssetList& list);
absl::StatusOr<AssetList> ParseAssetList(std::string_view json);

}  // namespace ttads::preflight

#endif  // TTADS_SERVICES_PREFLIGHT_TIKTOK_ASSET_SOURCE_H_
