#ifndef TTADS_LIBS_TIKTOK_LIMITER_WORKER_H_
#define TTADS_LIBS_TIKTOK_LIMITER_WORKER_H_

#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "absl/functional/any_invocable.h"
#include "absl/time/time.h"
#include "libs/tiktok/rate_limiter.h"

namespace ttads::tiktok {

// The Client's rate-limit thread: runs rate-limiter reservations (which may
// block on Redis) off the curl loop thread, one job at a time.
//
// - Order: interactive jobs first, in submission order; then background
//   jobs, then bulk jobs, each lane keeping one queue per team, taken
//   round-robin (teams in name order, starting after the last one served).
// - A job that returns a deferral goes back to the front of its team's
//   queue, and nothing of its lane (`whole_lane`, TikTok's kLaneBusy) or of
//   its team (kOverShare) is tried before the deferral ends. Interactive
//   jobs never defer (their answer is ignored).
// - After Stop() (or destruction), queued jobs and any job submitted later
//   run with cancelled=true: queued ones on the worker thread as it exits,
//   later ones inline on the submitting thread.
//
// Thread safety: Submit() and Stop() may be called from any thread.
class LimiterWorker {
 public:
  struct Deferred {
    absl::Duration after;
    bool whole_lane = true;
  };
  // Returns a deferral to be run again later, or nullopt when done.
  using Job = absl::AnyInvocable<std::optional<Deferred>(bool cancelled)>;

  LimiterWorker();
  ~LimiterWorker();

  LimiterWorker(const LimiterWorker&) = delete;
  LimiterWorker& operator=(const LimiterWorker&) = delete;

  // Queues `job`; `team` is ignored for interactive work.
  void Submit(WorkClass work_class, const std::string& team, Job job);
  // Runs what is queued as cancelled and joins the thread. Idempotent.
  void Stop();

 private:
  struct TeamQueue {
    std::deque<Job> jobs;
    absl::Time not_before = absl::InfinitePast();
  };
  struct Lane {
    std::map<std::string, TeamQueue> teams;
    absl::Time not_before = absl::InfinitePast();
    std::string last_team;  // round-robin position
  };

  static int LaneIndex(WorkClass work_class);

  // The next ready background/bulk job (moved out of its queue), or the
  // earliest time one becomes ready in `*wake`. Requires mu_.
  bool TakeReady(absl::Time now, Job* job, int* lane_index, std::string* team,
                 absl::Time* wake);
  void Run();

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Job> interactive_;
  Lane lanes_[2];  // background, bulk
  bool stop_ = false;
  bool stopped_ = false;
  std::thread thread_;
};

}  // namespace ttads::tiktok

#endif  // TTADS_LIBS_TIKTOK_LIMITER_WORKER_H_
