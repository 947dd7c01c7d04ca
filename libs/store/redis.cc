#include "libs/store/redis.h"

#include <algorithm>
#include <charconv>
#include <condition_variable>
#include <deque>
#include <mutex>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "libs/status/status_macros.h"
#include "libs/store/cluster_pool.h"
#include "libs/store/connection_pool.h"
#include "libs/store/redis_connection.h"
#include "libs/store/redis_dialer.h"
#include "libs/store/redis_metrics.h"

namespace ttads::store {
namespace {

// One pooled connection. `conn` is null until dialled (or after it broke).
struct Connection {
  std::unique_ptr<RedisConnection> conn;
  uint64_t generation = 0;  // pool generation when dialled
};

bool StartsWith(const std::string& text, std::string_view prefix) {
  return text.rfind(prefix, 0) == 0;
}

class HiredisPool final : public RedisPool {
 public:
  HiredisPool(RedisOptions options, DialFunction dial)
      : options_(std::move(options)),
        dial_(std::move(dial)),
        connections_(static_cast<size_t>(options_.pool_size)) {
    for (Connection& c : connections_) idle_.push_back(&c);
  }

  absl::StatusOr<RedisReply> Command(
      const std::vector<std::string>& args) override {
    TTADS_ASSIGN_OR_RETURN(std::vector<RedisReply> replies, Pipeline({args}));
    RedisReply& reply = replies.front();
    if (reply.is_error()) return ErrorReplyStatus(reply);
    return std::move(reply);
  }

  absl::StatusOr<std::vector<RedisReply>> Pipeline(
      const std::vector<std::vector<std::string>>& commands) override {
    if (commands.empty()) return std::vector<RedisReply>{};
    for (const std::vector<std::string>& args : commands) {
      if (args.empty()) {
        return absl::InvalidArgumentError("empty redis command");
      }
    }
    TTADS_ASSIGN_OR_RETURN(Connection * conn, Acquire());
    absl::StatusOr<std::vector<RedisReply>> result = Run(*conn, commands);
    Release(conn);
    return result;
  }

 private:
  absl::StatusOr<Connection*> Acquire() {
    std::unique_lock<std::mutex> lock(mu_);
    if (!cv_.wait_for(lock, options_.timeout * 10,
                      [this] { return !idle_.empty(); })) {
      return absl::UnavailableError("redis pool exhausted: all " +
                                    std::to_string(options_.pool_size) +
                                    " connections busy");
    }
    Connection* conn = idle_.front();
    idle_.pop_front();
    const uint64_t generation = generation_;
    lock.unlock();

    if (conn->conn != nullptr && conn->generation < generation) {
      conn->conn.reset();
    }
    if (conn->conn == nullptr) {
      absl::StatusOr<std::unique_ptr<RedisConnection>> dialled = dial_();
      if (!dialled.ok()) {
        if (dialled.status().code() == absl::StatusCode::kUnavailable) {
          MarkStale();
        }
        Release(conn);
        return dialled.status();
      }
      conn->conn = std::move(*dialled);
      conn->generation = generation;
    }
    return conn;
  }

  void Release(Connection* conn) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      idle_.push_back(conn);
    }
    cv_.notify_one();
  }

  // After a failure that says the server went away or changed role: every
  // connection dialled so far is re-dialled on its next use.
  void MarkStale() {
    std::lock_guard<std::mutex> lock(mu_);
    ++generation_;
  }

  absl::StatusOr<std::vector<RedisReply>> Run(
      Connection& conn, const std::vector<std::vector<std::string>>& commands) {
    const bool wait = options_.wait_replicas > 0;
    const std::vector<std::vector<std::string>>* batch = &commands;
    std::vector<std::vector<std::string>> with_wait;
    if (wait) {
      with_wait = commands;
      with_wait.push_back(
          {"WAIT", std::to_string(options_.wait_replicas),
           std::to_string(std::max<int64_t>(1, options_.timeout.count() / 2))});
      batch = &with_wait;
    }
    absl::StatusOr<std::vector<RedisReply>> replies =
        conn.conn->Execute(*batch);
    if (!replies.ok()) {
      conn.conn.reset();
      MarkStale();
      return replies.status();
    }
    for (const RedisReply& r : *replies) {
      if (r.is_error() && StartsWith(r.str, "READONLY")) {
        // The server was demoted to a replica (a failover): find the master
        // again.
        conn.conn.reset();
        MarkStale();
        break;
      }
    }
    if (wait) {
      const RedisReply acks = std::move(replies->back());
      replies->pop_back();
      if (acks.type != RedisReply::Type::kInteger ||
          acks.integer < options_.wait_replicas) {
        return absl::UnavailableError(absl::StrCat(
            "redis: ",
            acks.is_error() ? acks.str
                            : absl::StrCat("WAIT: ", acks.integer, " of ",
                                           options_.wait_replicas,
                                           " replicas acknowledged"),
            "; the commands ran on the master but may not survive a "
            "failover"));
      }
    }
    return replies;
  }

  const RedisOptions options_;
  const DialFunction dial_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Connection> connections_;
  std::deque<Connection*> idle_;  // guarded by mu_
  uint64_t generation_ = 0;       // guarded by mu_
};

// Times every call of `inner` and counts its failures (RedisMetrics).
class MeteredPool final : public RedisPool {
 public:
  MeteredPool(std::unique_ptr<RedisPool> inner,
              std::shared_ptr<RedisMetrics> metrics)
      : inner_(std::move(inner)), metrics_(std::move(metrics)) {}

  absl::StatusOr<RedisReply> Command(
      const std::vector<std::string>& args) override {
    const auto start = std::chrono::steady_clock::now();
    absl::StatusOr<RedisReply> reply = inner_->Command(args);
    metrics_->ObserveCall(std::chrono::steady_clock::now() - start,
                          reply.status());
    return reply;
  }

  absl::StatusOr<std::vector<RedisReply>> Pipeline(
      const std::vector<std::vector<std::string>>& commands) override {
    const auto start = std::chrono::steady_clock::now();
    absl::StatusOr<std::vector<RedisReply>> replies =
        inner_->Pipeline(commands);
    metrics_->ObserveCall(std::chrono::steady_clock::now() - start,
                          replies.status());
    if (replies.ok()) {
      for (const RedisReply& r : *replies) {
        if (r.is_error()) metrics_->CountError("error_reply");
      }
    }
    return replies;
  }

 private:
  const std::unique_ptr<RedisPool> inner_;
  const std::shared_ptr<RedisMetrics> metrics_;
};

}  // namespace

absl::Status ErrorReplyStatus(const RedisReply& reply) {
  // Transient server states (replaying the AOF after a restart, a busy
  // script, a failover, a slot migrating) are worth retrying; everything
  // else is a bug.
  for (const char* transient : {"LOADING", "BUSY", "MASTERDOWN", "TRYAGAIN",
                                "CLUSTERDOWN", "READONLY"}) {
    if (StartsWith(reply.str, transient)) {
      return absl::UnavailableError("redis: " + reply.str);
    }
  }
  return absl::InternalError(reply.str);
}

std::unique_ptr<RedisPool> NewConnectionPool(const RedisOptions& options,
                                             DialFunction dial) {
  return std::make_unique<HiredisPool>(options, std::move(dial));
}

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
    pool = std::make_unique<MeteredPool>(std::move(pool), options.metrics);
  }
  return pool;
}

}  // namespace ttads::store
