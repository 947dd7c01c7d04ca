#ifndef TTADS_LIBS_HTTP_INTERNAL_DEADLINE_H_
#define TTADS_LIBS_HTTP_INTERNAL_DEADLINE_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <limits>

namespace ttads::http::internal {

// A connection's one pending deadline: a steady-clock value stored with each
// state change, and what it means when it passes. Timeouts are deadlines,
// not timers: arming a timer per request (schedule, cancel, and the
// cancelled wait's completion) cost more than the request's own I/O. The
// server's sweeper polls Due() a few times per timeout period.
//
// Set/Clear/kind on the connection's thread; Due from any thread (the
// sweeper).
class Deadline {
 public:
  using Clock = std::chrono::steady_clock;
  // What the connection waits for when the deadline passes.
  enum class Kind {
    kIdle,    // The next request's first byte, or a write to drain.
    kRead,    // The rest of a request (head, body or a body piece).
    kLinger,  // The client's EOF after the connection's last answer.
  };

  // Steady-clock ticks, the unit of Due().
  static int64_t Now() { return Clock::now().time_since_epoch().count(); }

  // Due `after` from now; replaces any earlier deadline.
  void Set(Kind kind, Clock::duration after) {
    kind_ = kind;
    due_.store((Clock::now() + after).time_since_epoch().count(),
               std::memory_order_relaxed);
  }
  // No deadline until the next Set.
  void Clear() { due_.store(kNone, std::memory_order_relaxed); }
  // Whether a deadline is set and `now` (Now()) is at or past it.
  bool Due(int64_t now) const {
    const int64_t due = due_.load(std::memory_order_relaxed);
    return due != kNone && now >= due;
  }
  // The kind of the last Set.
  Kind kind() const { return kind_; }

 private:
  static constexpr int64_t kNone = std::numeric_limits<int64_t>::max();

  std::atomic<int64_t> due_{kNone};
  Kind kind_ = Kind::kIdle;
};

}  // namespace ttads::http::internal

#endif  // TTADS_LIBS_HTTP_INTERNAL_DEADLINE_H_
