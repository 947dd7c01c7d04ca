#ifndef TTADS_LIBS_STORE_REDIS_DIALER_H_
#define TTADS_LIBS_STORE_REDIS_DIALER_H_

#include <memory>

#include "absl/status/statusor.h"
#include "libs/store/redis.h"
#include "libs/store/redis_connection.h"
#include "libs/store/transport.h"

namespace ttads::store {

// Opens connections to the server RedisOptions point at: host:port, with
// Sentinel the current master, with Cluster the first seed node that
// answers (pub/sub: a SUBSCRIBE on any cluster node hears every PUBLISH).
// Shared by RedisPool and by code that needs a connection of its own (a pub/sub
// subscriber). Immutable and thread-safe.
class RedisDialer {
 public:
  // Loads the TLS files once. INVALID_ARGUMENT when a TLS file cannot be
  // loaded, or when Sentinel is half-configured (a master name without
  // sentinels or the reverse), or both Sentinel and Cluster are set.
  static absl::StatusOr<std::unique_ptr<RedisDialer>> Create(
      const RedisOptions& options);

  // A new authenticated connection. With Sentinel: asks the sentinels for
  // the master (DiscoverMaster), dials it and checks with ROLE that it is a
  // master; UNAVAILABLE when it is not (a failover is under way: retry).
  // With Cluster: the first of `cluster_nodes` that can be dialled (the
  // errors of all, when none can).
  absl::StatusOr<std::unique_ptr<RedisConnection>> Open() const;

  // A new authenticated connection to `endpoint` with the data nodes'
  // credentials and TLS (a cluster node named by the slot map).
  absl::StatusOr<std::unique_ptr<RedisConnection>> OpenNode(
      const RedisEndpoint& endpoint) const;

  // Asks each sentinel in order for the address of `sentinel_master`
  // (SENTINEL get-master-addr-by-name); the first answer wins.
  // UNAVAILABLE when no sentinel answers (the message lists each one's
  // error); FAILED_PRECONDITION when the sentinels that answer do not
  // know the master name.
  absl::StatusOr<RedisEndpoint> DiscoverMaster() const;

  const RedisOptions& options() const { return options_; }

 private:
  RedisDialer(RedisOptions options, std::shared_ptr<TlsContext> tls)
      : options_(std::move(options)), tls_(std::move(tls)) {}

  RedisConnection::Settings ServerSettings() const;

  const RedisOptions options_;
  const std::shared_ptr<TlsContext> tls_;  // null: plain TCP
};

}  // namespace ttads::store

#endif  // TTADS_LIBS_STORE_REDIS_DIALER_H_
