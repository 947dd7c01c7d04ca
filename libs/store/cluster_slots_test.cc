#include "libs/store/cluster_slots.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/store/key_schema.h"
#include "libs/testing/status_matchers.h"

namespace ttads::store {
namespace {

using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;
using Type = RedisReply::Type;

RedisReply Int(int64_t v) {
  return RedisReply{.type = Type::kInteger, .integer = v};
}
RedisReply Str(std::string s) {
  return RedisReply{.type = Type::kString, .str = std::move(s)};
}
RedisReply Arr(std::vector<RedisReply> e) {
  return RedisReply{.type = Type::kArray, .elements = std::move(e)};
}
RedisReply Node(std::string host, int port) {
  return Arr({Str(std::move(host)), Int(port), Str("0123abcd")});
}

const RedisEndpoint kAsked{.host = "10.0.0.9", .port = 7000};

TEST(ClusterSlotsTest, ParsesRangesMastersAndEmptyHost) {
  // Redis 7's shape: [start, end, master, replica...], nodes with an id.
  RedisReply reply = Arr({
      Arr({Int(0), Int(5460), Node("10.0.0.1", 7000), Node("10.0.0.4", 7000)}),
      Arr({Int(5461), Int(10922), Node("", 7001)}),
      Arr({Int(10923), Int(16383), Node("10.0.0.3", 7002)}),
  });
  auto map = ParseClusterSlots(reply, kAsked);
  ASSERT_THAT(map, IsOk());
  EXPECT_EQ(map->covered(), kClusterSlots);
  ASSERT_EQ(map->masters().size(), 3u);
  EXPECT_EQ(map->Master(0)->ToString(), "10.0.0.1:7000");
  EXPECT_EQ(map->Master(5460)->ToString(), "10.0.0.1:7000");
  // An empty host is the node that was asked.
  EXPECT_EQ(map->Master(5461)->ToString(), "10.0.0.9:7001");
  EXPECT_EQ(map->Master(16383)->ToString(), "10.0.0.3:7002");
  EXPECT_EQ(map->Master(-1), nullptr);
  EXPECT_EQ(map->Master(kClusterSlots), nullptr);
}

TEST(ClusterSlotsTest, UncoveredAndUnknownEndpointsHaveNoMaster) {
  RedisReply reply = Arr({Arr({Int(0), Int(99), Node("10.0.0.1", 7000)}),
                          Arr({Int(100), Int(199), Node("?", 7001)})});
  auto map = ParseClusterSlots(reply, kAsked);
  ASSERT_THAT(map, IsOk());
  EXPECT_EQ(map->covered(), 100);
  EXPECT_EQ(map->Master(150), nullptr);
  EXPECT_EQ(map->Master(200), nullptr);
}

TEST(ClusterSlotsTest, AssignMovesOneSlot) {
  auto map = ParseClusterSlots(
      Arr({Arr({Int(0), Int(16383), Node("10.0.0.1", 7000)})}), kAsked);
  ASSERT_THAT(map, IsOk());
  map->Assign(42, RedisEndpoint{.host = "10.0.0.2", .port = 7001});
  EXPECT_EQ(map->Master(42)->ToString(), "10.0.0.2:7001");
  EXPECT_EQ(map->Master(41)->ToString(), "10.0.0.1:7000");
  EXPECT_EQ(map->masters().size(), 2u);
  map->Assign(43, RedisEndpoint{.host = "10.0.0.2", .port = 7001});
  EXPECT_EQ(map->masters().size(), 2u);  // known master reused
}

TEST(ClusterSlotsTest, RefusesBadShapes) {
  for (const RedisReply& bad : {
           RedisReply{.type = Type::kError,
          .str = "ERR This instance has "
                 "cluster support disabled"},
           Str("x"),
           Arr({Arr({Int(0), Int(16384), Node("a", 1)})}),
           Arr({Arr({Int(10), Int(5), Node("a", 1)})}),
           Arr({Arr({Int(0), Int(5), Node("a", 0)})}),
           Arr({Arr({Int(0), Int(5)})}),
           Arr({Arr({Str("0"), Int(5), Node("a", 1)})}),
       }) {
    EXPECT_THAT(ParseClusterSlots(bad, kAsked),
                StatusIs(absl::StatusCode::kInternal));
  }
}

TEST(ClusterSlotsTest, ParsesMovedAndAsk) {
  const RedisEndpoint from{.host = "10.0.0.1", .port = 7000};
  auto moved = ParseRedirect("MOVED 3999 127.0.0.1:6381", from);
  ASSERT_TRUE(moved.has_value());
  EXPECT_EQ(moved->kind, Redirect::Kind::kMoved);
  EXPECT_EQ(moved->slot, 3999);
  EXPECT_EQ(moved->target.ToString(), "127.0.0.1:6381");

  auto ask = ParseRedirect("ASK 16383 redis-2.internal:7002", from);
  ASSERT_TRUE(ask.has_value());
  EXPECT_EQ(ask->kind, Redirect::Kind::kAsk);
  EXPECT_EQ(ask->slot, 16383);
  EXPECT_EQ(ask->target.ToString(), "redis-2.internal:7002");

  // Redis 7 leaves the host out when the endpoint is the one in use.
  auto same_host = ParseRedirect("MOVED 1 :7005", from);
  ASSERT_TRUE(same_host.has_value());
  EXPECT_EQ(same_host->target.ToString(), "10.0.0.1:7005");

  auto v6 = ParseRedirect("ASK 7 [::1]:7001", from);
  ASSERT_TRUE(v6.has_value());
  EXPECT_EQ(v6->target.host, "::1");
  EXPECT_EQ(v6->target.port, 7001);
}

TEST(ClusterSlotsTest, OtherErrorsAreNotRedirects) {
  const RedisEndpoint from{.host = "h", .port = 1};
  for (const char* text :
       {"TRYAGAIN Multiple keys request during rehashing of slot",
        "CLUSTERDOWN The cluster is down", "ERR unknown command", "MOVED",
        "MOVED x 1.2.3.4:5", "MOVED 16384 1.2.3.4:5", "MOVED 1 1.2.3.4",
        "MOVED 1 1.2.3.4:0", "ASK 1 1.2.3.4:99999", "MOVEDX 1 a:1"}) {
    EXPECT_FALSE(ParseRedirect(text, from).has_value()) << text;
  }
}

TEST(ClusterSlotsTest, CommandSlotFindsTheKey) {
  const std::string key = TeamKey("t1", "conn:c1");
  const int slot = HashSlot(key);
  EXPECT_EQ(CommandSlot({"GET", key}), slot);
  EXPECT_EQ(CommandSlot({"hset", key, "f", "v"}), slot);
  EXPECT_EQ(CommandSlot({"EVALSHA", "abc", "2", key, "other", "arg"}), slot);
  EXPECT_EQ(CommandSlot({"eval", "return 1", "1", key}), slot);
  EXPECT_EQ(CommandSlot({"XREADGROUP", "GROUP", "g", "c", "COUNT", "1", "BLOCK",
                         "10", "STREAMS", key, ">"}),
            slot);
  EXPECT_EQ(CommandSlot({"XGROUP", "CREATE", key, "g", "0", "MKSTREAM"}), slot);
  EXPECT_EQ(CommandSlot({"ZUNION", "2", key, "x"}), slot);
  EXPECT_EQ(CommandSlot({"BZMPOP", "1", "1", key, "MIN"}), slot);
  // Without keys: any node.
  for (const std::vector<std::string>& keyless :
       std::vector<std::vector<std::string>>{
           {"PING"},
           {"PUBLISH", "ttads:revocations", "x"},
           {"EVAL", "return 1", "0"},
           {"SCAN", "0"},
           {"MULTI"},
           {"WAIT", "1", "100"},
           {"XREAD", "COUNT", "1"},
           {"GET"}}) {
    EXPECT_FALSE(CommandSlot(keyless).has_value()) << keyless[0];
  }
  EXPECT_FALSE(CommandSlot({}).has_value());
}

}  // namespace
}  // namespace ttads::store
