#include "libs/store/connection_pool.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "libs/status/status_macros.h"

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

}  // namespace ttads::store
