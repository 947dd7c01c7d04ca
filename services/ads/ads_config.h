#ifndef TTADS_SERVICES_ADS_ADS_CONFIG_H_
#define TTADS_SERVICES_ADS_ADS_CONFIG_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/config/common_settings.h"
#include "libs/config/config.h"
#include "services/ads/creatives.h"

namespace ttads::ads {

// The ads service's configuration keys on top of the common ones
// (docs/ads.md "Configuration"):
//   TTADS_ADS_RAW_CALL_ALLOWLIST    path prefixes CallTikTokApi may reach
//   TTADS_ADS_WATCH_INTERVAL_MS     watch poll interval per advertiser
//   TTADS_ADS_WORK_THREADS          work-queue threads
//   TTADS_ADS_IDEMPOTENCY_LEASE_MS  the longest lease of a request_id claim
//                                   (libs/idempotency StoreOptions.max_lease)
//   TTADS_ADS_PREFLIGHT             validate_only asks TTADS_PREFLIGHT_ADDRESS
//   TTADS_FETCH_MAX_VIDEO_BYTES     largest video fetched from a URL
// and the user-URL fetch keys declared once in libs/fetch (AddFetchKeys):
//   TTADS_FETCH_ALLOW_PRIVATE, TTADS_FETCH_PRIVATE_ALLOWLIST,
//   TTADS_FETCH_MAX_IMAGE_BYTES
config::Schema AdsSchema();

// What the ads binary reads from its configuration, typed: loaded and
// validated once at start, so ads code never looks a key up by name.
struct AdsConfig {
  // The common keys; ads calls common.peers.identity and, for
  // validate_only, common.peers.preflight.
  config::CommonSettings common;
  // false: validate_only skips the preflight (noted in the answer).
  bool preflight = true;
  // Canonical path prefixes ("/ad/get/") CallTikTokApi may reach.
  std::vector<std::string> raw_call_allowlist;
  absl::Duration watch_interval;
  int work_threads = 32;
  absl::Duration idempotency_lease;
  // Fetch guard and size caps of user media.
  CreativeOptions creatives;
  // Hosts whose media URLs may be http:// (the private fetch allow-list).
  std::vector<std::string> http_media_hosts;
};

// The typed configuration of a Config loaded with AdsSchema(). Every value
// was validated by the load, so this does not fail today; the StatusOr
// keeps room for checks across keys (and is what
// service_kit::LoadTypedConfigOrDie takes).
absl::StatusOr<AdsConfig> AdsConfigFrom(const config::Config& config);

}  // namespace ttads::ads

#endif  // TTADS_SERVICES_ADS_ADS_CONFIG_H_
