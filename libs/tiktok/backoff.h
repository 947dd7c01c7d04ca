#ifndef TTADS_LIBS_TIKTOK_BACKOFF_H_
#define TTADS_LIBS_TIKTOK_BACKOFF_H_

#include "absl/random/bit_gen_ref.h"
#include "absl/time/time.h"

namespace ttads::tiktok {

// Jittered exponential backoff between retries of one call.
struct BackoffOptions {
  absl::Duration initial = absl::Milliseconds(100);
  absl::Duration max = absl::Seconds(5);
  double multiplier = 2.0;
  // Fraction of the exponential step that is randomised away (0: none,
  // 1: "full jitter").
  double jitter = 0.5;
};

// Delay before retry number `retry` (1 for the first retry). With
//   step = min(max, initial * multiplier^(retry-1)),
// the result lies in
//   [max(step * (1 - jitter), suggested), max(step, suggested * 1.2)]
// i.e. never shorter than TikTok's suggested wait (e.g. "after the current
// second") and spread over up to 20% beyond it so replicas throttled in the
// same second do not all come back at the same instant.
absl::Duration BackoffDelay(const BackoffOptions& options, int retry,
                            absl::Duration suggested, absl::BitGenRef gen);

}  // namespace ttads::tiktok

#endif  // TTADS_LIBS_TIKTOK_BACKOFF_H_
