#ifndef TTADS_LIBS_FETCH_ADDRESS_GUARD_H_
#define TTADS_LIBS_FETCH_ADDRESS_GUARD_H_

#include <netinet/in.h>
#include <sys/socket.h>

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace ttads::fetch {

// True when `address` is a public unicast address a user-supplied URL may
// reach. Rejected: loopback, RFC 1918 private, carrier-grade NAT
// (100.64/10), link-local (169.254/16 — the cloud metadata endpoint lives
// there — and fe80::/10), unique-local (fc00::/7), multicast, unspecified,
// broadcast, 0/8, benchmarking (198.18/15), documentation and reserved
// ranges, and IPv4-mapped / IPv4-compatible / NAT64 IPv6 forms of any of
// these (checked on the embedded IPv4).
bool IsPublicAddress(const sockaddr* address);

// Resolves `host` (names, dotted, decimal "2130706433", hex "0x7f000001" and
// IPv6 literals all go through the system resolver) and returns the textual
// addresses. When `allow_private` is false every address must be public,
// otherwise PERMISSION_DENIED names the host and the offending address —
// a name that resolves to loopback is refused like the literal.
absl::StatusOr<std::vector<std::string>> ResolvePublic(const std::string& host,
                                                       bool allow_private);

}  // namespace ttads::fetch

#endif  // TTADS_LIBS_FETCH_ADDRESS_GUARD_H_
