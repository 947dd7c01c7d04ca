#ifndef TTADS_LIBS_STORE_CLUSTER_POOL_H_
#define TTADS_LIBS_STORE_CLUSTER_POOL_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "libs/store/cluster_slots.h"
#include "libs/store/redis.h"
#include "libs/store/redis_dialer.h"

namespace ttads::store {

// RedisPool over a Redis Cluster (docs/redis.md, "Cluster"). Thread-safe.
//
// - The slot map comes from CLUSTER SLOTS, asked of the known masters and
//   then of the seeds (options.cluster_nodes) in order; Connect fails when
//   none answers. Each master gets its own connection pool (the
//   single-server pool: options.pool_size connections, dialled lazily, same
//   TLS/ACL/timeout/WAIT rules).
// - Each command goes to the master of its first key's slot (CommandSlot);
//   a command without keys goes to the first master. A pipeline is split
//   by node and reassembled in order; a MULTI ... EXEC block stays one unit
//   on one node.
// - MOVED: the slot is pointed at the new master at once, the whole map is
//   re-read from CLUSTER SLOTS (at most every 100 ms: within that, by the
//   first call after it), and the command is sent again. ASK: ASKING then the
//   command go to the named node, once; the map is not changed. At most
//   kMaxRedirects redirects per command, then UNAVAILABLE ("too many
//   redirects").
// - TRYAGAIN (a multi-key command while its slot migrates) and CLUSTERDOWN:
//   sent again after a backoff of 10, 20, 40, ... ms (at most 100 ms) for up
//   to kMaxTryAgain attempts, then UNAVAILABLE; a TRYAGAIN from the node an
//   ASK named goes back to that node (with ASKING), not through the old
//   owner again. A redirected or TRYAGAIN
//   command did not run, so these retries never run a command twice.
// - An I/O error or timeout is UNAVAILABLE, as without Cluster (the command
//   may or may not have run; never retried here), and the map is re-read so
//   a failover to a replica is followed.
// - Pipeline: when the commands span nodes, an error status means some of
//   them may have run on the other nodes.
class ClusterPool final : public RedisPool {
 public:
  static constexpr int kMaxRedirects = 5;
  static constexpr int kMaxTryAgain = 8;

  // What the pool has seen since it started (monotonic counters).
  struct Stats {
    int64_t moved = 0;      // MOVED replies followed
    int64_t ask = 0;        // ASK replies followed
    int64_t try_again = 0;  // TRYAGAIN / CLUSTERDOWN replies retried
    int64_t refreshes = 0;  // slot maps read from CLUSTER SLOTS
    int64_t exhausted = 0;  // commands that ran out of redirects/retries
  };

  // Reads the slot map and checks a master answers PING. Errors: as
  // RedisDialer::Create for bad options; UNAVAILABLE when no node answers
  // CLUSTER SLOTS (each node's error in the message), INTERNAL when one
  // refuses AUTH or TLS, FAILED_PRECONDITION when a node answers that it is
  // not in cluster mode.
  static absl::StatusOr<std::unique_ptr<ClusterPool>> Connect(
      const RedisOptions& options);

  absl::StatusOr<RedisReply> Command(
      const std::vector<std::string>& args) override;
  absl::StatusOr<std::vector<RedisReply>> Pipeline(
      const std::vector<std::vector<std::string>>& commands) override;

  Stats stats() const;
  // The master currently mapped for `slot` ("host:port"), empty if none.
  std::string MasterOf(int slot) const;

 private:
  struct Unit;
  ClusterPool(RedisOptions options, std::shared_ptr<RedisDialer> dialer);

  // Re-reads the slot map. With `force` false, only marks the map stale
  // when it was read less than 100 ms ago (a burst of MOVED replies after
  // a reshard reads it once); a stale map is re-read by the next call
  // after the interval. One refresh at a time: without `force`, a caller
  // finding one under way does not wait for it.
  absl::Status Refresh(bool force);
  // The pool of `node`, created on first use.
  std::shared_ptr<RedisPool> NodePool(const RedisEndpoint& node);
  std::shared_ptr<const SlotMap> Map() const;
  // Points one slot at a new master (MOVED).
  void Assign(int slot, const RedisEndpoint& master);
  // Adds one to `counter` and to redis_errors_total{kind} (with metrics).
  void Count(std::atomic<int64_t>& counter, std::string_view kind);

  const RedisOptions options_;
  const std::shared_ptr<RedisDialer> dialer_;

  mutable std::mutex mu_;
  std::shared_ptr<const SlotMap> map_;  // guarded by mu_
  absl::flat_hash_map<std::string, std::shared_ptr<RedisPool>>
      nodes_;  // by "host:port"; guarded by mu_

  std::mutex refresh_mu_;                               // one refresh at a time
  std::chrono::steady_clock::time_point last_refresh_;  // by refresh_mu_
  std::atomic<bool> stale_{false};  // a refresh was skipped or failed

  std::atomic<int64_t> moved_{0};
  std::atomic<int64_t> ask_{0};
  std::atomic<int64_t> try_again_{0};
  std::atomic<int64_t> refreshes_{0};
  std::atomic<int64_t> exhausted_{0};
};

}  // namespace ttads::store

#endif  // TTADS_LIBS_STORE_CLUSTER_POOL_H_
