#include "libs/config/known_keys.h"

#include <algorithm>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ttads::config {
namespace {

TEST(KnownKeysTest, HoldsTheKeysOfEveryBinaryAndOfTheScripts) {
  for (const char* key : {
           "TTADS_REDIS_ADDRESS",              // every service (common)
           "TTADS_PREFLIGHT_RESULT_CACHE_MS",  // preflight
           "TTADS_AUDIENCE_WORKERS",           // audience
           "TTADS_GATEWAY_THREADS",            // gateway
           "TTADS_OAUTH_CONSENT_URL",          // identity
           "TTADS_CONFIG",                     // the env-file path
           "TTADS_RUN_DIR",                    // scripts/up.sh
           "TTADS_TEST_BIN_DIR",               // set by ctest (cmake/)
       }) {
    EXPECT_TRUE(IsKnownKey(key)) << key;
  }
}

TEST(KnownKeysTest, LeavesOutKeysOnlyTestsName) {
  // Named in config_test.cc only.
  EXPECT_FALSE(IsKnownKey("TTADS_REDIS_ADRESS"));
  EXPECT_FALSE(IsKnownKey("TTADS_QQQQQQQQQQQQ"));
  EXPECT_FALSE(IsKnownKey("TTADS_"));
  EXPECT_FALSE(IsKnownKey(""));
}

TEST(KnownKeysTest, SortedAndDistinct) {
  const std::vector<std::string>& keys = KnownKeys();
  EXPECT_TRUE(std::is_sorted(keys.begin(), keys.end()));
  EXPECT_EQ(std::adjacent_find(keys.begin(), keys.end()), keys.end());
  for (const std::string& key : keys) {
    EXPECT_THAT(key, ::testing::StartsWith("TTADS_"));
  }
}

}  // namespace
}  // namespace ttads::config
