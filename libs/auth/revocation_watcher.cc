#include "libs/auth/revocation_watcher.h"

#include <sys/socket.h>

#include <algorithm>

#include "libs/store/redis_connection.h"
#include "libs/store/redis_dialer.h"

namespace ttads::auth {

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
  // The same dialer as RedisPool: TLS, ACL user and Sentinel apply here too.
  absl::StatusOr<std::unique_ptr<store::RedisDialer>> dialer =
      store::RedisDialer::Create(options_);
  if (!dialer.ok()) return;
  absl::StatusOr<std::unique_ptr<store::RedisConnection>> conn =
      (*dialer)->Open();
  if (!conn.ok()) return;
  absl::StatusOr<std::vector<store::RedisReply>> confirm =
      (*conn)->Execute({{"SUBSCRIBE", std::string(kRevocationChannel)}});
  if (!confirm.ok() ||
      confirm->front().type != store::RedisReply::Type::kArray) {
    return;
  }

  // Subscribed: from now on, block on reads without a timeout; the
  // destructor shuts the socket down to stop us.
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return;
    fd_ = (*conn)->fd();
    live_.store(true);
  }
  cv_.notify_all();

  while (true) {
    absl::StatusOr<store::RedisReply> message =
        (*conn)->ReadReply(std::nullopt);
    if (!message.ok()) break;
    if (message->type != store::RedisReply::Type::kArray ||
        message->elements.size() != 3 ||
        message->elements[0].str != "message") {
      continue;
    }
    epoch_.fetch_add(1);
    if (callbacks_.on_revoked) callbacks_.on_revoked(message->elements[2].str);
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    fd_ = -1;
  }
  Gap();
}

}  // namespace ttads::auth
