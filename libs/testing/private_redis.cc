#include "libs/testing/private_redis.h"

#include <utility>

#include "libs/status/status_macros.h"

namespace ttads::testing {

absl::StatusOr<std::unique_ptr<PrivateRedis>> PrivateRedis::Start() {
  return Start(Options{});
}

absl::StatusOr<std::unique_ptr<PrivateRedis>> PrivateRedis::Start(
    const Options& options) {
  std::unique_ptr<PrivateRedis> redis(new PrivateRedis());
  TTADS_ASSIGN_OR_RETURN(redis->server_, RedisServer::Start(options.server));
  redis->pool_options_.port = redis->server_->port();
  redis->pool_options_.password = options.server.password;
  redis->pool_options_.pool_size = options.pool_size;
  redis->pool_options_.timeout = options.timeout;
  TTADS_ASSIGN_OR_RETURN(redis->pool_, redis->Connect());
  return redis;
}

absl::StatusOr<std::unique_ptr<store::RedisPool>> PrivateRedis::Connect()
    const {
  return store::RedisPool::Connect(pool_options_);
}

}  // namespace ttads::testing
