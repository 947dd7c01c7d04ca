#ifndef TTADS_LIBS_TESTING_FREE_PORT_H_
#define TTADS_LIBS_TESTING_FREE_PORT_H_

#include "absl/status/statusor.h"

namespace ttads::testing {

// Returns a TCP port on 127.0.0.1 that was free a moment ago, for child
// processes that need a port on their command line (prefer binding port 0
// directly when the code under test allows it).
//
// Ports are drawn at random from below the kernel's ephemeral range
// (10000 up to the low end of /proc/sys/net/ipv4/ip_local_port_range, as
// scripts/free_ports.sh does), so the kernel never hands the same port to an
// outgoing connection or to a server binding port 0 (gRPC test servers do);
// randomness makes two parallel test processes unlikely to draw the same
// port. A port is returned only if a plain bind (no SO_REUSEADDR) succeeds
// on it: nothing listens there, no ReservedPort holds it, no connection on it
// lingers in TIME_WAIT. A process never gets the same port twice. When the
// ephemeral range leaves fewer than 2000 ports below it, the ports above it
// are used, and failing that the kernel's choice for port 0.
absl::StatusOr<int> FreePort();

// A port drawn like FreePort's and held for as long as this object lives:
// the socket is bound (not listening) with SO_REUSEADDR, so FreePort, in this
// or any other process, does not hand the port out, while a server that binds
// with SO_REUSEADDR (redis-server does) can still bind and listen on it, and
// bind it again after a restart. Not inherited by child processes.
class ReservedPort {
 public:
  static absl::StatusOr<ReservedPort> Reserve();

  ReservedPort(ReservedPort&& other) noexcept;
  ReservedPort& operator=(ReservedPort&& other) noexcept;
  ReservedPort(const ReservedPort&) = delete;
  ReservedPort& operator=(const ReservedPort&) = delete;
  ~ReservedPort();

  int port() const { return port_; }

 private:
  ReservedPort(int fd, int port) : fd_(fd), port_(port) {}

  int fd_ = -1;
  int port_ = 0;
};

}  // namespace ttads::testing

#endif  // TTADS_LIBS_TESTING_FREE_PORT_H_
