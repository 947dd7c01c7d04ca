#ifndef TTADS_LIBS_TESTING_FREE_PORT_H_
#define TTADS_LIBS_TESTING_FREE_PORT_H_

#include "absl/status/statusor.h"

namespace ttads::testing {

// Returns a TCP port on 127.0.0.1 that was free a moment ago: the kernel
// picks it when a socket binds port 0, and the socket is closed before
// returning. Another process may take it before the caller binds it, so
// prefer binding port 0 directly when the code under test allows it; use
// this for child processes that need a port on their command line.
absl::StatusOr<int> FreePort();

}  // namespace ttads::testing

#endif  // TTADS_LIBS_TESTING_FREE_PORT_H_
