// RawCaller against the fake TikTok: the path and method rules and the
// allow-list decide before any token is looked up or anything is sent.
#include "services/ads/raw_call.h"

#include "gmock/gmock.h"
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
      const std::string& path, const std::string& method = "") {
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
  ASSERT_THAT(Raw("/report/integrated/get/", "POST"), IsOk());
  ASSERT_THAT(tiktok_.raw_calls, SizeIs(2));
  EXPECT_EQ(tiktok_.raw_calls[0].path, "/ad/get/");
  EXPECT_EQ(tiktok_.raw_calls[0].method, "GET");
  EXPECT_EQ(tiktok_.raw_calls[0].query.at("fields"), R"(["ad_id"])");
  EXPECT_EQ(tiktok_.raw_calls[1].method, "POST");
  EXPECT_EQ(tiktok_.accesses[0].advertiser_id, kAdvertiser);
}

TEST_F(RawCallTest, PathsOutsideTheAllowListArePermissionDenied) {
  EXPECT_THAT(Raw("/ad/create/", "POST"),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(Raw("/ad/getx/"), StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(tiktok_.CallLog(), SizeIs(0));
}

TEST_F(RawCallTest, DisguisedPathsAndOtherMethodsAreInvalid) {
  for (const char* path : {"/ad/get/../create/", "/ad/%2e%2e/create/",
                           "//ad/get/", "/ad/get/?x=1", "", "/ad/get"}) {
    auto r = Raw(path);
    EXPECT_THAT(r, StatusIs(absl::StatusCode::kInvalidArgument)) << path;
    EXPECT_EQ(Fields(r.status()), std::set<std::string>{"path"}) << path;
  }
  auto put = Raw("/ad/get/", "PUT");
  EXPECT_THAT(put, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(Fields(put.status()), std::set<std::string>{"method"});
  EXPECT_THAT(tiktok_.CallLog(), SizeIs(0));
}

}  // namespace
}  // namespace ttads::ads
