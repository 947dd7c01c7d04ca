#include "libs/fetch/address_guard.h"

#include <arpa/inet.h>
#include <netdb.h>

#include <cstdint>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "libs/status/status_macros.h"

namespace ttads::fetch {
namespace {

bool InRange(uint32_t ip, uint32_t base, int prefix) {
  uint32_t mask = prefix == 0 ? 0 : ~uint32_t{0} << (32 - prefix);
  return (ip & mask) == (base & mask);
}

constexpr uint32_t Ip(int a, int b, int c, int d) {
  return (uint32_t(a) << 24) | (uint32_t(b) << 16) | (uint32_t(c) << 8) |
         uint32_t(d);
}

bool IsPublicV4(uint32_t ip) {
  struct Range {
    uint32_t base;
    int prefix;
  };
  static constexpr Range kBlocked[] = {
      {Ip(0, 0, 0, 0), 8},      {Ip(10, 0, 0, 0), 8},
      {Ip(100, 64, 0, 0), 10},  {Ip(127, 0, 0, 0), 8},
      {Ip(169, 254, 0, 0), 16}, {Ip(172, 16, 0, 0), 12},
      {Ip(192, 0, 0, 0), 24},   {Ip(192, 0, 2, 0), 24},
      {Ip(192, 88, 99, 0), 24}, {Ip(192, 168, 0, 0), 16},
      {Ip(198, 18, 0, 0), 15},  {Ip(198, 51, 100, 0), 24},
      {Ip(203, 0, 113, 0), 24}, {Ip(224, 0, 0, 0), 4},
      {Ip(240, 0, 0, 0), 4},    {Ip(255, 255, 255, 255), 32},
  };
  for (const auto& r : kBlocked) {
    if (InRange(ip, r.base, r.prefix)) return false;
  }
  return true;
}

bool IsPublicV6(const in6_addr& a) {
  const uint8_t* b = a.s6_addr;
  static const uint8_t kZero[16] = {};
  // :: and ::1
  if (std::memcmp(b, kZero, 15) == 0 && (b[15] == 0 || b[15] == 1))
    return false;
  // IPv4-mapped ::ffff:a.b.c.d and IPv4-compatible ::a.b.c.d
  const bool mapped =
      std::memcmp(b, kZero, 10) == 0 && b[10] == 0xff && b[11] == 0xff;
  const bool compatible = std::memcmp(b, kZero, 12) == 0;
  // NAT64 64:ff9b::/96
  static const uint8_t kNat64[12] = {0, 0x64, 0xff, 0x9b, 0, 0,
                                     0, 0,    0,    0,    0, 0};
  const bool nat64 = std::memcmp(b, kNat64, 12) == 0;
  if (mapped || compatible || nat64) {
    uint32_t v4 = (uint32_t(b[12]) << 24) | (uint32_t(b[13]) << 16) |
                  (uint32_t(b[14]) << 8) | uint32_t(b[15]);
    return IsPublicV4(v4);
  }
  if ((b[0] & 0xfe) == 0xfc) return false;                  // fc00::/7
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return false;  // fe80::/10
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0) return false;  // fec0::/10
  if (b[0] == 0xff) return false;                           // multicast
  if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8)
    return false;  // 2001:db8::/32 documentation
  if (b[0] == 0x20 && b[1] == 0x02) {
    // 6to4 2002::/16 embeds an IPv4 address.
    uint32_t v4 = (uint32_t(b[2]) << 24) | (uint32_t(b[3]) << 16) |
                  (uint32_t(b[4]) << 8) | uint32_t(b[5]);
    return IsPublicV4(v4);
  }
  return true;
}

std::string ToText(const sockaddr* address) {
  char buf[INET6_ADDRSTRLEN] = {};
  if (address->sa_family == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(address)->sin_addr,
              buf, sizeof(buf));
  } else if (address->sa_family == AF_INET6) {
    inet_ntop(AF_INET6,
              &reinterpret_cast<const sockaddr_in6*>(address)->sin6_addr, buf,
              sizeof(buf));
  }
  return buf;
}

}  // namespace

bool IsPublicAddress(const sockaddr* address) {
  if (address->sa_family == AF_INET) {
    uint32_t ip =
        ntohl(reinterpret_cast<const sockaddr_in*>(address)->sin_addr.s_addr);
    return IsPublicV4(ip);
  }
  if (address->sa_family == AF_INET6) {
    return IsPublicV6(
        reinterpret_cast<const sockaddr_in6*>(address)->sin6_addr);
  }
  return false;
}

absl::StatusOr<std::vector<std::string>> ResolvePublic(const std::string& host,
                                                       bool allow_private) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* result = nullptr;
  int rc = getaddrinfo(host.c_str(), nullptr, &hints, &result);
  if (rc != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot resolve host \"", host, "\": ", gai_strerror(rc)));
  }
  std::vector<std::string> out;
  absl::Status refused;
  for (addrinfo* ai = result; ai != nullptr; ai = ai->ai_next) {
    if (!allow_private && !IsPublicAddress(ai->ai_addr)) {
      refused = absl::PermissionDeniedError(absl::StrCat(
          "host \"", host, "\" resolves to non-public address ",
          ToText(ai->ai_addr), "; only public addresses may be fetched"));
      break;
    }
    std::string text = ToText(ai->ai_addr);
    if (!text.empty() && std::find(out.begin(), out.end(), text) == out.end())
      out.push_back(std::move(text));
  }
  freeaddrinfo(result);
  TTADS_RETURN_IF_ERROR(refused);
  if (out.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("host \"", host, "\" has no address"));
  }
  return out;
}

}  // namespace ttads::fetch
