#ifndef TTADS_LIBS_TESTING_PRIVATE_REDIS_H_
#define TTADS_LIBS_TESTING_PRIVATE_REDIS_H_

#include <chrono>
#include <memory>

#include "absl/status/statusor.h"
#include "libs/store/redis.h"
#include "libs/testing/redis_server.h"

namespace ttads::testing {

// A private redis-server (RedisServer) and a store::RedisPool connected to
// it: what a fixture that tests against Redis starts with.
//
//   std::unique_ptr<testing::PrivateRedis> redis_;
//   void SetUp() override {
//     auto redis = testing::PrivateRedis::Start({.pool_size = 4});
//     ASSERT_THAT(redis, IsOk());
//     redis_ = *std::move(redis);
//     store_ = std::make_unique<AudienceStore>(redis_->pool());
//   }
//
// The pool connects to 127.0.0.1:<server port> with the server's password
// (if any) and otherwise RedisOptions' defaults. On destruction the pool is
// closed before the server is stopped. The server can be stopped and
// restarted through server(); the pool redials as it does in production.
class PrivateRedis {
 public:
  struct Options {
    RedisServer::Options server;
    int pool_size = store::RedisOptions{}.pool_size;
    // Connect and per-command timeout of pool() and Connect()'s pools.
    std::chrono::milliseconds timeout = store::RedisOptions{}.timeout;
  };

  static absl::StatusOr<std::unique_ptr<PrivateRedis>> Start();
  static absl::StatusOr<std::unique_ptr<PrivateRedis>> Start(
      const Options& options);

  PrivateRedis(const PrivateRedis&) = delete;
  PrivateRedis& operator=(const PrivateRedis&) = delete;

  RedisServer& server() { return *server_; }
  store::RedisPool* pool() { return pool_.get(); }
  // The options pool() was connected with; for code under test that
  // connects by itself.
  const store::RedisOptions& pool_options() const { return pool_options_; }
  // Another pool to the same server (e.g. a second replica's).
  absl::StatusOr<std::unique_ptr<store::RedisPool>> Connect() const;

 private:
  PrivateRedis() = default;

  std::unique_ptr<RedisServer> server_;
  store::RedisOptions pool_options_;
  std::unique_ptr<store::RedisPool> pool_;
};

}  // namespace ttads::testing

#endif  // TTADS_LIBS_TESTING_PRIVATE_REDIS_H_
