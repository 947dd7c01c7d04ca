#ifndef TTADS_TOOLS_TTADSCTL_INTERRUPT_H_
#define TTADS_TOOLS_TTADSCTL_INTERRUPT_H_

#include <atomic>
#include <thread>

#include "grpcpp/client_context.h"

// Ctrl-C (SIGINT) or SIGTERM during a long call: while an object lives,
// either signal cancels `context` (the call then ends CANCELLED) instead of
// killing the process, so the command can say what happened and exit with
// kExitInterrupted. The signal handler only writes to a pipe; a thread
// waiting on that pipe calls TryCancel. The previous handlers are restored
// on destruction. One object at a time per process.
namespace ttads::ttadsctl {

// 128 + SIGINT, as shells report a command stopped by Ctrl-C.
inline constexpr int kExitInterrupted = 130;

class CancelOnInterrupt {
 public:
  explicit CancelOnInterrupt(grpc::ClientContext* context);
  ~CancelOnInterrupt();
  CancelOnInterrupt(const CancelOnInterrupt&) = delete;
  CancelOnInterrupt& operator=(const CancelOnInterrupt&) = delete;

  // A signal arrived (and the call was cancelled).
  bool interrupted() const { return interrupted_.load(); }

 private:
  grpc::ClientContext* context_;
  std::atomic<bool> interrupted_{false};
  std::thread waiter_;
};

}  // namespace ttads::ttadsctl

#endif  // TTADS_TOOLS_TTADSCTL_INTERRUPT_H_
