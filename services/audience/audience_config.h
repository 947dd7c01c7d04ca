#ifndef TTADS_SERVICES_AUDIENCE_AUDIENCE_CONFIG_H_
#define TTADS_SERVICES_AUDIENCE_AUDIENCE_CONFIG_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/config/common_settings.h"
#include "libs/config/config.h"
#include "libs/identifiers/identifiers.h"

namespace ttads::audience {

// The audience service's keys on top of the common ones
// (docs/configuration.md, docs/audience.md): TTADS_AUDIENCE_WORKERS,
// _MAX_FILE_BYTES, _CHUNK_DIGESTS, _CLAIM_IDLE_MS, _REFRESH_SECONDS,
// _SCHEDULER_MS, _DEFAULT_REGION, _EMAIL_RULE, _PHONE_FORM, _TEMP_DIR.
// Listens on 50054, metrics on 9104 by default.
config::Schema AudienceSchema();

// ttads-audience's configuration, typed; loaded and validated once at start.
struct AudienceConfig {
  config::CommonSettings common;
  int workers = 2;  // sync workers in this process (0: receive only)
  int64_t max_file_bytes = 50 << 20;  // customer files are split at this
  int64_t chunk_digests = 262144;     // digests per spooled chunk
  absl::Duration claim_idle = absl::Minutes(1);  // then another worker claims
  // Default refresh interval for disqualifications.
  absl::Duration refresh_interval = absl::Hours(24);
  absl::Duration scheduler_every = absl::Seconds(5);  // due-cycle look-ups
  // Default region (canonical ISO 3166-1 alpha-2), email rule and phone
  // hash form.
  identifiers::NormalizerOptions normalizer;
  std::string temp_dir = "/tmp";  // customer files before upload
};

// The typed configuration of a Config loaded with AudienceSchema().
// INVALID_ARGUMENT naming TTADS_AUDIENCE_DEFAULT_REGION when it is not an
// ISO 3166-1 alpha-2 region code.
absl::StatusOr<AudienceConfig> AudienceConfigFrom(const config::Config& config);

}  // namespace ttads::audience

#endif  // TTADS_SERVICES_AUDIENCE_AUDIENCE_CONFIG_H_
