#ifndef TTADS_LIBS_TESTING_REDIS_SERVER_H_
#define TTADS_LIBS_TESTING_REDIS_SERVER_H_

#include <sys/types.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "libs/testing/free_port.h"

namespace ttads::testing {

// A private `redis-server` for one test binary or fixture: started on a
// loopback port from ReservedPort (free_port.h) with its own temporary
// directory (AOF on), killed and cleaned up on destruction. Restart() stops
// and starts it on the same port and directory, to test recovery after a
// Redis restart.
//
// The fixture holds its ports (ReservedPort) for its whole life, also while
// the server is stopped, so no other fixture is handed them in between.
// Start and Restart succeed only when the redis answering on the port is the
// process this fixture started (its `INFO server` process_id is the child's
// pid): a fixture never talks to, or shuts down, another test's server.
//
// The server binds 127.0.0.1 only, keeps no RDB snapshots (`--save ""`),
// appends every write to its AOF (`--appendonly yes`), and logs to
// `<dir>/redis.log` (quoted in the error when it fails to start). It dies
// with the test process (PR_SET_PDEATHSIG) if the test crashes.
class RedisServer {
 public:
  struct Options {
    // When set, the server requires AUTH with this password (the default
    // user's; the fixture's readiness PING uses it).
    std::string password;
    // More redis-server arguments, appended to the fixture's, e.g.
    // {"--user", "app", "on", ">pw", "~*", "+@all"} (one word per element:
    // redis-server quotes an element holding spaces as one word).
    std::vector<std::string> args;
    // With tls_cert_file: also listen for TLS on tls_port() with these PEM
    // files (the plain port stays, for the readiness PING and inspection).
    // tls_auth_clients: require a client certificate signed by tls_ca_file.
    std::string tls_cert_file;
    std::string tls_key_file;
    std::string tls_ca_file;
    bool tls_auth_clients = false;
    // Non-empty: run Debian's redis-sentinel (`redis-sentinel
    // <dir>/sentinel.conf`) whose config file holds these lines (e.g.
    // "sentinel monitor m 127.0.0.1 6379 2\n"); no AOF options.
    std::string sentinel_config;
  };

  // Starts redis-server (found on PATH or /usr/bin) and waits until it
  // answers PING as itself; retries on fresh ports if it cannot.
  static absl::StatusOr<std::unique_ptr<RedisServer>> Start();
  static absl::StatusOr<std::unique_ptr<RedisServer>> Start(
      const Options& options);
  ~RedisServer();

  RedisServer(const RedisServer&) = delete;
  RedisServer& operator=(const RedisServer&) = delete;

  int port() const { return port_; }
  int tls_port() const { return tls_port_; }  // 0 without TLS
  std::string address() const;                // "127.0.0.1:<port>"
  const std::string& dir() const { return dir_; }

  // Stops the server (SIGTERM, waits for exit: the AOF is flushed) and
  // starts it again on the same port and directory, waiting for PING.
  // FAILED_PRECONDITION (naming the port and the other pid) when another
  // process answers on the port; UNAVAILABLE when the server exits at start.
  absl::Status Restart();
  // Stops the server and waits for it to exit. Idempotent.
  absl::Status Stop();
  // SIGKILLs the server (no AOF flush, no goodbye to replicas or
  // sentinels: a crash) and waits for it to exit. Idempotent.
  absl::Status Kill();
  bool running() const { return pid_ > 0; }

 private:
  RedisServer(Options options, std::string dir, ReservedPort port,
              std::optional<ReservedPort> tls_port);
  // Spawns the process and waits until it answers PING as itself.
  absl::Status Launch();

  Options options_;
  std::string dir_;
  ReservedPort port_reservation_;
  std::optional<ReservedPort> tls_port_reservation_;
  int port_;
  int tls_port_;
  pid_t pid_ = -1;
};

}  // namespace ttads::testing

#endif  // TTADS_LIBS_TESTING_REDIS_SERVER_H_
