#include "libs/auth/revocation_watcher.h"

#include <hiredis/hiredis.h>
#include <sys/socket.h>

#include <algorithm>

namespace ttads::auth {
namespace {

struct ContextFree {
  void operator()(redisContext* c) const { redisFree(c); }
};
struct ReplyFree {
  void operator()(redisReply* r) const { freeReplyObject(r); }
};
using ReplyPtr = std::unique_ptr<redisReply, ReplyFree>;

ReplyPtr Read(redisContext* ctx) {
  void* raw = nullptr;
  if (redisGetReply(ctx, &raw) != REDIS_OK) return nullptr;
  return ReplyPtr(static_cast<redisReply*>(raw));
}

std::string Str(const redisReply* r) {
  return r->str == nullptr ? std::string() : std::string(r->str, r->len);
}

}  // namespace

std::unique_ptr<RevocationWatcher> RevocationWatcher::Start(
    store::RedisOptions options, Callbacks callbacks) {
  std::unique_ptr<RevocationWatcher> watcher(
      new RevocationWatcher(std::move(options), std::move(callbacks)));
  watcher->thread_ = std::thread([w = watcher.get()] { w->Loop(); });
  return watcher;
}

RevocationWatcher::RevocationWatcher(store::RedisOptions options,
                                     Callbacks callbacks)
    : options_(std::move(options)), callbacks_(std::move(callbacks)) {}

RevocationWatcher::~RevocationWatcher() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    if (fd_ >= 0) shutdown(fd_, SHUT_RDWR);  // unblocks the pending read
  }
  cv_.notify_all();
  thread_.join();
}

bool RevocationWatcher::WaitLive(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait_for(lock, timeout, [this] { return live_.load() || stopping_; });
  return live_.load();
}

void RevocationWatcher::Gap() {
  live_.store(false);
  epoch_.fetch_add(1);
  if (callbacks_.on_gap) callbacks_.on_gap();
}

void RevocationWatcher::Loop() {
  std::chrono::milliseconds backoff(50);
  while (true) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stopping_) return;
    }
    Subscribe();
    std::unique_lock<std::mutex> lock(mu_);
    if (stopping_) return;
    cv_.wait_for(lock, backoff, [this] { return stopping_; });
    backoff = std::min(backoff * 2, std::chrono::milliseconds(2000));
  }
}

void RevocationWatcher::Subscribe() {
  const auto us =
      std::chrono::duration_cast<std::chrono::microseconds>(options_.timeout)
          .count();
  const timeval tv{static_cast<time_t>(us / 1000000),
                   static_cast<suseconds_t>(us % 1000000)};
  std::unique_ptr<redisContext, ContextFree> ctx(
      redisConnectWithTimeout(options_.host.c_str(), options_.port, tv));
  if (ctx == nullptr || ctx->err != 0) return;
  redisEnableKeepAlive(ctx.get());
  redisSetTimeout(ctx.get(), tv);
  if (!options_.password.empty()) {
    const char* argv[] = {"AUTH", options_.password.c_str()};
    const size_t lens[] = {4, options_.password.size()};
    ReplyPtr reply(
        static_cast<redisReply*>(redisCommandArgv(ctx.get(), 2, argv, lens)));
    if (reply == nullptr || reply->type == REDIS_REPLY_ERROR) return;
  }
  const std::string channel(kRevocationChannel);
  const char* argv[] = {"SUBSCRIBE", channel.c_str()};
  const size_t lens[] = {9, channel.size()};
  ReplyPtr confirm(
      static_cast<redisReply*>(redisCommandArgv(ctx.get(), 2, argv, lens)));
  if (confirm == nullptr || confirm->type != REDIS_REPLY_ARRAY) return;

  // Subscribed: from now on, block on reads without a timeout; the
  // destructor shuts the socket down to stop us.
  redisSetTimeout(ctx.get(), timeval{0, 0});
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return;
    fd_ = ctx->fd;
    live_.store(true);
  }
  cv_.notify_all();

  while (true) {
    ReplyPtr message = Read(ctx.get());
    if (message == nullptr) break;
    if (message->type != REDIS_REPLY_ARRAY || message->elements != 3 ||
        Str(message->element[0]) != "message") {
      continue;
    }
    epoch_.fetch_add(1);
    if (callbacks_.on_revoked) callbacks_.on_revoked(Str(message->element[2]));
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    fd_ = -1;
  }
  Gap();
}

}  // namespace ttads::auth
