#include "libs/tiktok/client_config.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/testing/status_matchers.h"
#include "libs/tiktok/rate_limiter.h"

namespace ttads::tiktok {
namespace {

using ::testing::HasSubstr;
using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;

TEST(ClientOptionsFromConfigTest, ReadsTheCommonKeys) {
  absl::StatusOr<config::Config> config = config::Load(
      config::CommonServiceSchema(50051, 9101), "",
      {{"TTADS_TIKTOK_BASE_URL", "http://sim.local:9090/open_api/v1.3/"},
       {"TTADS_TIKTOK_APP_ID", "app-7"},
       {"TTADS_TIKTOK_APP_SECRET", "not-a-real-secret"},
       {"TTADS_TIKTOK_TIER", "premium"},
       {"TTADS_TOKEN_ENCRYPTION_KEY",
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="}});
  ASSERT_THAT(config, IsOk());
  absl::StatusOr<ClientOptions> options =
      ClientOptionsFromConfig(*config, nullptr);
  ASSERT_THAT(options, IsOk());
  EXPECT_EQ(options->base_url, "http://sim.local:9090/open_api/v1.3/");
  EXPECT_EQ(options->app_id, "app-7");
  EXPECT_EQ(options->app_secret, "not-a-real-secret");
  EXPECT_EQ(options->rate_limiter, nullptr);
  EXPECT_THAT(Client::Create(*options), IsOk());
}

TEST(ClientOptionsFromTest, EveryConfigTierIsATierOfTheClient) {
  // The schema's allowed values and ParseTier must not drift apart.
  for (const std::string& tier : config::TikTokTiers()) {
    config::TikTokAppSettings settings{.base_url = "http://sim.local/",
                                       .app_id = "a",
                                       .app_secret = "s",
                                       .tier = tier};
    EXPECT_THAT(ClientOptionsFrom(settings, nullptr), IsOk()) << tier;
  }
  EXPECT_THAT(ClientOptionsFrom({.tier = "gold"}, nullptr),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("TTADS_TIKTOK_TIER")));
}

}  // namespace
}  // namespace ttads::tiktok
