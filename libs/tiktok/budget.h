#ifndef TTADS_LIBS_TIKTOK_BUDGET_H_
#define TTADS_LIBS_TIKTOK_BUDGET_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/time/time.h"
#include "libs/tiktok/rate_limiter.h"

namespace ttads::tiktok {

// Whose budget a TikTok call spends and in which class
// (docs/tiktok-client.md, "Budget classes").
struct BudgetTag {
  WorkClass work_class = WorkClass::kInteractive;
  // The team the call works for ("" unknown).
  std::string team_id;
  // The team's weight in the background/bulk lanes; 0: ask
  // ClientOptions::team_weight (by plan tier), or 1 without one.
  double weight = 0;
};

// What the calls of one BudgetScope spent waiting for budget. Thread-safe;
// the client adds to it from its own threads.
class BudgetUsage {
 public:
  struct Snapshot {
    int64_t calls = 0;      // calls granted a slot
    int64_t deferrals = 0;  // times a background/bulk call was told to wait
    absl::Duration waited = absl::ZeroDuration();  // queue + slot wait
  };

  void RecordGranted(absl::Duration waited) {
    calls_.fetch_add(1, std::memory_order_relaxed);
    waited_us_.fetch_add(absl::ToInt64Microseconds(waited),
                         std::memory_order_relaxed);
  }
  void RecordDeferral() { deferrals_.fetch_add(1, std::memory_order_relaxed); }

  // What was recorded since the previous Take().
  Snapshot Take() {
    Snapshot s;
    s.calls = calls_.exchange(0);
    s.deferrals = deferrals_.exchange(0);
    s.waited = absl::Microseconds(waited_us_.exchange(0));
    return s;
  }

 private:
  std::atomic<int64_t> calls_{0};
  std::atomic<int64_t> deferrals_{0};
  std::atomic<int64_t> waited_us_{0};
};

// Tags every TikTok call the current thread sends while it lives (unless
// the HttpCall names its own class), and collects their usage. Scopes nest;
// the innermost wins. A call site of background work needs one line:
//
//   tiktok::BudgetScope budget({tiktok::WorkClass::kBackground, team_id});
//
// Not copyable or movable; must be destroyed on the thread that made it.
class BudgetScope {
 public:
  explicit BudgetScope(BudgetTag tag);
  ~BudgetScope();
  BudgetScope(const BudgetScope&) = delete;
  BudgetScope& operator=(const BudgetScope&) = delete;

  // The innermost scope of this thread, or null.
  static const BudgetScope* Current();

  const BudgetTag& tag() const { return tag_; }
  const std::shared_ptr<BudgetUsage>& usage() const { return usage_; }
  // Usage since the previous call (for pacing: AdaptiveInterval).
  BudgetUsage::Snapshot TakeUsage() const { return usage_->Take(); }

 private:
  BudgetTag tag_;
  std::shared_ptr<BudgetUsage> usage_;
  const BudgetScope* outer_;
};

// Told about every reservation decision of a client, for metrics
// (service_kit exports them as ttads_tiktok_budget_*). Called on the
// client's limiter thread; must not block.
class BudgetObserver {
 public:
  virtual ~BudgetObserver() = default;
  // A slot was granted after `waited` (time queued in the client plus the
  // wait for the slot itself).
  virtual void OnGranted(const BudgetTag& tag, absl::Duration waited) = 0;
  // A background/bulk call was told to wait (`deferral`).
  virtual void OnDeferred(const BudgetTag& tag, Deferral deferral) = 0;
  // A call failed for want of budget before its deadline.
  virtual void OnRejected(const BudgetTag& tag) = 0;
};

}  // namespace ttads::tiktok

#endif  // TTADS_LIBS_TIKTOK_BUDGET_H_
