#ifndef TTADS_SERVICES_CONTENT_CONTENT_CONFIG_H_
#define TTADS_SERVICES_CONTENT_CONTENT_CONFIG_H_

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/config/common_settings.h"
#include "libs/config/config.h"
#include "libs/fetch/public_fetcher.h"
#include "libs/tiktok_open/open_config.h"

namespace ttads::content {

// The content service's keys on top of the common ones
// (docs/configuration.md, docs/content.md):
//   TTADS_TIKTOK_OPEN_BASE_URL, TTADS_TIKTOK_AUTHORIZE_URL,
//   TTADS_TIKTOK_CLIENT_KEY, TTADS_TIKTOK_CLIENT_SECRET
//                                         TikTok's user platform
//                                         (tiktok_open::AddOpenPlatformKeys)
//   TTADS_CONTENT_WATCH_INTERVAL_SECONDS  poll cycle of WatchVideoPosts (30)
//   TTADS_CONTENT_REFRESH_MARGIN_SECONDS  refresh tokens expiring sooner
//                                         (600)
//   TTADS_CONTENT_OEMBED_CACHE_SECONDS    how long an oEmbed answer is
//                                         reused (3600)
//   TTADS_FETCH_ALLOW_PRIVATE, TTADS_FETCH_PRIVATE_ALLOWLIST
//                                         the oEmbed fetch's address rules
//                                         (fetch::AddFetchKeys, as identity's
//                                         Brand Identity images)
// Listens on 50055, metrics on 9105 by default.
config::Schema ContentSchema();

struct ContentConfig {
  config::CommonSettings common;
  tiktok_open::OpenPlatformSettings open;
  absl::Duration watch_interval = absl::Seconds(30);
  absl::Duration refresh_margin = absl::Minutes(10);
  absl::Duration oembed_cache_ttl = absl::Hours(1);
  fetch::FetchOptions oembed_fetch;
};

absl::StatusOr<ContentConfig> ContentConfigFrom(const config::Config& config);

}  // namespace ttads::content

#endif  // TTADS_SERVICES_CONTENT_CONTENT_CONFIG_H_
