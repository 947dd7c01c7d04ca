#include "libs/fetch/fetch_config.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/testing/status_matchers.h"

namespace ttads::fetch {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;

config::Schema FetchSchema() {
  config::Schema schema;
  AddFetchKeys(schema);
  return schema;
}

TEST(FetchConfigTest, DefaultsArePublicOnlyAndFiveMegabytes) {
  auto config = config::Load(FetchSchema(), "", {});
  ASSERT_THAT(config, IsOk());
  FetchOptions options = FetchOptionsFromConfig(*config);
  EXPECT_FALSE(options.allow_private);
  EXPECT_TRUE(options.private_allowlist.empty());
  EXPECT_EQ(options.max_bytes, 5u * 1024 * 1024);
  EXPECT_TRUE(options.require_https);
}

TEST(FetchConfigTest, ReadsEveryKeyAndTrimsTheAllowList) {
  auto config = config::Load(
      FetchSchema(), "",
      {{"TTADS_FETCH_ALLOW_PRIVATE", "true"},
       {"TTADS_FETCH_PRIVATE_ALLOWLIST", " media:8080 ,, 10.0.0.5:443 "},
       {"TTADS_FETCH_MAX_IMAGE_BYTES", "1000"}});
  ASSERT_THAT(config, IsOk());
  FetchOptions options = FetchOptionsFromConfig(*config);
  EXPECT_TRUE(options.allow_private);
  EXPECT_THAT(options.private_allowlist,
              ElementsAre("media:8080", "10.0.0.5:443"));
  EXPECT_EQ(options.max_bytes, 1000u);
}

TEST(FetchConfigTest, OutOfRangeSizeNamesTheKey) {
  EXPECT_THAT(
      config::Load(FetchSchema(), "", {{"TTADS_FETCH_MAX_IMAGE_BYTES", "0"}}),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("TTADS_FETCH_MAX_IMAGE_BYTES")));
}

}  // namespace
}  // namespace ttads::fetch
