#include "services/preflight/preflight_config.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/testing/status_matchers.h"

namespace ttads::preflight {
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

TEST(PreflightConfigTest, Defaults) {
  auto raw = config::Load(PreflightSchema(), "", Env());
  ASSERT_THAT(raw, IsOk());
  auto typed = PreflightConfigFrom(*raw);
  ASSERT_THAT(typed, IsOk());
  EXPECT_EQ(typed->common.listen_address, "0.0.0.0:50052");
  EXPECT_EQ(typed->common.admin_address, "0.0.0.0:9102");
  EXPECT_EQ(typed->common.peers.identity, "127.0.0.1:50051");
  EXPECT_EQ(typed->asset_cache_ttl, absl::Seconds(60));
  EXPECT_EQ(typed->result_cache, absl::Seconds(2));
}

TEST(PreflightConfigTest, OwnKeysTyped) {
  auto raw =
      config::Load(PreflightSchema(), "",
                   Env({{"TTADS_PREFLIGHT_ASSET_CACHE_TTL_SECONDS", "120"},
                        {"TTADS_PREFLIGHT_RESULT_CACHE_MS", "0"},
                        {"TTADS_IDENTITY_ADDRESS", "identity.svc:50051"}}));
  ASSERT_THAT(raw, IsOk());
  auto typed = PreflightConfigFrom(*raw);
  ASSERT_THAT(typed, IsOk());
  EXPECT_EQ(typed->asset_cache_ttl, absl::Minutes(2));
  EXPECT_EQ(typed->result_cache, absl::ZeroDuration());
  EXPECT_EQ(typed->common.peers.identity, "identity.svc:50051");
}

TEST(PreflightConfigTest, OutOfRangeValuesNameTheKey) {
  EXPECT_THAT(
      config::Load(PreflightSchema(), "",
                   Env({{"TTADS_PREFLIGHT_ASSET_CACHE_TTL_SECONDS", "0"}})),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("TTADS_PREFLIGHT_ASSET_CACHE_TTL_SECONDS")));
  EXPECT_THAT(config::Load(PreflightSchema(), "",
                           Env({{"TTADS_PREFLIGHT_RESULT_CACHE_MS", "60001"}})),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("TTADS_PREFLIGHT_RESULT_CACHE_MS")));
}

TEST(PreflightConfigTest, MisspeltKeyIsReportedWithTheRightOne) {
  auto raw = config::Load(PreflightSchema(), "",
                          Env({{"TTADS_PREFLIGHT_RESULT_CACHE_SECONDS", "5"}}));
  ASSERT_THAT(raw, IsOk());
  ASSERT_EQ(raw->warnings().size(), 1u);
  EXPECT_THAT(raw->warnings()[0],
              HasSubstr("TTADS_PREFLIGHT_RESULT_CACHE_SECONDS: set in the "
                        "environment but no ttads binary reads it; did you "
                        "mean TTADS_PREFLIGHT_RESULT_CACHE_MS?"));
}

}  // namespace
}  // namespace ttads::preflight
