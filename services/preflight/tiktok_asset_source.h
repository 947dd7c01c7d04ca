#ifndef TTADS_SERVICES_PREFLIGHT_TIKTOK_ASSET_SOURCE_H_
#define TTADS_SERVICES_PREFLIGHT_TIKTOK_ASSET_SOURCE_H_

#include <atomic>
#include <cstdint>

#include "absl/time/time.h"
#include "libs/tiktok/client.h"
#include "services/preflight/sources.h"

namespace ttads::preflight {

struct TikTokAssetSourceOptions {
  // Cap on one upstream look-up (within the caller's deadline).
  absl::Duration call_timeout = absl::Seconds(10);
};

// Asset lists read from TikTok, one call per List, every time (no cache:
// CachedAssetSource wraps this one):
//
//   pixel     GET /pixel/list/   advertiser_id, page_size=20  → data.pixels[]
//   catalog   GET /catalog/get/  bc_id, page_size=100         → data.list[]
//   app       GET /app/list/     advertiser_id                → data.apps[]
//   leadForm  GET /page/get/     advertiser_id, business_type=LEAD_GEN,
//                                page_size=100 → data.list[]; only PUBLISHED
//                                forms are usable, others feed the hint
//
// Only the first page is read: the check needs to know that a usable asset
// exists (and to show some), not to enumerate them all. Each call's deadline
// is the earlier of the query's and now + call_timeout.
// Errors: as AssetSource (sources.h); a catalog query without a Business
// Center is refused before any call.
class TikTokAssetSource : public AssetSource {
 public:
  explicit TikTokAssetSource(tiktok::Client* client,
                             TikTokAssetSourceOptions options = {});

  absl::StatusOr<AssetList> List(const AssetQuery& query,
                                 AssetType type) override;

  // Upstream look-ups made (for metrics and tests).
  int64_t upstream_calls() const { return upstream_calls_.load(); }

 private:
  tiktok::Client* client_;
  const TikTokAssetSourceOptions options_;
  std::atomic<int64_t> upstream_calls_{0};
};

}  // namespace ttads::preflight

#endif  // TTADS_SERVICES_PREFLIGHT_TIKTOK_ASSET_SOURCE_H_
