#ifndef TTADS_LIBS_STORE_METERED_POOL_H_
#define TTADS_LIBS_STORE_METERED_POOL_H_

#include <memory>

#include "libs/store/redis.h"
#include "libs/store/redis_metrics.h"

// The metrics layer RedisPool::Connect puts around a pool when
// RedisOptions::metrics is set (docs/redis.md, "Metrics").
namespace ttads::store {

// Returns a pool that forwards every call to `inner` unchanged (same
// replies, same statuses) and records it in `metrics`: each Command() or
// Pipeline() call's duration and, when it failed, its status code
// (RedisMetrics::ObserveCall); each error reply inside a successful
// Pipeline() as kind "error_reply". Calls `inner` makes on its own (e.g.
// Connect's PING before wrapping) are not seen.
std::unique_ptr<RedisPool> NewMeteredPool(
    std::unique_ptr<RedisPool> inner, std::shared_ptr<RedisMetrics> metrics);

}  // namespace ttads::store

#endif  // TTADS_LIBS_STORE_METERED_POOL_H_
