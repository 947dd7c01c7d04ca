// RawCaller against the fake TikTok: the path and method rules and the
// allow-list decide before any token is looked up or anything is sent.
#include "services/ads/raw_call.h"

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "libs/contracts/enum_names.h"
#include "libs/testing/status_matchers.h"
#include "services/ads/ads_domain_test_env.h"

namespace ttads::ads {
namespace {

using testing::IsOk;
using ::testing::SizeIs;
using testing::StatusIs;

class RawCallTest : public AdsDomainTest {
 protected:
  absl::StatusOr<v1::CallTikTokApiResponse> Raw(
      const std::string& path,
      v1::HttpMethod method = v1::HTTP_METHOD_UNSPECIFIED) {
    v1::CallTikTokApiRequest req;
    req.set_path(path);
    req.set_method(method);
    (*req.mutable_query())["fields"] = R"(["ad_id"])";
    return raw_.Call(Call(), req);
  }

  RawCaller raw_{&tiktok_, &tokens_, {"/ad/get/", "/report/"}};
};

TEST_F(RawCallTest, AllowListedPathsAreSentCanonical) {
  ASSERT_THAT(Raw("/open_api/v1.3/ad/get/"), IsOk());
  ASSERT_THAT(Raw("/report/integrated/get/", v1::HTTP_METHOD_POST), IsOk());
  ASSERT_THAT(tiktok_.raw_calls, SizeIs(2));
  EXPECT_EQ(tiktok_.raw_calls[0].path, "/ad/get/");
  EXPECT_EQ(tiktok_.raw_calls[0].method, "GET");
  EXPECT_EQ(tiktok_.raw_calls[0].query.at("fields"), R"(["ad_id"])");
  EXPECT_EQ(tiktok_.raw_calls[1].method, "POST");
  EXPECT_EQ(tiktok_.accesses[0].advertiser_id, kAdvertiser);
}

TEST_F(RawCallTest, PathsOutsideTheAllowListArePermissionDenied) {
  EXPECT_THAT(Raw("/ad/create/", v1::HTTP_METHOD_POST),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(Raw("/ad/getx/"), StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(tiktok_.CallLog(), SizeIs(0));
}

TEST_F(RawCallTest, DisguisedPathsAndOtherMethodsAreInvalid) {
  for (const char* path :
       {"/ad/get/../create/", "/ad/%2e%2e/create/", "//ad/get/", "/ad/get/?x=1",
        "", "/v1.1/ad/get",
        "https://business-api.tiktok.com/open_api/v1.3/ad/get/"}) {
    auto r = Raw(path);
    EXPECT_THAT(r, StatusIs(absl::StatusCode::kInvalidArgument)) << path;
    EXPECT_EQ(Fields(r.status()), std::set<std::string>{"path"}) << path;
  }
  // A method's name the enum lacks ("HEAD") never gets here: JSON and
  // gRPC's parser refuse it (gateway transcoder_test). A number it lacks
  // does, from a gRPC client with a newer contract.
  auto bad = Raw("/ad/get/", static_cast<v1::HttpMethod>(9));
  EXPECT_THAT(bad, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(Fields(bad.status()), std::set<std::string>{"method"});
  EXPECT_THAT(tiktok_.CallLog(), SizeIs(0));
}

// Ibexa's example, "/v1.2/ad/get" with GET, is sent as TikTok's
// /open_api/v1.3/ad/get/.
TEST_F(RawCallTest, IbexasExamplePathIsSentAsTikToksPath) {
  ASSERT_THAT(Raw("/v1.2/ad/get"), IsOk());
  ASSERT_THAT(Raw("/v1.3/report/integrated/get", v1::HTTP_METHOD_POST), IsOk());
  ASSERT_THAT(tiktok_.raw_calls, SizeIs(2));
  EXPECT_EQ(tiktok_.raw_calls[0].path, "/ad/get/");
  EXPECT_EQ(tiktok_.raw_calls[1].path, "/report/integrated/get/");
}

// Every method Ibexa offers is sent as asked, with its body.
TEST_F(RawCallTest, EveryIbexaMethodIsSent) {
  for (const char* method : {"GET", "POST", "PUT", "PATCH", "DELETE"}) {
    v1::CallTikTokApiRequest req;
    req.set_path("/v1.3/report/task/create");
    // By the name Ibexa sends (the enum's short name).
    v1::HttpMethod m;
    ASSERT_TRUE(contracts::ParseAnyName(method, &m)) << method;
    req.set_method(m);
    (*req.mutable_body()->mutable_fields())["k"].set_string_value("v");
    ASSERT_THAT(raw_.Call(Call(), req), IsOk()) << method;
    ASSERT_FALSE(tiktok_.raw_calls.empty());
    EXPECT_EQ(tiktok_.raw_calls.back().method, method);
    if (std::string(method) != "GET") {
      EXPECT_EQ(tiktok_.raw_calls.back().body.fields().at("k").string_value(),
                "v");
    }
  }
  EXPECT_THAT(tiktok_.raw_calls, SizeIs(5));
}

TEST_F(RawCallTest, SafeHeadersAreForwardedOthersRefusedWithNothingSent) {
  v1::CallTikTokApiRequest req;
  req.set_path("/v1.3/ad/get");
  (*req.mutable_headers())["Accept-Language"] = "de-DE";
  (*req.mutable_headers())["X-Trace-Me"] = "1";
  ASSERT_THAT(raw_.Call(Call(), req), IsOk());
  ASSERT_THAT(tiktok_.raw_calls, SizeIs(1));
  EXPECT_EQ(tiktok_.raw_calls[0].headers,
            (std::vector<std::pair<std::string, std::string>>{
                {"Accept-Language", "de-DE"}, {"X-Trace-Me", "1"}}));

  for (const char* name : {"Access-Token", "Host", "Content-Length",
                           "Connection", "Transfer-Encoding"}) {
    v1::CallTikTokApiRequest bad = req;
    (*bad.mutable_headers())[name] = "x";
    auto r = raw_.Call(Call(), bad);
    EXPECT_THAT(r, StatusIs(absl::StatusCode::kInvalidArgument)) << name;
    EXPECT_EQ(Fields(r.status()),
              std::set<std::string>{absl::StrCat("headers[\"", name, "\"]")});
  }
  EXPECT_THAT(tiktok_.raw_calls, SizeIs(1));
}

// TikTok's 405 (the endpoint takes another method) is the caller's error.
TEST_F(RawCallTest, TikTokRefusingTheMethodIsInvalidArgumentOnMethod) {
  absl::Status refused = absl::InternalError("TikTok answered HTTP 405");
  tiktok::TikTokErrorInfo info;
  info.http_status = 405;
  tiktok::SetTikTokErrorInfo(refused, info);
  tiktok_.fail_next["Raw"].push_back(refused);
  auto r = Raw("/v1.3/ad/get", v1::HTTP_METHOD_DELETE);
  EXPECT_THAT(r, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(Fields(r.status()), std::set<std::string>{"method"});
}

}  // namespace
}  // namespace ttads::ads
