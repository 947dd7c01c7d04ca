// AdsConfigFrom: every ads key typed once, from defaults and overrides.
#include "services/ads/ads_config.h"

#include <map>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/status/status_macros.h"
#include "libs/testing/status_matchers.h"

namespace ttads::ads {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;

// AdsConfigFrom of `env` loaded with AdsSchema().
absl::StatusOr<AdsConfig> From(const std::map<std::string, std::string>& env) {
  TTADS_ASSIGN_OR_RETURN(config::Config config,
                         config::Load(AdsSchema(), "", env));
  return AdsConfigFrom(config);
}

// The common keys a loadable configuration needs (no default).
std::map<std::string, std::string> Required() {
  return {{"TTADS_TOKEN_ENCRYPTION_KEY", std::string(43, 'A') + "="},
          {"TTADS_TIKTOK_APP_ID", "app"},
          {"TTADS_TIKTOK_APP_SECRET", "secret"}};
}

TEST(AdsConfigTest, DefaultsAreTheDocumentedOnes) {
  auto loaded = From(Required());
  ASSERT_THAT(loaded, IsOk());
  const AdsConfig& c = *loaded;
  EXPECT_THAT(c.raw_call_allowlist, ElementsAre("/ad/get/", "/campaign/get/",
                                                "/adgroup/get/", "/report/"));
  EXPECT_EQ(c.watch_interval, absl::Seconds(5));
  EXPECT_EQ(c.work_threads, 32);
  EXPECT_EQ(c.idempotency_lease, absl::Minutes(2));
  EXPECT_TRUE(c.preflight);
  EXPECT_FALSE(c.creatives.fetch.allow_private);
  EXPECT_TRUE(c.http_media_hosts.empty());
  EXPECT_EQ(c.creatives.max_image_bytes, 5u << 20);
  EXPECT_EQ(c.creatives.max_video_bytes, size_t{500} << 20);
  // The common keys are typed in the same load (the kit's listen address).
  EXPECT_EQ(c.common.listen_address, "0.0.0.0:50053");
  EXPECT_EQ(c.common.tiktok.app_id, "app");
}

TEST(AdsConfigTest, OverridesAreTypedAndListsTrimmed) {
  auto env = Required();
  env["TTADS_ADS_RAW_CALL_ALLOWLIST"] = " /ad/get/ , /report/,";
  env["TTADS_ADS_WATCH_INTERVAL_MS"] = "250";
  env["TTADS_ADS_WORK_THREADS"] = "4";
  env["TTADS_ADS_IDEMPOTENCY_LEASE_MS"] = "5000";
  env["TTADS_ADS_PREFLIGHT"] = "false";
  env["TTADS_FETCH_ALLOW_PRIVATE"] = "true";
  env["TTADS_FETCH_PRIVATE_ALLOWLIST"] = "127.0.0.1:8080, media:9000";
  env["TTADS_FETCH_MAX_IMAGE_BYTES"] = "1024";
  env["TTADS_IDENTITY_ADDRESS"] = "identity:7000";
  auto loaded = From(env);
  ASSERT_THAT(loaded, IsOk());
  const AdsConfig& c = *loaded;
  EXPECT_THAT(c.raw_call_allowlist, ElementsAre("/ad/get/", "/report/"));
  EXPECT_EQ(c.watch_interval, absl::Milliseconds(250));
  EXPECT_EQ(c.work_threads, 4);
  EXPECT_EQ(c.idempotency_lease, absl::Seconds(5));
  EXPECT_FALSE(c.preflight);
  EXPECT_TRUE(c.creatives.fetch.allow_private);
  EXPECT_THAT(c.http_media_hosts, ElementsAre("127.0.0.1:8080", "media:9000"));
  EXPECT_EQ(c.creatives.fetch.private_allowlist, c.http_media_hosts);
  EXPECT_EQ(c.creatives.max_image_bytes, 1024u);
  EXPECT_EQ(c.common.peers.identity, "identity:7000");
}

TEST(AdsConfigTest, OutOfRangeValuesNameTheKey) {
  auto env = Required();
  env["TTADS_ADS_WORK_THREADS"] = "0";
  EXPECT_THAT(From(env), StatusIs(absl::StatusCode::kInvalidArgument,
                                  HasSubstr("TTADS_ADS_WORK_THREADS")));
}

}  // namespace
}  // namespace ttads::ads
