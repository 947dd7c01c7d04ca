#ifndef TTADS_LIBS_TESTING_REDIS_SERVER_H_
#define TTADS_LIBS_TESTING_REDIS_SERVER_H_

#include <string>

#include "absl/status/statusor.h"

namespace ttads::testing {

// A private `redis-server` for one test binary or fixture: started on an
// ephemeral loopback port with its own temporary directory (AOF on), killed
// and cleaned up on destruction. Restart() stops and starts it on the same
// port and directory, to test recovery after a Redis restart.
class RedisServer {
 public:
  // Starts redis-server (found on PATH or /usr/bin) and waits until it
  // answers PING.
  static absl::StatusOr<std::unique_ptr<RedisServer>> Start();
  ~RedisServer();

  int port() const;
  std::string address() const;  // "127.0.0.1:<port>"
  absl::Status Restart();
  absl::Status Stop();
  // ... implementation details are the store helper's.
};

}  // namespace ttads::testing

#endif  // TTADS_LIBS_TESTING_REDIS_SERVER_H_
