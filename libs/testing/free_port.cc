#include "libs/testing/free_port.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <utility>

#include "absl/status/status.h"

namespace ttads::testing {
namespace {

constexpr int kLowestPort = 10000;
constexpr int kMinRangeSize = 2000;
constexpr int kAttempts = 500;

struct PortRange {
  int low = 0;   // inclusive; 0: let the kernel choose (bind port 0)
  int high = 0;  // exclusive
};

PortRange DrawRange() {
  int ephemeral_low = 32768;
  int ephemeral_high = 60999;
  std::ifstream in("/proc/sys/net/ipv4/ip_local_port_range");
  in >> ephemeral_low >> ephemeral_high;
  if (ephemeral_low - kLowestPort >= kMinRangeSize) {
    return {kLowestPort, ephemeral_low};
  }
  if (65536 - (ephemeral_high + 1) >= kMinRangeSize) {
    return {ephemeral_high + 1, 65536};
  }
  return {};
}

// Binds a new socket to 127.0.0.1:port without SO_REUSEADDR; returns the fd
// and the bound port, or an error.
absl::StatusOr<std::pair<int, int>> BindLoopback(int port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    return absl::InternalError(std::string("socket: ") + std::strerror(errno));
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  socklen_t len = sizeof(addr);
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    std::string error = std::strerror(errno);
    close(fd);
    return absl::UnavailableError("bind 127.0.0.1:" + std::to_string(port) +
                                  ": " + error);
  }
  return std::make_pair(fd, static_cast<int>(ntohs(addr.sin_port)));
}

// Draws a port as FreePort documents and returns it with its still-bound
// socket.
absl::StatusOr<std::pair<int, int>> DrawAndBind() {
  static std::mutex mu;
  static std::mt19937 rng(
      std::random_device{}() ^ static_cast<unsigned>(getpid()) ^
      static_cast<unsigned>(
          std::chrono::steady_clock::now().time_since_epoch().count()));
  static std::set<int> handed_out;
  static const PortRange range = DrawRange();

  std::lock_guard<std::mutex> lock(mu);
  if (range.low == 0) return BindLoopback(0);
  std::uniform_int_distribution<int> pick(range.low, range.high - 1);
  absl::Status last = absl::ResourceExhaustedError("no port tried");
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    const int port = pick(rng);
    if (handed_out.count(port) > 0) continue;
    absl::StatusOr<std::pair<int, int>> bound = BindLoopback(port);
    if (!bound.ok()) {
      last = bound.status();
      continue;
    }
    handed_out.insert(port);
    return bound;
  }
  return absl::ResourceExhaustedError(
      "no free port in [" + std::to_string(range.low) + ", " +
      std::to_string(range.high) + ") after " + std::to_string(kAttempts) +
      " tries; last: " + std::string(last.message()));
}

}  // namespace

absl::StatusOr<int> FreePort() {
  absl::StatusOr<std::pair<int, int>> bound = DrawAndBind();
  if (!bound.ok()) return bound.status();
  close(bound->first);
  return bound->second;
}

absl::StatusOr<ReservedPort> ReservedPort::Reserve() {
  absl::StatusOr<std::pair<int, int>> bound = DrawAndBind();
  if (!bound.ok()) return bound.status();
  // Set after the bind, so the bind itself still proved the port unused; a
  // server binding with SO_REUSEADDR may now share it while it is not
  // listening.
  int one = 1;
  if (setsockopt(bound->first, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) !=
      0) {
    std::string error = std::strerror(errno);
    close(bound->first);
    return absl::InternalError("setsockopt SO_REUSEADDR: " + error);
  }
  return ReservedPort(bound->first, bound->second);
}

ReservedPort::ReservedPort(ReservedPort&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), port_(other.port_) {}

ReservedPort& ReservedPort::operator=(ReservedPort&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    port_ = other.port_;
  }
  return *this;
}

ReservedPort::~ReservedPort() {
  if (fd_ >= 0) close(fd_);
}

}  // namespace ttads::testing
