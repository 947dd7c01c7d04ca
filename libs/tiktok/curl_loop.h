#ifndef TTADS_LIBS_TIKTOK_CURL_LOOP_H_
#define TTADS_LIBS_TIKTOK_CURL_LOOP_H_

#include <curl/curl.h>

#include <atomic>
#include <cstdint>
#include <queue>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/any_invocable.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace ttads::tiktok {

// One thread driving a libcurl multi handle: every transfer added to the
// loop runs concurrently on that one thread (curl_multi_poll), so thousands
// of slow requests need no thread each. The multi handle's connection cache
// is shared by all transfers, so HTTP/1.1 keep-alive connections are reused.
// The loop also runs timers, which is how callers wait (rate limiting,
// backoff) without blocking a thread.
//
// Thread safety: Add(), RunAt() and Post() may be called from any thread,
// including from callbacks running on the loop. Callbacks run on the loop
// thread and must not block.
//
// Shutdown (explicit or by the destructor): transfers in flight finish with
// CURLE_ABORTED_BY_CALLBACK, pending timers run immediately (in time order),
// and anything added afterwards runs inline on the adding thread (transfers
// complete at once with CURLE_ABORTED_BY_CALLBACK). So every callback runs
// exactly once and callers can release their state in it.
class CurlLoop {
 public:
  using TransferDone = absl::AnyInvocable<void(CURLcode)>;
  using Task = absl::AnyInvocable<void()>;

  struct Options {
    // Connections kept in the multi handle's cache for reuse.
    long max_cached_connections = 256;
    // Limit on open connections (0: unlimited; more transfers queue inside
    // libcurl).
    long max_total_connections = 0;
  };

  CurlLoop();
  explicit CurlLoop(const Options& options);
  CurlLoop(const CurlLoop&) = delete;
  CurlLoop& operator=(const CurlLoop&) = delete;
  ~CurlLoop();

  // Starts `easy` on the loop. The loop owns nothing: the caller keeps
  // `easy` (and everything it points to) alive until `done` runs; by then
  // the handle has been removed from the multi handle and may be cleaned up
  // inside `done`.
  void Add(CURL* easy, TransferDone done);

  // Runs `task` on the loop at or after `when`.
  void RunAt(absl::Time when, Task task);
  void Post(Task task) { RunAt(absl::InfinitePast(), std::move(task)); }

  // Stops the loop as described above and joins its thread. Idempotent.
  void Shutdown();

  bool InLoopThread() const;
  // Transfers currently inside the multi handle.
  int64_t active_transfers() const { return active_.load(); }

 private:
  struct Timer {
    absl::Time when;
    uint64_t seq;
    mutable Task task;
    bool operator>(const Timer& other) const {
      return when != other.when ? when > other.when : seq > other.seq;
    }
  };
  struct PendingAdd {
    CURL* easy;
    TransferDone done;
  };

  void Run();
  void StartPending(std::vector<PendingAdd>& adds);
  void RunDueTimers();
  void CollectFinished();
  void Drain();

  CURLM* multi_ = nullptr;
  std::thread thread_;
  std::thread::id thread_id_;
  std::atomic<int64_t> active_{0};
  std::unordered_map<CURL*, TransferDone> transfers_;  // loop thread only

  mutable absl::Mutex mu_;
  bool stop_requested_ ABSL_GUARDED_BY(mu_) = false;
  bool stopped_ ABSL_GUARDED_BY(mu_) = false;  // drained; run inline now
  uint64_t next_seq_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<PendingAdd> pending_ ABSL_GUARDED_BY(mu_);
  std::priority_queue<Timer, std::vector<Timer>, std::greater<>> timers_
      ABSL_GUARDED_BY(mu_);
};

}  // namespace ttads::tiktok

#endif  // TTADS_LIBS_TIKTOK_CURL_LOOP_H_
