#ifndef TTADS_LIBS_FETCH_STALLING_SERVER_H_
#define TTADS_LIBS_FETCH_STALLING_SERVER_H_

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/time/time.h"

namespace ttads::fetch::testing {

// A test HTTP server on 127.0.0.1 (ephemeral port) that never finishes an
// answer: for each connection it reads the request head, sends a 200 head
// promising a large body plus a few bytes of it, then waits until the client
// closes the connection. It counts requests and connections the client
// closed, so a test can prove a download was cut short (and that nothing
// was requested at all) without measuring time.
class StallingServer {
 public:
  StallingServer();
  ~StallingServer();  // Stops accepting and closes open connections.

  int port() const { return port_; }
  std::string Url(const std::string& path) const;

  // Request heads received so far.
  int requests() const { return requests_.load(); }
  // Connections the client closed while the answer was stalled.
  int closed_by_client() const { return closed_by_client_.load(); }
  // Waits until closed_by_client() >= n or `timeout` passes; returns
  // whether it got there.
  bool WaitClosedByClient(int n, absl::Duration timeout);

 private:
  void Serve(int fd);

  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> requests_{0};
  std::atomic<int> closed_by_client_{0};
  std::mutex mu_;
  std::condition_variable cv_;
  std::thread acceptor_;
  std::vector<std::thread> connections_;
  std::vector<int> open_fds_;
};

}  // namespace ttads::fetch::testing

#endif  // TTADS_LIBS_FETCH_STALLING_SERVER_H_
