#include "tools/ttadsctl/interrupt.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

namespace ttads::ttadsctl {
namespace {

// The pipe's write end for the handler; -1 outside an object's life.
std::atomic<int> signal_fd{-1};
struct sigaction previous_int, previous_term;

// A signal's byte: 's'. The destructor's: 'x'.
void OnSignal(int) {
  const int fd = signal_fd.load();
  if (fd >= 0) {
    const char byte = 's';
    (void)!write(fd, &byte, 1);
  }
}

int pipe_fds[2] = {-1, -1};

}  // namespace

CancelOnInterrupt::CancelOnInterrupt(grpc::ClientContext* context)
    : context_(context) {
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) return;
  signal_fd.store(pipe_fds[1]);
  struct sigaction action = {};
  action.sa_handler = OnSignal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, &previous_int);
  sigaction(SIGTERM, &action, &previous_term);
  const int read_fd = pipe_fds[0];
  waiter_ = std::thread([this, read_fd] {
    char byte = 0;
    ssize_t n;
    do {
      n = read(read_fd, &byte, 1);
    } while (n < 0 && errno == EINTR);
    if (n == 1 && byte == 's') {
      interrupted_.store(true);
      context_->TryCancel();
    }
  });
}

CancelOnInterrupt::~CancelOnInterrupt() {
  if (!waiter_.joinable()) return;
  sigaction(SIGINT, &previous_int, nullptr);
  sigaction(SIGTERM, &previous_term, nullptr);
  signal_fd.store(-1);
  const char byte = 'x';
  (void)!write(pipe_fds[1], &byte, 1);
  waiter_.join();
  close(pipe_fds[0]);
  close(pipe_fds[1]);
  pipe_fds[0] = pipe_fds[1] = -1;
}

}  // namespace ttads::ttadsctl
