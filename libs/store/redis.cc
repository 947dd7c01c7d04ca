#include "libs/store/redis.h"

#include <charconv>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "libs/status/status_macros.h"
#include "libs/store/cluster_pool.h"
#include "libs/store/connection_pool.h"
#include "libs/store/metered_pool.h"
#include "libs/store/redis_dialer.h"

namespace ttads::store {

std::string RedisEndpoint::ToString() const {
  if (host.find(':') != std::string::npos) {
    return absl::StrCat("[", host, "]:", port);
  }
  return absl::StrCat(host, ":", port);
}

absl::StatusOr<RedisOptions> ParseRedisAddress(std::string_view address) {
  auto bad = [&] {
    return absl::InvalidArgumentError(
        "redis address must be host:port, got \"" + std::string(address) +
        "\"");
  };
  std::string_view host, port;
  if (!address.empty() && address.front() == '[') {
    size_t close = address.find(']');
    if (close == std::string_view::npos || close + 1 >= address.size() ||
        address[close + 1] != ':') {
      return bad();
    }
    host = address.substr(1, close - 1);
    port = address.substr(close + 2);
  } else {
    size_t colon = address.rfind(':');
    if (colon == std::string_view::npos) return bad();
    host = address.substr(0, colon);
    port = address.substr(colon + 1);
    if (host.find(':') != std::string_view::npos) return bad();
  }
  int value = 0;
  auto [end, ec] =
      std::from_chars(port.data(), port.data() + port.size(), value);
  if (host.empty() || ec != std::errc() || end != port.data() + port.size() ||
      value < 1 || value > 65535) {
    return bad();
  }
  RedisOptions options;
  options.host = std::string(host);
  options.port = value;
  return options;
}

absl::StatusOr<std::unique_ptr<RedisPool>> RedisPool::Connect(
    const RedisOptions& options) {
  if (options.pool_size < 1) {
    return absl::InvalidArgumentError("redis pool_size must be at least 1");
  }
  if (options.timeout.count() <= 0) {
    return absl::InvalidArgumentError("redis timeout must be positive");
  }
  std::unique_ptr<RedisPool> pool;
  if (!options.cluster_nodes.empty()) {
    TTADS_ASSIGN_OR_RETURN(pool, ClusterPool::Connect(options));
  } else {
    TTADS_ASSIGN_OR_RETURN(std::shared_ptr<RedisDialer> dialer,
                           RedisDialer::Create(options));
    pool = NewConnectionPool(options, [dialer] { return dialer->Open(); });
    TTADS_RETURN_IF_ERROR(pool->Command({"PING"}).status());
  }
  if (options.metrics != nullptr) {
    pool = NewMeteredPool(std::move(pool), options.metrics);
  }
  return pool;
}

}  // namespace ttads::store
