#include "services/content/content_config.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/testing/status_matchers.h"

namespace ttads::content {
namespace {

using ::testing::HasSubstr;
using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;

// A base64 32-byte key made for this test only.
constexpr char kTestKey[] = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

std::map<std::string, std::string> Env(
    std::map<std::string, std::string> extra = {}) {
  extra.emplace("TTADS_TIKTOK_APP_SECRET", "s");
  extra.emplace("TTADS_TOKEN_ENCRYPTION_KEY", kTestKey);
  return extra;
}

TEST(ContentConfigTest, Defaults) {
  auto raw = config::Load(ContentSchema(), "", Env());
  ASSERT_THAT(raw, IsOk());
  auto typed = ContentConfigFrom(*raw);
  ASSERT_THAT(typed, IsOk());
  EXPECT_EQ(typed->common.listen_address, "0.0.0.0:50055");
  EXPECT_EQ(typed->common.admin_address, "0.0.0.0:9105");
  EXPECT_EQ(typed->open.base_url, "https://open.tiktokapis.com/");
  EXPECT_EQ(typed->open.login.client_secret, "s");  // The app's secret.
  EXPECT_EQ(typed->watch_interval, absl::Seconds(30));
  EXPECT_EQ(typed->refresh_margin, absl::Minutes(10));
}

TEST(ContentConfigTest, OwnKeysTypedAndChecked) {
  auto raw = config::Load(ContentSchema(), "",
                          Env({{"TTADS_CONTENT_WATCH_INTERVAL_SECONDS", "2"},
                               {"TTADS_TIKTOK_CLIENT_KEY", "ck"},
                               {"TTADS_TIKTOK_CLIENT_SECRET", "cs"}}));
  ASSERT_THAT(raw, IsOk());
  auto typed = ContentConfigFrom(*raw);
  ASSERT_THAT(typed, IsOk());
  EXPECT_EQ(typed->watch_interval, absl::Seconds(2));
  EXPECT_EQ(typed->open.login.client_key, "ck");
  EXPECT_EQ(typed->open.login.client_secret, "cs");
  auto bad = config::Load(ContentSchema(), "",
                          Env({{"TTADS_CONTENT_WATCH_INTERVAL_SECONDS", "0"}}));
  EXPECT_THAT(bad, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(bad.status().message(),
              HasSubstr("TTADS_CONTENT_WATCH_INTERVAL_SECONDS"));
}

}  // namespace
}  // namespace ttads::content
