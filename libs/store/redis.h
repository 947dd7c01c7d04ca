#ifndef TTADS_LIBS_STORE_REDIS_H_
#define TTADS_LIBS_STORE_REDIS_H_

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "libs/store/transport.h"

namespace ttads::store {

class RedisMetrics;  // redis_metrics.h

// One Redis reply, decoupled from hiredis' types.
struct RedisReply {
  enum class Type { kNil, kString, kStatus, kInteger, kArray, kError };
  Type type = Type::kNil;
  std::string str;                   // kString, kStatus, kError
  int64_t integer = 0;               // kInteger
  std::vector<RedisReply> elements;  // kArray

  bool is_nil() const { return type == Type::kNil; }
  bool is_error() const { return type == Type::kError; }
};

struct RedisEndpoint {
  std::string host;
  int port = 0;
  std::string ToString() const;  // "host:port" ("[v6]:port")
};

// How to reach Redis (docs/redis.md). Three topologies:
// - standalone: `host`:`port`;
// - Sentinel: `sentinel_master` set; `host`/`port` are ignored and the
//   master's address is asked of `sentinels` in order (SENTINEL
//   get-master-addr-by-name), again after every connection failure, so the
//   pool follows a failover;
// - Cluster: `cluster_nodes` set (seeds); `host`/`port` are ignored, the
//   slot map is read from the first seed that answers CLUSTER SLOTS and
//   each command goes to the master of its key's slot (ClusterPool,
//   cluster_pool.h), following MOVED/ASK redirects.
// TLS, AUTH and the timeout apply to every connection (to sentinels and
// every cluster node too).
struct RedisOptions {
  std::string host = "127.0.0.1";
  int port = 6390;
  // ACL user (Redis 6+): AUTH <username> <password>. Empty: AUTH <password>
  // (the "default" user, or requirepass).
  std::string username;
  std::string password;  // empty: no AUTH
  int pool_size = 8;
  std::chrono::milliseconds timeout{500};  // connect and per-command
  TlsOptions tls;
  // Sentinel: the monitored master's name and the sentinels to ask.
  std::string sentinel_master;
  std::vector<RedisEndpoint> sentinels;
  // AUTH for the sentinels (they may have their own requirepass or ACL
  // user); empty: none.
  std::string sentinel_username;
  std::string sentinel_password;
  // When > 0, every pipeline ends with WAIT <wait_replicas> <timeout/2>: a
  // command is reported OK only once that many replicas acknowledged it,
  // so a failover to one of them keeps it. Fewer acknowledgements within
  // the time: UNAVAILABLE (the write ran on the master and may or may not
  // survive a failover; retry it).
  int wait_replicas = 0;
  // Redis Cluster: some of its nodes (any role), asked in order for the
  // slot map. Exclusive with Sentinel. Each master gets a pool of
  // `pool_size` connections.
  std::vector<RedisEndpoint> cluster_nodes;
  // When set, the pool records its calls' durations and failures (and
  // Cluster redirects) there; see redis_metrics.h. Null: no metrics.
  std::shared_ptr<RedisMetrics> metrics;
};

// Parses "host:port" (or "[v6-address]:port") into options (other fields
// keep their defaults). INVALID_ARGUMENT when malformed.
absl::StatusOr<RedisOptions> ParseRedisAddress(std::string_view address);

// A fixed-size pool of blocking hiredis connections, safe to share between
// threads. Every command has a timeout; a connection that fails (Redis
// restarted, socket reset) is dropped and re-dialled on next use, so callers
// recover from a Redis restart without restarting themselves.
//
// Errors: UNAVAILABLE when Redis cannot be reached or times out, or answers
// with a transient error (LOADING while it replays its AOF after a restart,
// BUSY, MASTERDOWN, TRYAGAIN, CLUSTERDOWN, READONLY from a master that was
// demoted by a failover) — all retryable; INTERNAL when Redis answers with
// any other error reply (its text in the message).
//
// More precisely (the implementation's contract):
// - An error reply's text is the INTERNAL status' message verbatim (e.g.
//   "NOSCRIPT No matching script..." or "WRONGTYPE ..."), so callers can
//   test its prefix.
// - After any I/O error or timeout the connection is closed (its state is
//   unknown), and every idle connection dialled before the failure is
//   re-dialled on its next use: after a Redis restart one in-flight command
//   per busy connection may fail with UNAVAILABLE, the next ones succeed.
//   A command that failed with UNAVAILABLE may or may not have run (a
//   timeout is ambiguous); the pool never retries by itself.
// - A failed AUTH is INTERNAL (the password is wrong; retrying won't help),
//   and so is a TLS server certificate that fails verification (wrong CA,
//   wrong name); both messages say so. A bad CA/certificate/key file is
//   INVALID_ARGUMENT naming the file, at Connect.
// - With Sentinel, a connection whose server is not (or no longer) the
//   master — ROLE checked after each dial, READONLY replies afterwards — is
//   dropped and the master is asked of the sentinels again.
// - When all connections are busy a caller waits (FIFO-ish, on a condition
//   variable) for up to 10 x timeout, then gets UNAVAILABLE.
// - With Cluster (options.cluster_nodes), see ClusterPool: the pool follows
//   MOVED/ASK redirects and retries TRYAGAIN/CLUSTERDOWN itself (the
//   command did not run), a bounded number of times, then UNAVAILABLE.
class RedisPool {
 public:
  // Creates the pool and checks one connection (PING) so a bad address fails
  // at start.
  static absl::StatusOr<std::unique_ptr<RedisPool>> Connect(
      const RedisOptions& options);

  virtual ~RedisPool() = default;

  // Runs one command, e.g. Command({"SET", key, value, "PX", "1000"}).
  // Arguments are binary-safe.
  virtual absl::StatusOr<RedisReply> Command(
      const std::vector<std::string>& args) = 0;

  // Runs several commands on one connection in one round trip (pipelined,
  // not transactional). Returns one reply per command; an error reply of one
  // command is returned as a kError element, not as a failed status.
  virtual absl::StatusOr<std::vector<RedisReply>> Pipeline(
      const std::vector<std::vector<std::string>>& commands) = 0;
};

}  // namespace ttads::store

#endif  // TTADS_LIBS_STORE_REDIS_H_
