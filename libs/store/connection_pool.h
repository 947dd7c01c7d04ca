#ifndef TTADS_LIBS_STORE_CONNECTION_POOL_H_
#define TTADS_LIBS_STORE_CONNECTION_POOL_H_

#include <functional>
#include <memory>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "libs/store/redis.h"
#include "libs/store/redis_connection.h"

// Internals of libs/store shared by the single-server pool and ClusterPool.
namespace ttads::store {

// Opens one new authenticated connection (to a fixed server, or to the
// master the sentinels name).
using DialFunction =
    std::function<absl::StatusOr<std::unique_ptr<RedisConnection>>()>;

// The pool RedisPool::Connect returns without Cluster: options.pool_size
// connections made by `dial`, with the contract documented on RedisPool
// (stale-connection rule, READONLY, optional WAIT). Does not dial until
// first used.
std::unique_ptr<RedisPool> NewConnectionPool(const RedisOptions& options,
                                             DialFunction dial);

// The status RedisPool::Command returns for an error reply: UNAVAILABLE
// for the transient ones (LOADING, BUSY, MASTERDOWN, TRYAGAIN, CLUSTERDOWN,
// READONLY), INTERNAL with Redis' text verbatim otherwise.
absl::Status ErrorReplyStatus(const RedisReply& reply);

}  // namespace ttads::store

#endif  // TTADS_LIBS_STORE_CONNECTION_POOL_H_
