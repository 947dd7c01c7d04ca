#ifndef TTADS_LIBS_TIKTOK_ADAPTIVE_INTERVAL_H_
#define TTADS_LIBS_TIKTOK_ADAPTIVE_INTERVAL_H_

#include "absl/time/time.h"
#include "libs/tiktok/budget.h"

namespace ttads::tiktok {

// The pause between two rounds of background work (a watch poll, an upload
// chunk) that stretches while the app's budget is short and returns to its
// base when it frees (docs/tiktok-client.md, "Background work that
// adapts").
//
// After each round, Next() is given the round's BudgetUsage (from the
// round's BudgetScope). The budget counts as short when any call of the
// round was deferred, or the calls waited on average more than
// `short_wait` for their slots; then the pause doubles (up to `max`).
// Otherwise it halves back towards `base`. Doubling backs off quickly
// while TikTok's budget is spent elsewhere; halving returns within a few
// rounds once it is not. Not thread-safe (one per poller).
class AdaptiveInterval {
 public:
  struct Options {
    absl::Duration base = absl::Seconds(5);
    absl::Duration max = absl::Seconds(60);
    absl::Duration short_wait = absl::Milliseconds(250);
  };
  explicit AdaptiveInterval(Options options);

  // The pause to take now, given the round just finished.
  absl::Duration Next(const BudgetUsage::Snapshot& round);
  absl::Duration current() const { return current_; }
  // Whether the pause is above its base.
  bool stretched() const { return current_ > options_.base; }

 private:
  Options options_;
  absl::Duration current_;
};

}  // namespace ttads::tiktok

#endif  // TTADS_LIBS_TIKTOK_ADAPTIVE_INTERVAL_H_
