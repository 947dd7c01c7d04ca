#ifndef TTADS_LIBS_STORE_REDIS_CONNECTION_H_
#define TTADS_LIBS_STORE_REDIS_CONNECTION_H_

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "libs/store/redis.h"
#include "libs/store/transport.h"

struct redisReader;

namespace ttads::store {

// One blocking Redis connection: a Transport (TCP or TLS) carrying the
// Redis protocol, written by hiredis' command formatter and parsed by
// hiredis' reply reader. Not thread-safe: RedisPool gives each connection
// to one caller at a time; a pub/sub subscriber owns one.
//
// Any I/O or protocol error leaves the connection broken (broken() true):
// its state is unknown and it must be dropped.
class RedisConnection {
 public:
  // Credentials and limits for one dial.
  struct Settings {
    std::chrono::milliseconds timeout{500};  // connect, then per read/write
    std::string username;                    // ACL user; empty: none
    std::string password;                    // empty: no AUTH
    std::shared_ptr<TlsContext> tls;         // null: plain TCP
  };

  // Dials `endpoint` and authenticates: AUTH <username> <password>, or
  // AUTH <password> without a username. Errors as DialTransport; a refused
  // AUTH is INTERNAL with Redis' text (e.g. "WRONGPASS ...").
  static absl::StatusOr<std::unique_ptr<RedisConnection>> Open(
      const RedisEndpoint& endpoint, const Settings& settings);

  ~RedisConnection();
  RedisConnection(const RedisConnection&) = delete;
  RedisConnection& operator=(const RedisConnection&) = delete;

  // Sends `commands` in one write and reads one reply per command (error
  // replies are kError elements). UNAVAILABLE on I/O errors and timeouts.
  absl::StatusOr<std::vector<RedisReply>> Execute(
      const std::vector<std::vector<std::string>>& commands);

  // The two halves of Execute, for pub/sub: Send writes commands without
  // reading; ReadReply waits for the next reply (nullopt: forever).
  absl::Status Send(const std::vector<std::vector<std::string>>& commands);
  absl::StatusOr<RedisReply> ReadReply(
      std::optional<std::chrono::milliseconds> timeout);

  const RedisEndpoint& endpoint() const { return endpoint_; }
  bool broken() const { return broken_; }
  int fd() const { return transport_->fd(); }

 private:
  RedisConnection(RedisEndpoint endpoint, std::unique_ptr<Transport> transport,
                  std::chrono::milliseconds timeout);
  absl::Status Broken(absl::Status status);

  RedisEndpoint endpoint_;
  std::unique_ptr<Transport> transport_;
  std::chrono::milliseconds timeout_;
  redisReader* reader_;
  bool broken_ = false;
};

}  // namespace ttads::store

#endif  // TTADS_LIBS_STORE_REDIS_CONNECTION_H_
