#include "libs/store/redis.h"

#include <hiredis/hiredis.h>

#include <charconv>
#include <condition_variable>
#include <deque>
#include <mutex>

#include "absl/status/status.h"

namespace ttads::store {
namespace {

// One pooled connection. `ctx` is null until dialled (or after it broke).
struct Connection {
  redisContext* ctx = nullptr;
  uint64_t generation = 0;  // pool generation when dialled

  void Close() {
    if (ctx != nullptr) redisFree(ctx);
    ctx = nullptr;
  }
};

RedisReply Convert(const redisReply* r) {
  RedisReply out;
  switch (r->type) {
    case REDIS_REPLY_STRING:
      out.type = RedisReply::Type::kString;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_STATUS:
      out.type = RedisReply::Type::kStatus;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_ERROR:
      out.type = RedisReply::Type::kError;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_INTEGER:
      out.type = RedisReply::Type::kInteger;
      out.integer = r->integer;
      break;
    case REDIS_REPLY_ARRAY:
      out.type = RedisReply::Type::kArray;
      out.elements.reserve(r->elements);
      for (size_t i = 0; i < r->elements; ++i) {
        out.elements.push_back(Convert(r->element[i]));
      }
      break;
    default:
      out.type = RedisReply::Type::kNil;
  }
  return out;
}

struct ReplyFree {
  void operator()(redisReply* r) const { freeReplyObject(r); }
};
using ReplyPtr = std::unique_ptr<redisReply, ReplyFree>;

class HiredisPool final : public RedisPool {
 public:
  explicit HiredisPool(RedisOptions options)
      : options_(std::move(options)),
        connections_(static_cast<size_t>(options_.pool_size)) {
    for (Connection& c : connections_) idle_.push_back(&c);
  }

  ~HiredisPool() override {
    for (Connection& c : connections_) c.Close();
  }

  absl::StatusOr<RedisReply> Command(
      const std::vector<std::string>& args) override {
    absl::StatusOr<std::vector<RedisReply>> replies = Pipeline({args});
    if (!replies.ok()) return replies.status();
    RedisReply& reply = replies->front();
    if (reply.type == RedisReply::Type::kError) {
      // Transient server states (replaying the AOF after a restart, a busy
      // script, a failover) are worth retrying; everything else is a bug.
      for (const char* transient :
           {"LOADING", "BUSY", "MASTERDOWN", "TRYAGAIN", "CLUSTERDOWN"}) {
        if (reply.str.rfind(transient, 0) == 0) {
          return absl::UnavailableError("redis: " + reply.str);
        }
      }
      return absl::InternalError(reply.str);
    }
    return std::move(reply);
  }

  absl::StatusOr<std::vector<RedisReply>> Pipeline(
      const std::vector<std::vector<std::string>>& commands) override {
    if (commands.empty()) return std::vector<RedisReply>{};
    absl::StatusOr<Connection*> conn = Acquire();
    if (!conn.ok()) return conn.status();
    absl::StatusOr<std::vector<RedisReply>> result = Run(**conn, commands);
    Release(*conn);
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

    if (conn->ctx != nullptr && conn->generation < generation) conn->Close();
    if (conn->ctx == nullptr) {
      absl::Status dialled = Dial(*conn, generation);
      if (!dialled.ok()) {
        Release(conn);
        return dialled;
      }
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

  // Records an I/O failure: the connection is closed and all connections
  // dialled so far are considered stale.
  absl::Status Broken(Connection& conn, std::string_view what) {
    std::string message = "redis " + Address() + ": " + std::string(what) +
                          ": " + (conn.ctx != nullptr ? conn.ctx->errstr : "");
    conn.Close();
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++generation_;
    }
    return absl::UnavailableError(message);
  }

  std::string Address() const {
    return options_.host + ":" + std::to_string(options_.port);
  }

  timeval Timeval() const {
    const auto us =
        std::chrono::duration_cast<std::chrono::microseconds>(options_.timeout)
            .count();
    return timeval{static_cast<time_t>(us / 1000000),
                   static_cast<suseconds_t>(us % 1000000)};
  }

  absl::Status Dial(Connection& conn, uint64_t generation) {
    const timeval tv = Timeval();
    conn.ctx =
        redisConnectWithTimeout(options_.host.c_str(), options_.port, tv);
    if (conn.ctx == nullptr) {
      return absl::UnavailableError("redis " + Address() +
                                    ": cannot allocate connection");
    }
    if (conn.ctx->err != 0) return Broken(conn, "connect");
    if (redisSetTimeout(conn.ctx, tv) != REDIS_OK) {
      return Broken(conn, "set timeout");
    }
    conn.generation = generation;
    if (!options_.password.empty()) {
      const char* argv[] = {"AUTH", options_.password.data()};
      const size_t lens[] = {4, options_.password.size()};
      ReplyPtr reply(
          static_cast<redisReply*>(redisCommandArgv(conn.ctx, 2, argv, lens)));
      if (reply == nullptr) return Broken(conn, "AUTH");
      if (reply->type == REDIS_REPLY_ERROR) {
        std::string text(reply->str, reply->len);
        conn.Close();
        return absl::InternalError("redis " + Address() +
                                   ": AUTH failed: " + text);
      }
    }
    return absl::OkStatus();
  }

  absl::StatusOr<std::vector<RedisReply>> Run(
      Connection& conn, const std::vector<std::vector<std::string>>& commands) {
    std::vector<const char*> argv;
    std::vector<size_t> lens;
    for (const std::vector<std::string>& args : commands) {
      if (args.empty()) {
        return absl::InvalidArgumentError("empty redis command");
      }
      argv.clear();
      lens.clear();
      for (const std::string& a : args) {
        argv.push_back(a.data());
        lens.push_back(a.size());
      }
      if (redisAppendCommandArgv(conn.ctx, static_cast<int>(argv.size()),
                                 argv.data(), lens.data()) != REDIS_OK) {
        return Broken(conn, "write");
      }
    }
    std::vector<RedisReply> replies;
    replies.reserve(commands.size());
    for (size_t i = 0; i < commands.size(); ++i) {
      void* raw = nullptr;
      if (redisGetReply(conn.ctx, &raw) != REDIS_OK || raw == nullptr) {
        return Broken(conn, "read");
      }
      ReplyPtr reply(static_cast<redisReply*>(raw));
      replies.push_back(Convert(reply.get()));
    }
    return replies;
  }

  const RedisOptions options_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Connection> connections_;
  std::deque<Connection*> idle_;  // guarded by mu_
  uint64_t generation_ = 0;       // guarded by mu_
};

}  // namespace

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
  auto pool = std::make_unique<HiredisPool>(options);
  absl::StatusOr<RedisReply> pong = pool->Command({"PING"});
  if (!pong.ok()) return pong.status();
  return std::unique_ptr<RedisPool>(std::move(pool));
}

}  // namespace ttads::store
