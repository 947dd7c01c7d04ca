#include "services/ads/raw_call_path.h"

#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "libs/status/status.h"
#include "libs/testing/field_violations.h"
#include "libs/testing/status_matchers.h"

namespace ttads::ads {
namespace {

using testing::IsOk;
using testing::IsOkAndHolds;
using testing::StatusIs;
using ::ttads::testing::FirstViolatedField;

// The field named by the first violation of `s`, or "".
TEST(RawCallPathTest, KeepsPlainPathsAndStripsVersionPrefixes) {
  EXPECT_THAT(CanonicalRawCallPath("/ad/get/"), IsOkAndHolds("/ad/get/"));
  EXPECT_THAT(CanonicalRawCallPath("ad/get/"), IsOkAndHolds("/ad/get/"));
  EXPECT_THAT(CanonicalRawCallPath("/open_api/v1.3/report/integrated/get/"),
              IsOkAndHolds("/report/integrated/get/"));
  EXPECT_THAT(CanonicalRawCallPath("/v1.2/campaign/get/"),
              IsOkAndHolds("/campaign/get/"));
  // Decoded once: an encoded letter is that letter.
  EXPECT_THAT(CanonicalRawCallPath("/ad/%67et/"), IsOkAndHolds("/ad/get/"));
}

TEST(RawCallPathTest, RefusesEncodedDotSegments) {
  for (const char* path : {
           "/ad/get/%2e%2e/%2e%2e/oauth2/revoke_token/",
           "/ad/get/%2E%2E/%2E%2E/oauth2/revoke_token/",
           "/ad/get/.%2e/.%2e/oauth2/revoke_token/",
           "/ad/get/%2e/",
           "/ad/get/../ad/create/",
           "/ad/get/./",
       }) {
    auto got = CanonicalRawCallPath(path);
    EXPECT_THAT(got, StatusIs(absl::StatusCode::kInvalidArgument)) << path;
    EXPECT_EQ(FirstViolatedField(got.status()), "path") << path;
  }
}

TEST(RawCallPathTest, RefusesEverythingThatIsNotOneCanonicalPath) {
  for (const char* path : {
           "/ad/get/%252e%252e/oauth2/revoke_token/",  // double encoding
           "/ad/get/%2",                               // short escape
           "/ad/get/%zz/",                             // not hex
           "/ad//get/",                                // empty segment
           "/ad/get/%2f%2fx/",                         // encoded empty segment
           "/ad\\get/",                                // backslash
           "/ad/get/%5c..%5c/",                        // encoded backslash
           "/ad/get/?x=1/",                            // query
           "/ad/get/%3fx=1/",                          // encoded query
           "/ad/get/#f/",                              // fragment
           "/ad/get/%00/",                             // NUL
           "/ad/get/%0d%0aX-Injected:%201/",           // CR LF
           "/ad/get/\x7f/",                            // DEL
           "/",                                        // no endpoint
           "/ad/g\xc3\xa9t/",                          // non-ASCII
       }) {
    auto got = CanonicalRawCallPath(path);
    EXPECT_THAT(got, StatusIs(absl::StatusCode::kInvalidArgument)) << path;
    EXPECT_EQ(FirstViolatedField(got.status()), "path") << path;
  }
}

// Ibexa shows paths relative to open_api without TikTok's trailing '/'
// ("/v1.2/ad/get"); they are sent as their v1.3 endpoint.
TEST(RawCallPathTest, IbexaPathsAreMadeTikToks) {
  EXPECT_EQ(*CanonicalRawCallPath("/v1.2/ad/get"), "/ad/get/");
  EXPECT_EQ(*CanonicalRawCallPath("/v1.3/ad/get"), "/ad/get/");
  EXPECT_EQ(*CanonicalRawCallPath("/ad/get"), "/ad/get/");
  EXPECT_EQ(*CanonicalRawCallPath("v1.3/report/integrated/get"),
            "/report/integrated/get/");
  EXPECT_EQ(*CanonicalRawCallPath("/open_api/v1.3/ad/get"), "/ad/get/");
  EXPECT_EQ(*CanonicalRawCallPath("open_api/v1.2/ad/get/"), "/ad/get/");
}

TEST(RawCallPathTest, OtherVersionsAreRefusedNamingTheVersion) {
  for (const char* path : {"/v1.1/ad/get", "/v2/ad/get/",
                           "/open_api/v1.0/ad/get", "/v1.4/ad/get/"}) {
    auto got = CanonicalRawCallPath(path);
    EXPECT_THAT(got, StatusIs(absl::StatusCode::kInvalidArgument)) << path;
    EXPECT_EQ(FirstViolatedField(got.status()), "path") << path;
    EXPECT_NE(got.status().message().find("is not served"),
              absl::string_view::npos)
        << got.status();
  }
}

// Nothing reaches outside open_api/v1.3.
TEST(RawCallPathTest, RefusesWaysOutOfOpenApi) {
  for (const char* path : {
           "https://business-api.tiktok.com/open_api/v1.3/ad/get/",
           "http://169.254.169.254/latest/meta-data",
           "//evil.example/ad/get/",
           "https:%2f%2fevil.example/ad/get/",
           "/open_api/../ad/get",
           "/v1.3/..",
           "/open_api/%2e%2e/v1.2/ad/get",
           "/v1.3/ad/get?advertiser_id=1",
           "/v1.3/ad/get%3Fadvertiser_id=1",
           "/v1.3/ad/get//",
           "/v1.3",
           "/open_api",
       }) {
    auto got = CanonicalRawCallPath(path);
    EXPECT_THAT(got, StatusIs(absl::StatusCode::kInvalidArgument)) << path;
    EXPECT_EQ(FirstViolatedField(got.status()), "path") << path;
  }
}

TEST(RawCallPathTest, EmptyPathIsRequired) {
  auto got = CanonicalRawCallPath("");
  EXPECT_THAT(got, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(FirstViolatedField(got.status()), "path");
}

TEST(RawCallPathTest, AllowListMatchesWholeSegments) {
  const std::vector<std::string> allow = {"/ad/get/", "/report/",
                                          "/pixel/list"};
  EXPECT_THAT(CheckRawCallAllowed("/ad/get/", allow), IsOk());
  EXPECT_THAT(CheckRawCallAllowed("/report/integrated/get/", allow), IsOk());
  EXPECT_THAT(CheckRawCallAllowed("/pixel/list/", allow), IsOk());
  for (const char* path :
       {"/ad/create/", "/pixel/listx/", "/oauth2/revoke_token/"}) {
    absl::Status s = CheckRawCallAllowed(path, allow);
    EXPECT_THAT(s, StatusIs(absl::StatusCode::kPermissionDenied)) << path;
    EXPECT_EQ(FirstViolatedField(s), "path") << path;
  }
}

}  // namespace
}  // namespace ttads::ads
