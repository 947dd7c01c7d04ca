#include "services/audience/refresh_scheduler.h"

#include <algorithm>

#include "absl/time/clock.h"

namespace ttads::audience {

RefreshScheduler::RefreshScheduler(RefreshCycle* cycle, absl::Duration period)
    : cycle_(cycle), period_(period) {}

RefreshScheduler::~RefreshScheduler() { Stop(); }

void RefreshScheduler::Start() {
  stop_ = false;
  thread_ = std::thread([this] {
    while (!stop_) {
      (void)cycle_->RunDue(absl::Now());
      for (absl::Duration left = period_; left > absl::ZeroDuration() && !stop_;
           left -= absl::Milliseconds(50)) {
        absl::SleepFor(std::min(left, absl::Milliseconds(50)));
      }
    }
  });
}

void RefreshScheduler::Stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

}  // namespace ttads::audience
