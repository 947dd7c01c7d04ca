#include "libs/store/key_schema.h"

#include "gtest/gtest.h"

namespace ttads::store {
namespace {

TEST(HashSlotTest, MatchesTheClusterSpec) {
  // The Redis Cluster specification's CRC16 check value: "123456789" ->
  // 0x31C3; 0x31C3 % 16384 = 12739.
  EXPECT_EQ(HashSlot("123456789"), 12739);
  EXPECT_EQ(HashSlot("foo"), 12182);  // CLUSTER KEYSLOT foo
  EXPECT_EQ(HashSlot("{user1000}.following"), HashSlot("user1000"));
  EXPECT_EQ(HashSlot("{user1000}.following"), HashSlot("{user1000}.followers"));
  // An empty tag does not count: the whole key is hashed.
  EXPECT_NE(HashSlot("foo{}{bar}"), HashSlot("bar"));
  // Only the first tag counts.
  EXPECT_EQ(HashSlot("foo{{bar}}zap"), HashSlot("{bar"));
}

TEST(HashSlotTest, OneTeamIsOneSlot) {
  EXPECT_EQ(HashSlot(TeamKey("tm_a", "team")),
            HashSlot(TeamKey("tm_a", "idem:audience.SyncMembers:req-1")));
  EXPECT_EQ(HashSlot(TeamKey("tm_a", "x")), HashSlot(TeamHashTag("tm_a")));
}

}  // namespace
}  // namespace ttads::store
