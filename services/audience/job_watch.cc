#include "services/audience/job_watch.h"

#include <set>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace ttads::audience {
namespace {

// What a watcher sees of a job: two records with the same fingerprint
// produce the same SyncJob message.
std::string Fingerprint(const JobRecord& j) {
  std::string f = absl::StrCat(
      static_cast<int>(j.state), "|", j.received, "|", j.duplicates, "|",
      j.settled, "|", j.files_uploaded, "|", absl::ToUnixMillis(j.update_time),
      "|", absl::ToUnixMillis(j.progress_time), "|",
      absl::ToUnixMillis(j.run_start), "|", j.run_start_settled, "|",
      j.errors.size(), "|", j.error_code, "|", j.error_reason);
  for (const auto& [k, v] : j.invalid) absl::StrAppend(&f, "|i", k, "=", v);
  for (const auto& [k, v] : j.uploaded) absl::StrAppend(&f, "|u", k, "=", v);
  return f;
}

}  // namespace

bool IsFinal(JobState state) {
  return state == JobState::kSucceeded || state == JobState::kFailed;
}

JobWatchHub::JobWatchHub(AudienceStore* store, Options options)
    : store_(store), options_(options) {}

JobWatchHub::~JobWatchHub() { Stop(); }

absl::StatusOr<int> JobWatchHub::Add(const JobRecord& seen, Sink sink) {
  std::lock_guard<std::mutex> lock(mu_);
  if (static_cast<int>(watchers_.size()) >= options_.max_watchers) {
    return absl::ResourceExhaustedError(
        absl::StrCat("this replica follows ", options_.max_watchers,
                     " sync jobs already; retry later or poll GetSyncJob"));
  }
  const int handle = next_handle_++;
  watchers_[handle] =
      Watcher{seen.team_id, seen.id, Fingerprint(seen), std::move(sink)};
  return handle;
}

void JobWatchHub::Remove(int handle) {
  // Waits for a delivery in progress (unless called from it), so the sink
  // is not called once this returns.
  std::lock_guard<std::recursive_mutex> delivering(deliver_mu_);
  std::lock_guard<std::mutex> lock(mu_);
  watchers_.erase(handle);
}

size_t JobWatchHub::watchers() const {
  std::lock_guard<std::mutex> lock(mu_);
  return watchers_.size();
}

size_t JobWatchHub::watched_jobs() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::set<std::pair<std::string, std::string>> jobs;
  for (const auto& [handle, w] : watchers_) jobs.emplace(w.team_id, w.job_id);
  return jobs.size();
}

void JobWatchHub::PollOnce() {
  std::set<std::pair<std::string, std::string>> jobs;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [handle, w] : watchers_) jobs.emplace(w.team_id, w.job_id);
  }
  for (const auto& [team, id] : jobs) {
    absl::StatusOr<JobRecord> job = store_->GetJob(team, id);
    if (!job.ok() && !absl::IsNotFound(job.status())) continue;  // next round
    const bool last = !job.ok() || IsFinal(job->state);
    const std::string now = job.ok() ? Fingerprint(*job) : "";
    // Sinks are called outside mu_ (one may end its stream, whose reactor
    // then calls Remove), with copies (Remove destroys the watcher).
    std::lock_guard<std::recursive_mutex> delivering(deliver_mu_);
    std::vector<Sink> sinks;
    {
      std::lock_guard<std::mutex> lock(mu_);
      for (auto it = watchers_.begin(); it != watchers_.end();) {
        Watcher& w = it->second;
        if (w.team_id != team || w.job_id != id) {
          ++it;
          continue;
        }
        if (!job.ok() || w.seen != now || last) {
          w.seen = now;
          sinks.push_back(w.sink);
        }
        it = last ? watchers_.erase(it) : std::next(it);
      }
    }
    for (const Sink& sink : sinks) sink(job);
  }
}

void JobWatchHub::Start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (thread_.joinable()) return;
  stop_ = false;
  thread_ = std::thread([this] {
    std::unique_lock<std::mutex> lock(mu_);
    while (!stop_) {
      cv_.wait_for(lock, absl::ToChronoMilliseconds(options_.poll));
      if (stop_) break;
      lock.unlock();
      PollOnce();
      lock.lock();
    }
  });
}

void JobWatchHub::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace ttads::audience
