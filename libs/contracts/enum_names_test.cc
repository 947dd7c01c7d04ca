#include "libs/contracts/enum_names.h"

#include <string>

#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "libs/testing/status_matchers.h"
#include "ttads/ads/v1/ads_service.pb.h"
#include "ttads/audience/v1/audience_service.pb.h"
#include "ttads/common/v1/common.pb.h"
#include "ttads/identity/v1/identity_service.pb.h"

namespace ttads::contracts {
namespace {

using ::testing::HasSubstr;
using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;

namespace common = ::ttads::common::v1;
namespace ads = ::ttads::ads::v1;
namespace audience = ::ttads::audience::v1;
namespace identity = ::ttads::identity::v1;

TEST(EnumValuePrefixTest, IsTheEnumNameInUpperSnakeCase) {
  EXPECT_EQ(EnumValuePrefix(common::IdentityType_descriptor()),
            "IDENTITY_TYPE_");
  EXPECT_EQ(EnumValuePrefix(identity::AdsAccountMode_descriptor()),
            "ADS_ACCOUNT_MODE_");
  EXPECT_EQ(EnumValuePrefix(common::Role_descriptor()), "ROLE_");
  EXPECT_EQ(EnumValuePrefix(audience::SyncJobState_descriptor()),
            "SYNC_JOB_STATE_");
}

// Every value of every enum in the contracts carries its prefix (the rule
// buf lint checks), so the short names are what the values were called
// before the prefix was added.
TEST(ShortNameTest, DropsThePrefixOfNonZeroValues) {
  EXPECT_EQ(ShortName(common::IDENTITY_TYPE_TT_USER), "TT_USER");
  EXPECT_EQ(ShortName(common::IDENTITY_TYPE_CUSTOMIZED_USER),
            "CUSTOMIZED_USER");
  EXPECT_EQ(ShortName(identity::ADS_ACCOUNT_MODE_ADS_ONLY), "ADS_ONLY");
  EXPECT_EQ(ShortName(ads::AD_OPERATION_DISABLE), "DISABLE");
  EXPECT_EQ(ShortName(audience::SYNC_JOB_STATE_SUCCEEDED), "SUCCEEDED");
}

TEST(ShortNameTest, KeepsTheZeroValueAndUnknownNumbers) {
  EXPECT_EQ(ShortName(common::IDENTITY_TYPE_UNSPECIFIED),
            "IDENTITY_TYPE_UNSPECIFIED");
  EXPECT_EQ(ShortName(static_cast<common::IdentityType>(99)), "");
}

TEST(ParseAnyNameTest, AcceptsFullAndShortNames) {
  common::IdentityType t = common::IDENTITY_TYPE_UNSPECIFIED;
  ASSERT_TRUE(ParseAnyName("TT_USER", &t));
  EXPECT_EQ(t, common::IDENTITY_TYPE_TT_USER);
  ASSERT_TRUE(ParseAnyName("IDENTITY_TYPE_BC_AUTH_TT", &t));
  EXPECT_EQ(t, common::IDENTITY_TYPE_BC_AUTH_TT);
  ASSERT_TRUE(ParseAnyName("IDENTITY_TYPE_UNSPECIFIED", &t));
  EXPECT_EQ(t, common::IDENTITY_TYPE_UNSPECIFIED);
}

TEST(ParseAnyNameTest, RefusesOtherNamesAndLeavesTheOutputAlone) {
  common::IdentityType t = common::IDENTITY_TYPE_AUTH_CODE;
  EXPECT_FALSE(ParseAnyName("UNSPECIFIED", &t));
  EXPECT_FALSE(ParseAnyName("tt_user", &t));
  EXPECT_FALSE(ParseAnyName("", &t));
  EXPECT_FALSE(ParseAnyName("ROLE_OWNER", &t));
  EXPECT_EQ(t, common::IDENTITY_TYPE_AUTH_CODE);
}

TEST(JsonToMessageTest, AcceptsShortAndFullEnumNames) {
  ads::AdInput short_named;
  ASSERT_THAT(JsonToMessage(R"({"identityType":"CUSTOMIZED_USER",
                                "adText":"hi"})",
                            &short_named),
              IsOk());
  EXPECT_EQ(short_named.identity_type(), common::IDENTITY_TYPE_CUSTOMIZED_USER);
  EXPECT_EQ(short_named.ad_text(), "hi");

