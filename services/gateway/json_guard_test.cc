#include "services/gateway/json_guard.h"

#include <string>

#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "libs/status/status.h"
#include "libs/testing/field_violations.h"
#include "libs/testing/status_matchers.h"
#include "ttads/ads/v1/ads_service.pb.h"
#include "ttads/compat/v1/adspirer_tools_service.pb.h"

namespace ttads::gateway {
namespace {

using ::testing::HasSubstr;
using ::ttads::testing::FirstViolatedField;
using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;

const google::protobuf::Descriptor* CreateAd() {
  return ads::v1::AdInput::descriptor();
}
const google::protobuf::Descriptor* Tool() {
  return compat::v1::ExecuteAddTikTokAdRequest::descriptor();
}
const google::protobuf::Descriptor* RawCall() {
  return ads::v1::CallTikTokApiRequest::descriptor();
}

TEST(JsonGuardTest, AcceptsOrdinaryRequests) {
  EXPECT_THAT(CheckRequestJson(R"({"adgroupId":"1","ad_text":"Hi \u00e9",)"
                               R"("imageIds":["a","b"],"validateOnly":true})",
                               CreateAd()),
              IsOk());
  EXPECT_THAT(
      CheckRequestJson(R"({"imageIds":null,"validate_only":null})", CreateAd()),
      IsOk());
  EXPECT_THAT(CheckRequestJson(R"({"path":"/ad/get/","query":{"a":"1"},)"
                               R"("body":{"x":[1,{"y":[true,null]}]}})",
                               RawCall()),
              IsOk());
  // Unknown fields and bad values are protobuf's to report.
  EXPECT_THAT(CheckRequestJson(R"({"colour":1})", CreateAd()), IsOk());
}

TEST(JsonGuardTest, InvalidUtf8IsRefusedNamingTheField) {
  absl::Status s = CheckRequestJson(
      "{\"ad_text\":\"\xff\xfe\",\"adgroup_id\":\"x\"}", CreateAd());
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument,
                          HasSubstr("not valid UTF-8")));
  EXPECT_EQ(FirstViolatedField(s), "ad_text");
  // The message carries none of the offending bytes.
  EXPECT_EQ(std::string(s.message()).find('\xff'), std::string::npos);

  s = CheckRequestJson(R"({"arguments":{"adText":"\ud800"}})", Tool());
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(FirstViolatedField(s), "arguments.ad_text");

  s = CheckRequestJson("{\"body\":{\"k\":[\"ok\",\"\xc0\xaf\"]}}", RawCall());
  EXPECT_EQ(FirstViolatedField(s), "body.k[1]");
}

TEST(JsonGuardTest, DepthIsCappedBeforeParsing) {
  std::string deep = R"({"body":{"x":)" + std::string(200 * 1024, '[') +
                     std::string(200 * 1024, ']') + "}}";
  absl::Status s = CheckRequestJson(deep, RawCall());
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(s.message(), HasSubstr("nested deeper than 32 levels"));
  EXPECT_THAT(FirstViolatedField(s), HasSubstr("body.x[0][0]"));

  std::string ok = R"({"body":{"x":)" + std::string(kMaxJsonDepth - 2, '[') +
                   std::string(kMaxJsonDepth - 2, ']') + "}}";
  EXPECT_THAT(CheckRequestJson(ok, RawCall()), IsOk());
}

TEST(JsonGuardTest, SizeIsCapped) {
  std::string big = R"({"ad_text":")" + std::string(kMaxJsonBytes, 'a') + "\"}";
  absl::Status s = CheckRequestJson(big, CreateAd());
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kResourceExhausted));
  EXPECT_EQ(FirstViolatedField(s), "body");
}

TEST(JsonGuardTest, BoolsTakeOnlyTrueOrFalse) {
  for (const char* value : {R"("yes")", R"("true")", "1", R"("")"}) {
    absl::Status s = CheckRequestJson(
        std::string(R"({"arguments":{"validate_only":)") + value + "}}",
        Tool());
    EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument)) << value;
    EXPECT_EQ(FirstViolatedField(s), "arguments.validate_only") << value;
    EXPECT_THAT(s.message(), HasSubstr("expected true or false"));
  }
}

TEST(JsonGuardTest, RepeatedFieldsTakeArraysAndMapsObjects) {
  absl::Status s = CheckRequestJson(R"({"imageIds":"img1"})", CreateAd());
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument,
                          HasSubstr("expected a JSON array")));
  EXPECT_EQ(FirstViolatedField(s), "image_ids");

  s = CheckRequestJson(R"({"query":["a"]})", RawCall());
  EXPECT_EQ(FirstViolatedField(s), "query");
  EXPECT_THAT(s.message(), HasSubstr("expected a JSON object"));
}

TEST(JsonGuardTest, MalformedJsonNamesThePlace) {
  absl::Status s = CheckRequestJson(R"({"accountId": "a",)", CreateAd());
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument,
                          HasSubstr("invalid JSON in body")));
  s = CheckRequestJson("", CreateAd(), "line 3");
  EXPECT_THAT(s.message(), HasSubstr("invalid JSON in line 3"));
}

}  // namespace
}  // namespace ttads::gateway
