#include "libs/config/suggest.h"

#include "gtest/gtest.h"

namespace ttads::config {
namespace {

TEST(EditDistanceTest, CountsInsertionsDeletionsAndSubstitutions) {
  EXPECT_EQ(EditDistance("", ""), 0u);
  EXPECT_EQ(EditDistance("abc", "abc"), 0u);
  EXPECT_EQ(EditDistance("", "abc"), 3u);
  EXPECT_EQ(EditDistance("abc", ""), 3u);
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3u);
  EXPECT_EQ(EditDistance("TTADS_REDIS_ADRESS", "TTADS_REDIS_ADDRESS"), 1u);
  EXPECT_EQ(EditDistance("TTADS_LOG_LEVLE", "TTADS_LOG_LEVEL"), 2u);
}

TEST(ClosestNameTest, PicksTheNearestCloseCandidate) {
  const std::vector<std::string> keys = {
      "TTADS_REDIS_ADDRESS", "TTADS_REDIS_PASSWORD", "TTADS_LOG_LEVEL",
      "TTADS_ADS_ADDRESS"};
  EXPECT_EQ(ClosestName("TTADS_REDIS_ADRESS", keys), "TTADS_REDIS_ADDRESS");
  EXPECT_EQ(ClosestName("TTADS_LOGLEVEL", keys), "TTADS_LOG_LEVEL");
  EXPECT_EQ(ClosestName("ttads_log_level", keys), "");  // 13 edits
  EXPECT_EQ(ClosestName("TTADS_WHATEVER", keys), "");
  EXPECT_EQ(ClosestName("TTADS_X", {}), "");
}

}  // namespace
}  // namespace ttads::config