  audience::Audience full_named;
  ASSERT_THAT(
      JsonToMessage(R"({"identifier_types":["IDENTIFIER_TYPE_EMAIL","PHONE"]})",
                    &full_named),
      IsOk());
  ASSERT_EQ(full_named.identifier_types_size(), 2);
  EXPECT_EQ(full_named.identifier_types(0), audience::IDENTIFIER_TYPE_EMAIL);
  EXPECT_EQ(full_named.identifier_types(1), audience::IDENTIFIER_TYPE_PHONE);
}

// AdInput's closed sets take TikTok's words, not Adspirer's synonyms
// (those are the seeds' routes', ttads.compat.v1).
TEST(JsonToMessageTest, CreateAdEnumsTakeTikToksWords) {
  ads::AdInput req;
  ASSERT_THAT(JsonToMessage(R"({"deeplinkType":"DEFERRED_DEEPLINK",
                                "vertical_video_strategy":"LIVE_STREAM",
                                "darkPostStatus":"DARK_POST_STATUS_ON"})",
                            &req),
              IsOk());
  EXPECT_EQ(req.deeplink_type(), ads::DEEPLINK_TYPE_DEFERRED_DEEPLINK);
  EXPECT_EQ(req.vertical_video_strategy(),
            ads::VERTICAL_VIDEO_STRATEGY_LIVE_STREAM);
  EXPECT_EQ(req.dark_post_status(), ads::DARK_POST_STATUS_ON);
  EXPECT_EQ(ShortName(req.deeplink_type()), "DEFERRED_DEEPLINK");
  EXPECT_THAT(JsonToMessage(R"({"deeplinkType":"DEFERRED"})", &req),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

// Apart from the short names, JsonToMessage is JsonStringToMessage: same
// answers for the same texts, failures included.
TEST(JsonToMessageTest, OtherwiseBehavesAsJsonStringToMessage) {
  for (const char* json :
       {R"({"identityType":"IDENTITY_TYPE_TT_USER","imageIds":["a","b"]})",
        R"({"identityType":"NOPE"})", R"({"colour":"red"})", R"({"adText":3})",
        R"({"identityType":2})", "not json", "{}"}) {
    ads::AdInput ours;
    ads::AdInput theirs;
    ours.set_ad_name("before");
    theirs.set_ad_name("before");
    absl::Status a = JsonToMessage(json, &ours);
    google::protobuf::util::Status b =
        google::protobuf::util::JsonStringToMessage(json, &theirs);
    EXPECT_EQ(a.ok(), b.ok()) << json;
    EXPECT_EQ(std::string(a.message()), std::string(b.message())) << json;
    EXPECT_EQ(ours.SerializeAsString(), theirs.SerializeAsString()) << json;
  }
}

TEST(MessageToShortJsonTest, PrintsShortNamesAndTheZeroValueAsIs) {
  identity::Account account;
  account.set_mode(identity::ADS_ACCOUNT_MODE_LINKED);
  google::protobuf::util::JsonPrintOptions options;
  std::string json;
  ASSERT_THAT(MessageToShortJson(account, options, &json), IsOk());
  EXPECT_EQ(json, R"({"mode":"LINKED"})");

  ads::AdCreation created;
  created.mutable_identity()->set_identity_type(
      common::IDENTITY_TYPE_UNSPECIFIED);
  created.mutable_identity()->set_display_name("x");
  options.always_print_primitive_fields = true;
  options.preserve_proto_field_names = true;
  ASSERT_THAT(MessageToShortJson(created, options, &json), IsOk());
  EXPECT_THAT(json,
              HasSubstr(R"("identity_type":"IDENTITY_TYPE_UNSPECIFIED")"));
  created.mutable_identity()->set_identity_type(common::IDENTITY_TYPE_TTS_TT);
  ASSERT_THAT(MessageToShortJson(created, options, &json), IsOk());
  EXPECT_THAT(json, HasSubstr(R"("identity_type":"TTS_TT")"));
}

}  // namespace
}  // namespace ttads::contracts
