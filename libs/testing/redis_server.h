#ifndef TTADS_LIBS_TESTING_REDIS_SERVER_H_
#define TTADS_LIBS_TESTING_REDIS_SERVER_H_

#include <sys/types.h>

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace ttads::testing {

// A private `redis-server` for one test binary or fixture: started on an
// ephemeral loopback port with its own temporary directory (AOF on), killed
// and cleaned up on destruction. Restart() stops and starts it on the same
// port and directory, to test recovery after a Redis restart.
//
// The server binds 127.0.0.1 only, keeps no RDB snapshots (`--save ""`),
// appends every write to its AOF (`--appendonly yes`), and logs to
// `<dir>/redis.log` (quoted in the error when it fails to start). It dies
// with the test process (PR_SET_PDEATHSIG) if the test crashes.
class RedisServer {
 public:
  struct Options {
    // When set, the server requires AUTH with this password.
    std::string password;
  };

  // Starts redis-server (found on PATH or /usr/bin) and waits until it
  // answers PING.
  static absl::StatusOr<std::unique_ptr<RedisServer>> Start();
  static absl::StatusOr<std::unique_ptr<RedisServer>> Start(
      const Options& options);
  ~RedisServer();

  RedisServer(const RedisServer&) = delete;
  RedisServer& operator=(const RedisServer&) = delete;

  int port() const { return port_; }
  std::string address() const;  // "127.0.0.1:<port>"
  const std::string& dir() const { return dir_; }

  // Stops the server (SIGTERM, waits for exit: the AOF is flushed) and
  // starts it again on the same port and directory, waiting for PING.
  absl::Status Restart();
  // Stops the server and waits for it to exit. Idempotent.
  absl::Status Stop();
  bool running() const { return pid_ > 0; }

 private:
  RedisServer(Options options, std::string dir, int port);
  // Spawns the process and waits for PING.
  absl::Status Launch();

  Options options_;
  std::string dir_;
  int port_;
  pid_t pid_ = -1;
};

}  // namespace ttads::testing

#endif  // TTADS_LIBS_TESTING_REDIS_SERVER_H_
