#ifndef TTADS_SERVICES_AUDIENCE_REFRESH_SCHEDULER_H_
#define TTADS_SERVICES_AUDIENCE_REFRESH_SCHEDULER_H_

#include <atomic>
#include <thread>

#include "absl/time/time.h"
#include "services/audience/refresh_cycle.h"

namespace ttads::audience {

// A thread that runs the refresh cycle (RefreshCycle::RunDue at the current
// time) every `period`, from Start until Stop (or destruction). A failed run
// is retried at the next period. Stop returns within about 50 ms plus the
// run in progress.
class RefreshScheduler {
 public:
  RefreshScheduler(RefreshCycle* cycle, absl::Duration period);
  ~RefreshScheduler();
  RefreshScheduler(const RefreshScheduler&) = delete;
  RefreshScheduler& operator=(const RefreshScheduler&) = delete;

  void Start();
  void Stop();

 private:
  RefreshCycle* cycle_;
  absl::Duration period_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace ttads::audience

#endif  // TTADS_SERVICES_AUDIENCE_REFRESH_SCHEDULER_H_
