#include "libs/tiktok/client_config.h"

#include "gtest/gtest.h"

namespace ttads::tiktok {
namespace {

TEST(ClientOptionsFromConfigTest, ReadsTheCommonKeys) {
  absl::StatusOr<config::Config> config = config::Load(
      config::CommonServiceSchema(50051, 9101), "",
      {{"TTADS_TIKTOK_BASE_URL", "http://sim.local:9090/open_api/v1.3/"},
       {"TTADS_TIKTOK_APP_ID", "app-7"},
       {"TTADS_TIKTOK_APP_SECRET", "not-a-real-secret"},
       {"TTADS_TIKTOK_TIER", "premium"},
       {"TTADS_TOKEN_ENCRYPTION_KEY",
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="}});
  ASSERT_TRUE(config.ok()) << config.status();
  absl::StatusOr<ClientOptions> options =
      ClientOptionsFromConfig(*config, nullptr);
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->base_url, "http://sim.local:9090/open_api/v1.3/");
  EXPECT_EQ(options->app_id, "app-7");
  EXPECT_EQ(options->app_secret, "not-a-real-secret");
  EXPECT_EQ(options->rate_limiter, nullptr);
  EXPECT_TRUE(Client::Create(*options).ok());
}

}  // namespace
}  // namespace ttads::tiktok
