#ifndef TTADS_LIBS_FETCH_FETCH_CONFIG_H_
#define TTADS_LIBS_FETCH_FETCH_CONFIG_H_

#include "libs/config/config.h"
#include "libs/fetch/public_fetcher.h"

// The configuration keys of user-URL downloads, declared once for every
// binary that fetches media from caller-supplied URLs (identity's Brand
// Identity image, ads' creatives):
//   TTADS_FETCH_ALLOW_PRIVATE      bool, false: let URLs reach private
//                                  addresses (tests and local demos only)
//   TTADS_FETCH_PRIVATE_ALLOWLIST  comma-separated host:port targets URLs
//                                  may reach although not public
//   TTADS_FETCH_MAX_IMAGE_BYTES    1 B – 64 MiB, 5 MiB: largest image
namespace ttads::fetch {

// Adds the keys above to `schema`.
void AddFetchKeys(config::Schema& schema);

// FetchOptions from a configuration whose schema has AddFetchKeys' keys:
// allow_private, private_allowlist (entries trimmed, empty ones dropped) and
// max_bytes = TTADS_FETCH_MAX_IMAGE_BYTES; the other fields keep their
// defaults.
FetchOptions FetchOptionsFromConfig(const config::Config& config);

}  // namespace ttads::fetch

#endif  // TTADS_LIBS_FETCH_FETCH_CONFIG_H_
