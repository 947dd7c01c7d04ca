#include "libs/testing/redis_server.h"

#include <arpa/inet.h>
#include <hiredis/hiredis.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <thread>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/testing/free_port.h"
#include "libs/testing/status_matchers.h"

namespace ttads::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// Binds 127.0.0.1:port on a new socket (SO_REUSEADDR when `reuse`); returns
// the fd, or -1 when the bind fails.
int BindPort(int port, bool reuse) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  int one = 1;
  if (reuse) setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

// True when a plain bind (what FreePort tries) of 127.0.0.1:port succeeds.
bool PlainBindSucceeds(int port) {
  int fd = BindPort(port, /*reuse=*/false);
  if (fd < 0) return false;
  close(fd);
  return true;
}

// Another test's server on a port: listens on 127.0.0.1:port (SO_REUSEADDR,
// as redis-server does) and answers PING with PONG and INFO with process_id
// 1, like a redis that is not the fixture's.
class ImpostorRedis {
 public:
  explicit ImpostorRedis(int port) {
    fd_ = BindPort(port, /*reuse=*/true);
    if (fd_ >= 0 && listen(fd_, 16) != 0) {
      close(fd_);
      fd_ = -1;
    }
    if (fd_ >= 0) thread_ = std::thread([this] { Serve(); });
  }
  ~ImpostorRedis() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    if (fd_ >= 0) close(fd_);
  }
  bool listening() const { return fd_ >= 0; }
  int connections() const { return connections_; }

 private:
  void Serve() {
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, 20) <= 0) continue;
      int conn = accept(fd_, nullptr, nullptr);
      if (conn < 0) continue;
      ++connections_;
      char buf[4096];
      ssize_t n;
      while ((n = recv(conn, buf, sizeof(buf), 0)) > 0) {
        const std::string request(buf, static_cast<size_t>(n));
        std::string reply = "-ERR unknown\r\n";
        if (request.find("PING") != std::string::npos) reply = "+PONG\r\n";
        if (request.find("INFO") != std::string::npos) {
          const std::string info = "# Server\r\nprocess_id:1\r\n";
          reply = "$" + std::to_string(info.size()) + "\r\n" + info + "\r\n";
        }
        send(conn, reply.data(), reply.size(), MSG_NOSIGNAL);
      }
      close(conn);
    }
  }

  int fd_ = -1;
  std::atomic<bool> stop_{false};
  std::atomic<int> connections_{0};
  std::thread thread_;
};

// Runs one command on a fresh connection; returns the reply as text, or
// "<error>" when the server is unreachable.
std::string RunCommand(int port, const char* command,
                       const std::string& arg = "") {
  redisContext* ctx = redisConnect("127.0.0.1", port);
  if (ctx == nullptr || ctx->err != 0) {
    if (ctx != nullptr) redisFree(ctx);
    return "<error>";
  }
  auto* reply = static_cast<redisReply*>(
      arg.empty() ? redisCommand(ctx, command)
                  : redisCommand(ctx, command, arg.c_str()));
  std::string out = "<error>";
  if (reply != nullptr) {
    out = reply->str != nullptr ? std::string(reply->str, reply->len)
                                : std::to_string(reply->integer);
    freeReplyObject(reply);
  }
  redisFree(ctx);
  return out;
}

TEST(FreePortTest, ReturnsUsablePort) {
  auto port = FreePort();
  ASSERT_THAT(port, IsOk());
  EXPECT_GT(*port, 0);
  EXPECT_TRUE(PlainBindSucceeds(*port));
}

TEST(FreePortTest, DrawsDistinctPortsBelowTheEphemeralRange) {
  int ephemeral_low = 0;
  int ephemeral_high = 0;
  std::ifstream("/proc/sys/net/ipv4/ip_local_port_range") >> ephemeral_low >>
      ephemeral_high;
  if (ephemeral_low < 12000) GTEST_SKIP() << "ephemeral range starts low";
  std::set<int> seen;
  for (int i = 0; i < 50; ++i) {
    auto port = FreePort();
    ASSERT_THAT(port, IsOk());
    EXPECT_GE(*port, 10000);
    EXPECT_LT(*port, ephemeral_low);
    EXPECT_TRUE(seen.insert(*port).second) << *port << " handed out twice";
  }
}

