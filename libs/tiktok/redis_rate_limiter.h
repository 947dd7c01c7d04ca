#ifndef TTADS_LIBS_TIKTOK_REDIS_RATE_LIMITER_H_
#define TTADS_LIBS_TIKTOK_REDIS_RATE_LIMITER_H_

#include <memory>
#include <string>

#include "libs/store/redis.h"
#include "libs/store/script.h"
#include "libs/tiktok/rate_limiter.h"

namespace ttads::tiktok {

// The shared limiter: the same reservation algorithm as
// InMemoryRateLimiter, kept in Redis so every replica of every service using
// the app draws from the same buckets. One Lua script per reservation reads
// the clock of Redis itself (TIME; replicas' clocks do not matter), checks
// every bucket of the request and, if the slot is within max_wait, moves
// each bucket's "theoretical arrival time" past it — atomically.
//
// Keys: "ttads:ratelimit:{app:<app_id>}:<bucket>" holding the next free
// slot in microseconds since the epoch, expiring shortly after it passes.
// The script runs through store::Script (EVALSHA, EVAL after NOSCRIPT).
//
// Errors: UNAVAILABLE when Redis cannot be reached (the pool's status).
class RedisRateLimiter : public RateLimiter {
 public:
  // `pool` must outlive the limiter.
  RedisRateLimiter(store::RedisPool* pool, RateLimitPolicy policy);

  absl::StatusOr<Reservation> Reserve(const RateLimitRequest& request,
                                      absl::Duration max_wait) override;

  // The Lua script (for documentation and tests).
  static const store::Script& Script();

 private:
  store::RedisPool* const pool_;
  const RateLimitPolicy policy_;
};

}  // namespace ttads::tiktok

#endif  // TTADS_LIBS_TIKTOK_REDIS_RATE_LIMITER_H_
