#ifndef TTADS_LIBS_AUTH_REVOCATION_WATCHER_H_
#define TTADS_LIBS_AUTH_REVOCATION_WATCHER_H_

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "libs/store/redis.h"

namespace ttads::auth {

// RedisTeamStore::RevokeApiKey publishes the SHA-256 hex digest of every
// revoked key on this channel (after the key has stopped authenticating);
// RotateApiKey publishes the old key's digest once its lookup carries its
// expiry. Either way a cache drops the digest and re-reads it on next use.
inline constexpr std::string_view kRevocationChannel = "ttads:apikey:revoked";

// Lets a process cache Authenticate results and still refuse a revoked key
// within milliseconds of its revocation anywhere: a background thread holds
// a SUBSCRIBE connection to kRevocationChannel and reports each revoked
// digest. Revocations published while the subscription is down are lost,
// so the watcher reports a *gap* whenever the subscription drops, and
// live() is false until it is re-established. A correct cache therefore:
//   - bypasses itself (asks the store) while !live();
//   - erases the digest on on_revoked and clears itself on on_gap;
//   - reads epoch() before asking the store and inserts the answer only if
//     epoch() is unchanged afterwards (a revocation or gap in between may
//     concern the answer).
// Re-dials with backoff up to 2 s. Callbacks run on the watcher's thread
// and must be quick and must not call back into the watcher's destructor.
class RevocationWatcher {
 public:
  struct Callbacks {
    std::function<void(const std::string& key_sha256)> on_revoked;
    std::function<void()> on_gap;
  };

  // Starts the thread; never fails (an unreachable Redis just keeps the
  // watcher not live). `options.pool_size` is ignored.
  static std::unique_ptr<RevocationWatcher> Start(store::RedisOptions options,
                                                  Callbacks callbacks);
  ~RevocationWatcher();
  RevocationWatcher(const RevocationWatcher&) = delete;
  RevocationWatcher& operator=(const RevocationWatcher&) = delete;

  bool live() const { return live_.load(); }
  // Incremented on every revocation message and every gap.
  uint64_t epoch() const { return epoch_.load(); }
  // Blocks until live() or `timeout` passes; returns live().
  bool WaitLive(std::chrono::milliseconds timeout);

 private:
  RevocationWatcher(store::RedisOptions options, Callbacks callbacks);
  void Loop();
  // Runs one subscription until it breaks or Stop.
  void Subscribe();
  void Gap();

  const store::RedisOptions options_;
  const Callbacks callbacks_;
  std::atomic<bool> live_{false};
  std::atomic<uint64_t> epoch_{0};
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;  // guarded by mu_
  int fd_ = -1;            // guarded by mu_; the subscription socket
  std::thread thread_;
};

}  // namespace ttads::auth

#endif  // TTADS_LIBS_AUTH_REVOCATION_WATCHER_H_