TEST(ReservedPortTest, BlocksPlainBindButNotAReuseAddrServer) {
  auto reserved = ReservedPort::Reserve();
  ASSERT_THAT(reserved, IsOk());
  const int port = reserved->port();
  EXPECT_FALSE(PlainBindSucceeds(port));
  int server = BindPort(port, /*reuse=*/true);
  ASSERT_GE(server, 0);
  EXPECT_EQ(listen(server, 1), 0);
  close(server);
  {
    ReservedPort moved = *std::move(reserved);
    EXPECT_EQ(moved.port(), port);
    EXPECT_FALSE(PlainBindSucceeds(port));
  }
  EXPECT_TRUE(PlainBindSucceeds(port));
}

TEST(RedisServerTest, StartsAnswersAndCleansUp) {
  std::string dir;
  int port = 0;
  {
    auto server = RedisServer::Start();
    ASSERT_THAT(server, IsOk());
    port = (*server)->port();
    dir = (*server)->dir();
    EXPECT_EQ((*server)->address(), "127.0.0.1:" + std::to_string(port));
    EXPECT_EQ(RunCommand(port, "PING"), "PONG");
    EXPECT_EQ(RunCommand(port, "CONFIG GET appendonly").size() > 0, true);
    EXPECT_TRUE(std::filesystem::exists(dir));
  }
  EXPECT_FALSE(std::filesystem::exists(dir));
  EXPECT_EQ(RunCommand(port, "PING"), "<error>");
}

TEST(RedisServerTest, RestartKeepsPortAndData) {
  auto server = RedisServer::Start();
  ASSERT_THAT(server, IsOk());
  const int port = (*server)->port();
  EXPECT_EQ(RunCommand(port, "SET k %s", "v1"), "OK");
  ASSERT_THAT((*server)->Stop(), IsOk());
  EXPECT_EQ(RunCommand(port, "PING"), "<error>");
  ASSERT_THAT((*server)->Restart(), IsOk());
  EXPECT_EQ((*server)->port(), port);
  EXPECT_EQ(RunCommand(port, "GET k"), "v1");
}

TEST(RedisServerTest, KeepsItsPortReservedWhileStopped) {
  auto server = RedisServer::Start();
  ASSERT_THAT(server, IsOk());
  const int port = (*server)->port();
  EXPECT_FALSE(PlainBindSucceeds(port));
  ASSERT_THAT((*server)->Stop(), IsOk());
  EXPECT_FALSE(PlainBindSucceeds(port));
}

// The flake this guards against: while a fixture's server was stopped for a
// restart, another test's server took the port; the restarted fixture took
// that server's PONG for its own and went on to use (and shut down) it.
TEST(RedisServerTest, RestartRefusesAnotherServerOnItsPort) {
  auto server = RedisServer::Start();
  ASSERT_THAT(server, IsOk());
  ASSERT_THAT((*server)->Stop(), IsOk());
  ImpostorRedis impostor((*server)->port());
  ASSERT_TRUE(impostor.listening());
  ASSERT_EQ(RunCommand((*server)->port(), "PING"), "PONG");

  absl::Status restarted = (*server)->Restart();
  EXPECT_THAT(restarted, Not(IsOk()));
  EXPECT_THAT(restarted.message(), HasSubstr((*server)->address()));
  EXPECT_FALSE((*server)->running());
}

TEST(RedisServerTest, PasswordRequired) {
  auto server = RedisServer::Start({.password = "test-only-pw"});
  ASSERT_THAT(server, IsOk());
  std::string reply = RunCommand((*server)->port(), "GET k");
  EXPECT_NE(reply.find("NOAUTH"), std::string::npos) << reply;
}

}  // namespace
}  // namespace ttads::testing
