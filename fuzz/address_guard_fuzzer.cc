// Fuzzes the public-address guard (libs/fetch/address_guard.h) with URL-host
// tricks: dotted, short ("127.1"), decimal ("2130706433"), hex ("0x7f.1"),
// octal ("0177.0.0.1"), IPv6, IPv4-mapped/compatible and NAT64 forms.
//
// Never does network I/O: a host is handed to ResolvePublic only when the
// C library itself parses it as a numeric address (inet_aton / inet_pton),
// which is exactly when getaddrinfo answers without asking DNS.
//
// Invariants (checked against small independent definitions below):
// - with allow_private=false an accepted host only yields addresses that
//   are not loopback, private, link-local, CGNAT, unspecified or multicast;
// - a host whose parsed address is one of those is refused with
//   PERMISSION_DENIED;
// - IsPublicAddress on raw bytes agrees with the same definitions, and an
//   IPv6-mapped/compatible/NAT64 address is public exactly when its
//   embedded IPv4 is.
#include <arpa/inet.h>
#include <netinet/in.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

#include "libs/fetch/address_guard.h"

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

// Ranges that must never be reachable, whatever else the guard blocks.
bool ForbiddenV4(uint32_t ip) {
  auto in = [ip](uint32_t base, int prefix) {
    uint32_t mask = prefix == 0 ? 0 : ~uint32_t{0} << (32 - prefix);
    return (ip & mask) == base;
  };
  return in(0x00000000, 8) || in(0x0A000000, 8) || in(0x64400000, 10) ||
         in(0x7F000000, 8) || in(0xA9FE0000, 16) || in(0xAC100000, 12) ||
         in(0xC0A80000, 16) || in(0xE0000000, 4) || in(0xF0000000, 4);
}

// The IPv4 address hidden in an IPv6 one (mapped, compatible, NAT64).
bool EmbeddedV4(const in6_addr& a, uint32_t* v4) {
  static const uint8_t kZero[12] = {};
  static const uint8_t kNat64[12] = {0, 0x64, 0xff, 0x9b};
  const uint8_t* b = a.s6_addr;
  const bool mapped =
      std::memcmp(b, kZero, 10) == 0 && b[10] == 0xff && b[11] == 0xff;
  if (!mapped && std::memcmp(b, kZero, 12) != 0 &&
      std::memcmp(b, kNat64, 12) != 0) {
    return false;
  }
  *v4 = (uint32_t(b[12]) << 24) | (uint32_t(b[13]) << 16) |
        (uint32_t(b[14]) << 8) | b[15];
  return true;
}

bool ForbiddenV6(const in6_addr& a) {
  const uint8_t* b = a.s6_addr;
  uint32_t v4;
  if (EmbeddedV4(a, &v4)) return ForbiddenV4(v4);  // includes :: and ::1
  return (b[0] & 0xfe) == 0xfc || (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) ||
         b[0] == 0xff;
}

bool IsPublicV4(uint32_t ip) {
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl(ip);
  return ttads::fetch::IsPublicAddress(reinterpret_cast<sockaddr*>(&sa));
}

bool IsPublicV6(const in6_addr& a) {
  sockaddr_in6 sa{};
  sa.sin6_family = AF_INET6;
  sa.sin6_addr = a;
  return ttads::fetch::IsPublicAddress(reinterpret_cast<sockaddr*>(&sa));
}

bool NumericHostChars(const std::string& host) {
  if (host.empty() || host.size() > 64) return false;
  for (char c : host) {
    const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
                    (c >= 'A' && c <= 'F') || c == 'x' || c == 'X' ||
                    c == '.' || c == ':';
    if (!ok) return false;
  }
  return true;
}

void CheckHost(const std::string& host) {
  if (!NumericHostChars(host)) return;
  in_addr v4{};
  in6_addr v6{};
  bool forbidden;
  if (inet_pton(AF_INET6, host.c_str(), &v6) == 1) {
    forbidden = ForbiddenV6(v6);
  } else if (inet_aton(host.c_str(), &v4) != 0) {
    forbidden = ForbiddenV4(ntohl(v4.s_addr));
  } else {
    return;  // would be a DNS name: never resolved here
  }
  auto resolved = ttads::fetch::ResolvePublic(host, /*allow_private=*/false);
  if (forbidden) {
    Check(!resolved.ok() &&
          resolved.status().code() == absl::StatusCode::kPermissionDenied);
  }
  if (!resolved.ok()) return;
  Check(!resolved->empty());
  for (const std::string& text : *resolved) {
    in6_addr out6{};
    in_addr out4{};
    if (inet_pton(AF_INET6, text.c_str(), &out6) == 1) {
      Check(!ForbiddenV6(out6) && IsPublicV6(out6));
    } else {
      Check(inet_pton(AF_INET, text.c_str(), &out4) == 1);
      Check(!ForbiddenV4(ntohl(out4.s_addr)) && IsPublicV4(ntohl(out4.s_addr)));
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // Raw addresses: 4 bytes as IPv4, 16 as IPv6 (also as mapped forms).
  if (size >= 4) {
    uint32_t ip;
    std::memcpy(&ip, data, 4);
    ip = ntohl(ip);
    if (ForbiddenV4(ip)) Check(!IsPublicV4(ip));
    in6_addr mapped{};
    mapped.s6_addr[10] = mapped.s6_addr[11] = 0xff;
    std::memcpy(&mapped.s6_addr[12], data, 4);
    Check(IsPublicV6(mapped) == IsPublicV4(ip));
    in6_addr nat64{};
    nat64.s6_addr[1] = 0x64;
    nat64.s6_addr[2] = 0xff;
    nat64.s6_addr[3] = 0x9b;
    std::memcpy(&nat64.s6_addr[12], data, 4);
    Check(IsPublicV6(nat64) == IsPublicV4(ip));
  }
  if (size >= 16) {
    in6_addr a;
    std::memcpy(a.s6_addr, data, 16);
    if (ForbiddenV6(a)) Check(!IsPublicV6(a));
  }
  // The same bytes as host text.
  CheckHost(std::string(reinterpret_cast<const char*>(data), size));
  return 0;
}
