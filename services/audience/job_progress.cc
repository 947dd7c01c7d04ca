#include "services/audience/job_progress.h"

#include <algorithm>

namespace ttads::audience {

JobProgress ProgressOf(const JobRecord& job) {
  JobProgress p;
  p.total = job.received;
  // A record written before `settled` existed, or a worker that settled a
  // file's tail twice, never reports more than the total.
  p.done = std::clamp<int64_t>(job.settled, 0, p.total);
  if (job.progress_time > absl::UnixEpoch())
    p.progress_time = job.progress_time;
  if (job.state == JobState::kReceiving) return p;
  if (p.total > 0) {
    p.percent =
        100.0 * static_cast<double>(p.done) / static_cast<double>(p.total);
  } else if (job.state == JobState::kSucceeded) {
    p.percent = 100;
  }
  if (job.state != JobState::kRunning || job.run_start <= absl::UnixEpoch() ||
      job.progress_time <= job.run_start) {
    return p;
  }
  const int64_t since_claim = job.settled - job.run_start_settled;
  if (since_claim <= 0) return p;
  const absl::Duration elapsed = job.progress_time - job.run_start;
  const int64_t left = p.total - p.done;
  p.eta =
      elapsed * (static_cast<double>(left) / static_cast<double>(since_claim));
  return p;
}

}  // namespace ttads::audience
