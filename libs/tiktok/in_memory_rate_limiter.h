#ifndef TTADS_LIBS_TIKTOK_IN_MEMORY_RATE_LIMITER_H_
#define TTADS_LIBS_TIKTOK_IN_MEMORY_RATE_LIMITER_H_

#include <functional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "libs/tiktok/rate_limiter.h"

namespace ttads::tiktok {

// RateLimiter's reservation algorithm (rate_limiter.h: GCRA spacing per
// bucket, interactive queueing up to max_wait, background and bulk lanes
// with weighted fair share) kept in process memory instead of in Redis
// (RedisRateLimiter runs the same algorithm as a Lua script): the limiter
// for unit tests of code that takes a RateLimiter. It limits only the
// process it lives in, so product binaries do not use it; it is built only
// with the tests (target ttads_tiktok_testing).
//
// `now` is injectable for deterministic tests; each reservation reads it
// once. Thread-safe; Reserve never returns an error.
class InMemoryRateLimiter : public RateLimiter {
 public:
  explicit InMemoryRateLimiter(
      RateLimitPolicy policy,
      std::function<absl::Time()> now = [] { return absl::Now(); });

  absl::StatusOr<Reservation> Reserve(const RateLimitRequest& request,
                                      absl::Duration max_wait) override;

 private:
  const RateLimitPolicy policy_;
  const std::function<absl::Time()> now_;
  absl::Mutex mu_;
  struct Lane {
    double clock = 0;                             // start tag last served
    absl::flat_hash_map<std::string, double> vt;  // team -> finish tag
    // Teams whose last ask was deferred -> their start tag then.
    absl::flat_hash_map<std::string, double> pending;
    absl::flat_hash_map<std::string, absl::Time> seen;  // team -> last ask
  };
  // Key -> theoretical arrival time of the next allowed request.
  absl::flat_hash_map<std::string, absl::Time> tat_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, Lane> lanes_ ABSL_GUARDED_BY(mu_);
};

}  // namespace ttads::tiktok

#endif  // TTADS_LIBS_TIKTOK_IN_MEMORY_RATE_LIMITER_H_
