#include "libs/tiktok/backoff.h"

#include <algorithm>
#include <cmath>

#include "absl/random/distributions.h"

namespace ttads::tiktok {

absl::Duration BackoffDelay(const BackoffOptions& options, int retry,
                            absl::Duration suggested, absl::BitGenRef gen) {
  retry = std::max(retry, 1);
  double factor = std::pow(std::max(options.multiplier, 1.0), retry - 1);
  absl::Duration step = options.initial * factor;
  if (step > options.max || step < absl::ZeroDuration()) step = options.max;
  double jitter = std::clamp(options.jitter, 0.0, 1.0);
  absl::Duration jittered =
      step * (1.0 - jitter * absl::Uniform(gen, 0.0, 1.0));
  if (suggested <= absl::ZeroDuration()) return jittered;
  absl::Duration spread = suggested * absl::Uniform(gen, 1.0, 1.2);
  return std::max(jittered, spread);
}

}  // namespace ttads::tiktok
