#ifndef TTADS_SERVICES_AUDIENCE_JOB_WATCH_H_
#define TTADS_SERVICES_AUDIENCE_JOB_WATCH_H_

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/audience/audience_store.h"

namespace ttads::audience {

// Whether a job can change no more (SUCCEEDED or FAILED).
bool IsFinal(JobState state);

// Follows sync jobs for WatchSyncJob. Each watched job has one source in
// the process, however many watch it: every `poll` one thread reads the
// record of each watched job once (one HGETALL and its lists) and hands it
// to each of the job's watchers whose last seen state differs (state,
// counts, progress, errors). A watcher is dropped after it got a final
// state (SUCCEEDED or FAILED) or NOT_FOUND (the job was deleted); Redis
// errors are skipped (the next round reads again). At most `max_watchers`
// watchers at a time, so the polling a process does is bounded.
class JobWatchHub {
 public:
  struct Options {
    absl::Duration poll = absl::Milliseconds(200);
    int max_watchers = 1000;
  };
  // A job as it changed (a final state last), or NOT_FOUND (last). Called
  // on the polling thread, one sink at a time; it may call Remove (e.g.
  // when it ends its stream) but must not block on another thread that
  // calls the hub.
  using Sink = std::function<void(const absl::StatusOr<JobRecord>& job)>;

  JobWatchHub(AudienceStore* store, Options options);
  ~JobWatchHub();
  JobWatchHub(const JobWatchHub&) = delete;
  JobWatchHub& operator=(const JobWatchHub&) = delete;

  // Watches the job `seen` (as the caller last read it): `sink` gets every
  // state that differs from the last one it got. Returns a handle for
  // Remove. RESOURCE_EXHAUSTED when max_watchers are watching.
  absl::StatusOr<int> Add(const JobRecord& seen, Sink sink);
  // Stops delivering to `handle` (unknown handles are ignored); once it
  // returns the sink is not called again.
  void Remove(int handle);

  // One round: reads each watched job and delivers changes. The thread
  // calls it every `poll`; tests call it directly.
  void PollOnce();
  void Start();
  void Stop();

  size_t watchers() const;
  size_t watched_jobs() const;

 private:
  struct Watcher {
    std::string team_id;
    std::string job_id;
    std::string seen;  // fingerprint of the last state delivered
    Sink sink;
  };

  AudienceStore* store_;
  const Options options_;
  // Held while sinks are called; Remove takes it, so it returns only after
  // a delivery in progress (recursive: a sink may call Remove).
  std::recursive_mutex deliver_mu_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::map<int, Watcher> watchers_;  // guarded by mu_
  int next_handle_ = 1;              // guarded by mu_
  bool stop_ = false;                // guarded by mu_
  std::thread thread_;
};

}  // namespace ttads::audience

#endif  // TTADS_SERVICES_AUDIENCE_JOB_WATCH_H_
