// Settings: environment and overrides, and the API connection they name.
#include "tools/ttadsctl/settings.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/testing/status_matchers.h"

namespace ttads::ttadsctl {
namespace {

using ::testing::AllOf;
using ::testing::Field;
using ::ttads::testing::IsOk;
using ::ttads::testing::IsOkAndHolds;
using ::ttads::testing::StatusIs;

TEST(LoadSettingsTest, FlagsWinOverTheEnvironmentWhichOnlyGivesTtads) {
  auto settings =
      LoadSettings({{"TTADS_API_KEY", "from-env"}, {"HOME", "/root"}},
                   {{"TTADS_API_KEY", "from-flag"}});
  ASSERT_THAT(settings, IsOk());
  EXPECT_EQ(settings->GetString(kApiKeyKey), "from-flag");
}

TEST(ApiConnectionForTest, NeedsTheAddressThenTheKey) {
  auto none = LoadSettings({}, {});
  ASSERT_THAT(none, IsOk());
  EXPECT_THAT(ApiConnectionFor(*none, kAudienceAddressKey, "--audience-address",
                               absl::Seconds(1)),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "no address: set --audience-address or "
                       "TTADS_AUDIENCE_ADDRESS"));
  auto no_key = LoadSettings({{kAdminApiAddressKey, "identity:50051"}}, {});
  ASSERT_THAT(no_key, IsOk());
  EXPECT_THAT(ApiConnectionFor(*no_key, kAdminApiAddressKey, "--admin-address",
                               absl::Seconds(1)),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "an API key is required: --api-key-file FILE or "
                       "TTADS_API_KEY"));
}

TEST(ApiConnectionForTest, AddressKeyAndTimeout) {
  auto settings = LoadSettings({{kAdminApiAddressKey, "identity:50051"},
                                {kAudienceAddressKey, "audience:50051"},
                                {kApiKeyKey, "ttads_k"}},
                               {});
  ASSERT_THAT(settings, IsOk());
  EXPECT_THAT(ApiConnectionFor(*settings, kAudienceAddressKey,
                               "--audience-address", absl::Milliseconds(250)),
              IsOkAndHolds(AllOf(
                  Field(&ApiConnection::address, "audience:50051"),
                  Field(&ApiConnection::api_key, "ttads_k"),
                  Field(&ApiConnection::timeout, absl::Milliseconds(250)))));
}

}  // namespace
}  // namespace ttads::ttadsctl
