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

namespace ttads::store {

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

struct RedisOptions {
  std::string host = "127.0.0.1";
  int port = 6390;
  std::string password;  // empty: no AUTH
  int pool_size = 8;
  std::chrono::milliseconds timeout{500};  // connect and per-command
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
// BUSY, MASTERDOWN, TRYAGAIN, CLUSTERDOWN) — all retryable; INTERNAL when
// Redis answers with any other error reply (its text in the message).
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
// - A failed AUTH is INTERNAL (the password is wrong; retrying won't help).
// - When all connections are busy a caller waits (FIFO-ish, on a condition
//   variable) for up to 10 x timeout, then gets UNAVAILABLE.
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
