#include "tools/tiktok_sim/faults.h"

#include "gtest/gtest.h"

namespace ttads::tiktok_sim {
namespace {

TEST(ParseFaultRuleTest, ParsesAndValidates) {
  auto r = ParseFaultRule({{"path_prefix", "/ad/"},
                           {"mode", "latency"},
                           {"latency_ms", 200},
                           {"rate", 0.5},
                           {"count", 3}});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->mode, FaultMode::kLatency);
  EXPECT_EQ(r->latency_ms, 200);
  EXPECT_EQ(r->count, 3);
  EXPECT_FALSE(ParseFaultRule({{"mode", "explode"}}).ok());
  EXPECT_FALSE(ParseFaultRule({{"mode", "code"}, {"rate", 2.0}}).ok());
  EXPECT_FALSE(ParseFaultRule({{"mode", "latency"}}).ok());
  EXPECT_FALSE(ParseFaultRule({{"mode", "code"}, {"code", "x"}}).ok());
}

TEST(FaultSetTest, MatchesPrefixesAndConsumesCount) {
  FaultSet set;
  FaultRule r;
  r.path_prefix = "/open_api/v1.3/ad/create/";
  r.count = 2;
  set.Add(r);
  EXPECT_FALSE(set.Pick("/ad/get/").has_value());
  EXPECT_TRUE(set.Pick("/ad/create/").has_value());
  EXPECT_TRUE(set.Pick("/ad/create/").has_value());
  EXPECT_FALSE(set.Pick("/ad/create/").has_value());
}

TEST(FaultSetTest, EmptyPrefixMatchesEverythingAndRateIsHonoured) {
  FaultSet set;
  FaultRule never;
  never.rate = 0.0;
  set.Add(never);
  EXPECT_FALSE(set.Pick("/identity/get/").has_value());
  set.Clear();
  FaultRule half;
  half.rate = 0.5;
  set.Add(half);
  int fired = 0;
  for (int i = 0; i < 1000; ++i) fired += set.Pick("/x/").has_value();
  EXPECT_GT(fired, 350);
  EXPECT_LT(fired, 650);
}

}  // namespace
}  // namespace ttads::tiktok_sim
