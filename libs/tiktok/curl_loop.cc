#include "libs/tiktok/curl_loop.h"

#include <algorithm>
#include <mutex>

namespace ttads::tiktok {
namespace {

// Upper bound on one poll, so a missed wakeup can never stall the loop.
constexpr int kMaxPollMs = 1000;

void GlobalInitOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

}  // namespace

CurlLoop::CurlLoop() : CurlLoop(Options{}) {}

CurlLoop::CurlLoop(const Options& options) {
  GlobalInitOnce();
  multi_ = curl_multi_init();
  curl_multi_setopt(multi_, CURLMOPT_MAXCONNECTS,
                    options.max_cached_connections);
  if (options.max_total_connections > 0) {
    curl_multi_setopt(multi_, CURLMOPT_MAX_TOTAL_CONNECTIONS,
                      options.max_total_connections);
  }
  thread_ = std::thread([this] { Run(); });
  thread_id_ = thread_.get_id();
}

CurlLoop::~CurlLoop() {
  Shutdown();
  curl_multi_cleanup(multi_);
}

bool CurlLoop::InLoopThread() const {
  return std::this_thread::get_id() == thread_id_;
}

void CurlLoop::Add(CURL* easy, TransferDone done) {
  {
    absl::MutexLock lock(&mu_);
    if (!stopped_) {
      pending_.push_back({easy, std::move(done)});
      curl_multi_wakeup(multi_);
      return;
    }
  }
  done(CURLE_ABORTED_BY_CALLBACK);
}

void CurlLoop::RunAt(absl::Time when, Task task) {
  {
    absl::MutexLock lock(&mu_);
    if (!stopped_) {
      timers_.push(Timer{when, next_seq_++, std::move(task)});
      curl_multi_wakeup(multi_);
      return;
    }
  }
  task();
}

void CurlLoop::Shutdown() {
  {
    absl::MutexLock lock(&mu_);
    stop_requested_ = true;
    curl_multi_wakeup(multi_);
  }
  if (thread_.joinable()) {
    if (InLoopThread()) {
      // Destroying the loop from one of its own callbacks cannot join; the
      // owner must not do that.
      thread_.detach();
    } else {
      thread_.join();
    }
  }
}

void CurlLoop::StartPending(std::vector<PendingAdd>& adds) {
  for (PendingAdd& add : adds) {
    CURLMcode rc = curl_multi_add_handle(multi_, add.easy);
    if (rc != CURLM_OK) {
      add.done(CURLE_FAILED_INIT);
      continue;
    }
    transfers_.emplace(add.easy, std::move(add.done));
    active_.fetch_add(1);
  }
  adds.clear();
}

void CurlLoop::RunDueTimers() {
  absl::Time now = absl::Now();
  while (true) {
    Task task;
    {
      absl::MutexLock lock(&mu_);
      if (timers_.empty() || timers_.top().when > now) return;
      task = std::move(timers_.top().task);
      timers_.pop();
    }
    task();
  }
}

void CurlLoop::CollectFinished() {
  int queued = 0;
  while (CURLMsg* msg = curl_multi_info_read(multi_, &queued)) {
    if (msg->msg != CURLMSG_DONE) continue;
    CURL* easy = msg->easy_handle;
    CURLcode result = msg->data.result;
    curl_multi_remove_handle(multi_, easy);
    auto it = transfers_.find(easy);
    if (it == transfers_.end()) continue;
    TransferDone done = std::move(it->second);
    transfers_.erase(it);
    active_.fetch_sub(1);
    done(result);
  }
}

void CurlLoop::Run() {
  std::vector<PendingAdd> adds;
  while (true) {
    bool stop;
    {
      absl::MutexLock lock(&mu_);
      stop = stop_requested_;
      if (!stop) adds.swap(pending_);  // If stopping, Drain() aborts them.
    }
    if (stop) break;
    StartPending(adds);
    RunDueTimers();
    int running = 0;
    curl_multi_perform(multi_, &running);
    CollectFinished();

    long curl_ms = -1;
    curl_multi_timeout(multi_, &curl_ms);
    int timeout_ms = kMaxPollMs;
    if (curl_ms >= 0) timeout_ms = std::min<long>(timeout_ms, curl_ms);
    {
      absl::MutexLock lock(&mu_);
      if (!pending_.empty() || stop_requested_) {
        timeout_ms = 0;
      } else if (!timers_.empty()) {
        absl::Duration until = timers_.top().when - absl::Now();
        int64_t ms = absl::ToInt64Milliseconds(absl::Ceil(
            std::max(until, absl::ZeroDuration()), absl::Milliseconds(1)));
        timeout_ms = static_cast<int>(std::min<int64_t>(timeout_ms, ms));
      }
    }
    if (timeout_ms > 0) {
      curl_multi_poll(multi_, nullptr, 0, timeout_ms, nullptr);
    }
  }
  Drain();
}

void CurlLoop::Drain() {
  // Abort transfers in flight.
  std::vector<std::pair<CURL*, TransferDone>> aborted;
  for (auto& [easy, done] : transfers_) {
    curl_multi_remove_handle(multi_, easy);
    aborted.emplace_back(easy, std::move(done));
  }
  transfers_.clear();
  active_.store(0);
  for (auto& [easy, done] : aborted) done(CURLE_ABORTED_BY_CALLBACK);
  // Run what is left until nothing new appears; callbacks may add more.
  while (true) {
    std::vector<PendingAdd> adds;
    Task task;
    {
      absl::MutexLock lock(&mu_);
      adds.swap(pending_);
      if (adds.empty() && !timers_.empty()) {
        task = std::move(timers_.top().task);
        timers_.pop();
      }
      if (adds.empty() && !task) {
        stopped_ = true;
        return;
      }
    }
    for (PendingAdd& add : adds) add.done(CURLE_ABORTED_BY_CALLBACK);
    if (task) task();
  }
}

}  // namespace ttads::tiktok
