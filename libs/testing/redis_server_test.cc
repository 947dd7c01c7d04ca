#include "libs/testing/redis_server.h"

#include <hiredis/hiredis.h>
#include <signal.h>

#include <filesystem>
#include <string>

#include "gtest/gtest.h"
#include "libs/testing/free_port.h"
#include "libs/testing/status_matchers.h"

namespace ttads::testing {
namespace {

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

TEST(RedisServerTest, PasswordRequired) {
  auto server = RedisServer::Start({.password = "test-only-pw"});
  ASSERT_THAT(server, IsOk());
  std::string reply = RunCommand((*server)->port(), "GET k");
  EXPECT_NE(reply.find("NOAUTH"), std::string::npos) << reply;
}

}  // namespace
}  // namespace ttads::testing
