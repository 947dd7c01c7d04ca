#include "libs/tiktok/adaptive_interval.h"

#include <algorithm>

namespace ttads::tiktok {

AdaptiveInterval::AdaptiveInterval(Options options)
    : options_(options), current_(options.base) {
  options_.max = std::max(options_.max, options_.base);
  current_ = options_.base;
}

absl::Duration AdaptiveInterval::Next(const BudgetUsage::Snapshot& round) {
  bool short_budget =
      round.deferrals > 0 ||
      (round.calls > 0 && round.waited / round.calls > options_.short_wait);
  if (short_budget) {
    current_ = std::min(options_.max, current_ * 2);
  } else {
    current_ = std::max(options_.base, current_ / 2);
  }
  return current_;
}

}  // namespace ttads::tiktok
