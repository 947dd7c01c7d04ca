#include "tools/tiktok_sim/faults.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/testing/status_matchers.h"

namespace ttads::tiktok_sim {
namespace {

using ::testing::HasSubstr;
using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;

TEST(ParseFaultRuleTest, ParsesAndValidates) {
  auto r = ParseFaultRule({{"path_prefix", "/ad/"},
                           {"mode", "latency"},
                           {"latency_ms", 200},
                           {"rate", 0.5},
                           {"count", 3}});
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->mode, FaultMode::kLatency);
  EXPECT_EQ(r->latency_ms, 200);
  EXPECT_EQ(r->count, 3);
  EXPECT_THAT(ParseFaultRule({{"mode", "explode"}}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("mode:")));
  EXPECT_THAT(ParseFaultRule({{"mode", "code"}, {"rate", 2.0}}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("rate:")));
  EXPECT_THAT(
      ParseFaultRule({{"mode", "latency"}}),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("latency_ms:")));
  EXPECT_THAT(ParseFaultRule({{"mode", "code"}, {"code", "x"}}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("rule:")));
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
