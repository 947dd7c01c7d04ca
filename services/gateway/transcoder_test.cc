#include "services/gateway/transcoder.h"

#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "libs/status/status.h"
#include "libs/testing/field_violations.h"
#include "libs/testing/status_matchers.h"
#include "nlohmann/json.hpp"
#include "ttads/ads/v1/ads_service.pb.h"
#include "ttads/audience/v1/audience_service.pb.h"
#include "ttads/compat/v1/adspirer_tools_service.pb.h"
#include "ttads/compat/v1/zernio_ads_service.pb.h"
#include "ttads/identity/v1/identity_service.pb.h"
#include "ttads/preflight/v1/preflight_service.pb.h"

namespace ttads::gateway {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::ttads::testing::FirstViolatedField;
using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;

RouteMatch MatchOf(const RouteTable& table, const char* method,
                   const char* path) {
  auto m = table.Match(method, path);
  EXPECT_TRUE(m.has_value()) << method << " " << path;
  return *m;
}

class TranscoderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto t = RouteTable::FromLinkedServices("ttads.");
    ASSERT_THAT(t, IsOk());
    table_ = *std::move(t);
  }
  RouteTable table_;
};

TEST_F(TranscoderTest, QueryIntoFieldsBothNamingStyles) {
  RouteMatch m = MatchOf(table_, "GET", "/api/v1/tiktok/publish-check");
  preflight::v1::PublishCheckRequest req;
  http::QueryParams q = {{"advertiserId", "adv1"}, {"objective", "TRAFFIC"}};
  ASSERT_THAT(BuildRequest(*m.route, m.bindings, q, "", &req), IsOk());
  EXPECT_EQ(req.advertiser_id(), "adv1");
  EXPECT_EQ(req.objective(), "TRAFFIC");
}

TEST_F(TranscoderTest, RepeatedEnumsBoolsAndTimestamps) {
  RouteMatch m = MatchOf(table_, "GET", "/v1/advertisers/9/ads");
  ads::v1::ListAdsRequest req;
  http::QueryParams q = {{"ad_ids", "1"},
                         {"ad_ids", "2,3"},
                         {"page_size", "50"},
                         {"create_start_time", "2024-01-02T03:04:05Z"}};
  ASSERT_THAT(BuildRequest(*m.route, m.bindings, q, "", &req), IsOk());
  EXPECT_EQ(req.advertiser_id(), "9");
  EXPECT_THAT(req.ad_ids(), ElementsAre("1", "2,3"));
  EXPECT_EQ(req.page_size(), 50);
  EXPECT_EQ(req.create_start_time().seconds(), 1704164645);

  RouteMatch ids = MatchOf(table_, "GET", "/api/v1/tiktok/identities");
  identity::v1::ListIdentitiesRequest lreq;
  ASSERT_THAT(BuildRequest(*ids.route, ids.bindings,
                           {{"identity_type", "tt_user"}}, "", &lreq),
              IsOk());
  EXPECT_EQ(lreq.identity_type(), common::v1::IDENTITY_TYPE_TT_USER);

  RouteMatch conns = MatchOf(table_, "GET", "/v1/tiktok/connections");
  identity::v1::ListConnectionsRequest creq;
  ASSERT_THAT(BuildRequest(*conns.route, conns.bindings, {{"mineOnly", "true"}},
                           "", &creq),
              IsOk());
  EXPECT_TRUE(creq.mine_only());
}

// CreateAd takes the Ad as its body (AIP-133): the flat body REST callers
// sent before is the Ad's JSON, field for field; the request's own options
// come from the query (or Idempotency-Key), not from the body.
TEST_F(TranscoderTest, CreateAdBodyIsTheAd) {
  RouteMatch m = MatchOf(table_, "POST", "/v1/advertisers/9/ads");
  ads::v1::CreateAdRequest req;
  ASSERT_THAT(BuildRequest(*m.route, m.bindings,
                           {{"validateOnly", "true"}, {"requestId", "r1"}},
                           R"({"adgroupId":"7112","adText":"Hi",
                       "landingPageUrl":"https://e.com","videoUrl":"https://e.com/v.mp4",
                       "imageUrls":["https://e.com/a.png"],"deeplinkType":"NORMAL",
                       "disclaimerClickableTexts":[{"text":"T","url":"https://e.com/t"}],
                       "useBrandIdentity":true})",
                           &req),
              IsOk());
  EXPECT_EQ(req.advertiser_id(), "9");
  EXPECT_TRUE(req.validate_only());
  EXPECT_EQ(req.request_id(), "r1");
  EXPECT_EQ(req.ad().adgroup_id(), "7112");
  EXPECT_EQ(req.ad().video_url(), "https://e.com/v.mp4");
  ASSERT_EQ(req.ad().image_urls_size(), 1);
  EXPECT_EQ(req.ad().image_urls(0), "https://e.com/a.png");
  ASSERT_EQ(req.ad().disclaimer_clickable_texts_size(), 1);
  EXPECT_EQ(req.ad().disclaimer_clickable_texts(0).url(), "https://e.com/t");
  EXPECT_EQ(req.ad().deeplink_type(), ads::v1::DEEPLINK_TYPE_NORMAL);
  EXPECT_TRUE(req.ad().use_brand_identity());

  ads::v1::CreateAdRequest in_body;
  absl::Status s =
      BuildRequest(*m.route, m.bindings, {},
                   R"({"adText":"Hi","requestId":"r1"})", &in_body);
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument));
}

// The Ad's typed lists refuse elements of another shape, naming the field,
// before anything reaches the ads service.
TEST_F(TranscoderTest, CreateAdListElementsOfTheWrongShapeAreNamed) {
  RouteMatch m = MatchOf(table_, "POST", "/v1/advertisers/9/ads");
  const std::pair<const char*, const char*> cases[] = {
      {R"({"imageUrls":["https://e.com/a.png",7]})", "ad.image_urls[1]"},
      {R"({"imageUrls":[{"url":"https://e.com/a.png"}]})", "ad.image_urls"},
      {R"({"disclaimerClickableTexts":["Terms"]})",
       "ad.disclaimer_clickable_texts[0]"},
      {R"({"disclaimerClickableTexts":[{"text":"T","url":1}]})",
       "ad.disclaimer_clickable_texts[0].url"},
      {R"({"disclaimerClickableTexts":[{"text":"T","colour":"r"}]})",
       "ad.disclaimer_clickable_texts[0]"},
  };
  for (const auto& [body, field] : cases) {
    ads::v1::CreateAdRequest req;
    absl::Status s = BuildRequest(*m.route, m.bindings, {}, body, &req);
    EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument)) << body;
    EXPECT_EQ(FirstViolatedField(s), field) << body << " " << s;
  }
}

// Answers leave out INPUT_ONLY fields (AIP-203): an Ad prints no
// `imageUrls` or `disclaimerClickableTexts`, empty or not, in either style.
TEST_F(TranscoderTest, AnswersLeaveOutInputOnlyFields) {
  ads::v1::Ad ad;
  ad.set_ad_id("1");
  ad.add_image_urls("https://e.com/a.png");
  ad.add_disclaimer_clickable_texts()->set_text("T");
  for (JsonStyle style : {JsonStyle::kApi, JsonStyle::kTool}) {
    for (const ads::v1::Ad& answer : {ads::v1::Ad(), ad}) {
      absl::StatusOr<std::string> json = ToJson(answer, style);
      ASSERT_THAT(json, IsOk());
      for (const char* name : {"imageUrls", "image_urls", "disclaimerClickable",
                               "disclaimer_clickable"}) {
        EXPECT_THAT(*json, Not(HasSubstr(name))) << *json;
      }
    }
  }
  absl::StatusOr<std::string> json = ToJson(ads::v1::Ad(), JsonStyle::kApi);
  ASSERT_THAT(json, IsOk());
  EXPECT_THAT(*json, HasSubstr(R"("adId":"")"));
}

// Enum values by their proto3 JSON name or by the short name the seeds'
// products (and the contracts before the prefix) use, in a body and a query.
TEST_F(TranscoderTest, EnumsByFullOrShortName) {
  RouteMatch create = MatchOf(table_, "POST", "/v1/ads/create");
  for (const char* body : {R"({"identityType":"BC_AUTH_TT"})",
                           R"({"identity_type":"IDENTITY_TYPE_BC_AUTH_TT"})"}) {
    compat::v1::CreateAdRequest req;
    ASSERT_THAT(BuildRequest(*create.route, create.bindings, {}, body, &req),
                IsOk())
        << body;
    EXPECT_EQ(req.identity_type(), common::v1::IDENTITY_TYPE_BC_AUTH_TT);
  }
  compat::v1::CreateAdRequest bad;
  absl::Status s = BuildRequest(*create.route, create.bindings, {},
                                R"({"identityType":"UNSPECIFIED"})", &bad);
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(FirstViolatedField(s), "identity_type");

  RouteMatch ids = MatchOf(table_, "GET", "/api/v1/tiktok/identities");
  for (const char* value :
       {"CUSTOMIZED_USER", "IDENTITY_TYPE_CUSTOMIZED_USER", "2"}) {
    identity::v1::ListIdentitiesRequest req;
    ASSERT_THAT(BuildRequest(*ids.route, ids.bindings,
                             {{"identityType", value}}, "", &req),
                IsOk())
        << value;
    EXPECT_EQ(req.identity_type(), common::v1::IDENTITY_TYPE_CUSTOMIZED_USER);
  }
  identity::v1::ListIdentitiesRequest unknown;
  s = BuildRequest(*ids.route, ids.bindings, {{"identityType", "NOPE"}}, "",
                   &unknown);
  EXPECT_EQ(FirstViolatedField(s), "identityType");
  EXPECT_THAT(std::string(s.message()),
              HasSubstr("IDENTITY_TYPE_UNSPECIFIED, TT_USER, CUSTOMIZED_USER"));
}

// The ads contract's closed sets (AIP-126 enums) take TikTok's words, which
// are their values' short names; a word an enum lacks is INVALID_ARGUMENT
// naming the field, in a body and in a query (never a backend error).
TEST_F(TranscoderTest, AdsEnumsTakeTikTokWordsAndNameTheFieldOtherwise) {
  RouteMatch call = MatchOf(table_, "POST", "/v1/tiktok:call");
  ads::v1::CallTikTokApiRequest post;
  ASSERT_THAT(BuildRequest(*call.route, call.bindings, {},
                           R"({"path":"/ad/get/","method":"POST"})", &post),
              IsOk());
  EXPECT_EQ(post.method(), ads::v1::HTTP_METHOD_POST);
  ads::v1::CallTikTokApiRequest head;
  absl::Status s =
      BuildRequest(*call.route, call.bindings, {},
                   R"({"path":"/ad/get/","method":"HEAD"})", &head);
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(FirstViolatedField(s), "method");

  RouteMatch reports = MatchOf(table_, "GET", "/v1/advertisers/9/reports");
  ads::v1::ListAdReportsRequest req;
  ASSERT_THAT(BuildRequest(*reports.route, reports.bindings,
                           {{"report_type", "AUDIENCE"},
                            {"data_level", "AUCTION_CAMPAIGN"},
                            {"dimensions", "ad_id"},
                            {"metrics", "spend"}},
                           "", &req),
              IsOk());
  EXPECT_EQ(req.report_type(), ads::v1::REPORT_TYPE_AUDIENCE);
  EXPECT_EQ(req.data_level(), ads::v1::REPORT_DATA_LEVEL_AUCTION_CAMPAIGN);
  ads::v1::ListAdReportsRequest monthly;
  s = BuildRequest(*reports.route, reports.bindings,
                   {{"report_type", "MONTHLY"},
                    {"dimensions", "ad_id"},
                    {"metrics", "spend"}},
                   "", &monthly);
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(FirstViolatedField(s), "report_type");
}

TEST_F(TranscoderTest, QueryBoolsAreTrueOrFalseOnly) {
  RouteMatch conns = MatchOf(table_, "GET", "/v1/tiktok/connections");
  for (const char* value : {"yes", "1", "0", "", "TRUE", "no"}) {
    identity::v1::ListConnectionsRequest req;
    absl::Status s = BuildRequest(*conns.route, conns.bindings,
                                  {{"mine_only", value}}, "", &req);
    EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument)) << value;
    EXPECT_EQ(FirstViolatedField(s), "mine_only") << value;
  }
  identity::v1::ListConnectionsRequest req;
  ASSERT_THAT(BuildRequest(*conns.route, conns.bindings,
                           {{"mine_only", "false"}}, "", &req),
              IsOk());
  EXPECT_FALSE(req.mine_only());
}

TEST_F(TranscoderTest, SingularQueryParameterGivenTwiceIsRefused) {
  RouteMatch m = MatchOf(table_, "GET", "/api/v1/tiktok/publish-check");
  preflight::v1::PublishCheckRequest req;
  // Two spellings of one field count as the same parameter.
  absl::Status s = BuildRequest(
      *m.route, m.bindings,
      {{"objective", "TRAFFIC"}, {"objective", "LEAD_GENERATION"}}, "", &req);
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(FirstViolatedField(s), "objective");
  EXPECT_THAT(s.message(), HasSubstr("more than once"));
  s = BuildRequest(*m.route, m.bindings,
                   {{"advertiser_id", "a"}, {"advertiserId", "b"}}, "", &req);
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(TranscoderTest, InvalidUtf8InQueryPathAndBodyIsRefused) {
  RouteMatch m = MatchOf(table_, "GET", "/api/v1/tiktok/publish-check");
  preflight::v1::PublishCheckRequest req;
  absl::Status s =
      BuildRequest(*m.route, m.bindings, {{"objective", "\xff"}}, "", &req);
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(FirstViolatedField(s), "objective");
  s = BuildRequest(*m.route, m.bindings, {{"\xc3", "x"}}, "", &req);
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(s.message(), HasSubstr("not valid UTF-8"));

  RouteMatch ads = MatchOf(table_, "GET", "/v1/advertisers/9/ads");
  PathTemplate::Bindings bad = ads.bindings;
  for (auto& [name, value] : bad) value = "\xed\xa0\x80";
  ads::v1::ListAdsRequest sreq;
  s = BuildRequest(*ads.route, bad, {}, "", &sreq);
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(FirstViolatedField(s), "advertiser_id");

  RouteMatch create = MatchOf(table_, "POST", "/v1/ads/create");
  compat::v1::CreateAdRequest creq;
  s = BuildRequest(*create.route, create.bindings, {},
                   "{\"ad_text\":\"\xff\xfe\",\"adgroup_id\":\"x\"}", &creq);
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(FirstViolatedField(s), "ad_text");
}

TEST_F(TranscoderTest, BadQueryValuesNameTheParameter) {
  RouteMatch m = MatchOf(table_, "GET", "/v1/advertisers/9/ads");
  ads::v1::ListAdsRequest req;
  absl::Status s =
      BuildRequest(*m.route, m.bindings, {{"page_size", "many"}}, "", &req);
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(FirstViolatedField(s), "page_size");

  ads::v1::ListAdsRequest req2;
  s = BuildRequest(*m.route, m.bindings, {{"colour", "red"}}, "", &req2);
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(FirstViolatedField(s), "colour");

  ads::v1::ListAdsRequest req3;
  s = BuildRequest(*m.route, m.bindings, {{"advertiser_id", "7"}}, "", &req3);
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(TranscoderTest, BodyStarAndPathOverride) {
  RouteMatch m = MatchOf(table_, "PATCH", "/v1/advertisers/9/ads/a1");
  ads::v1::UpdateAdRequest req;
  ASSERT_THAT(
      BuildRequest(*m.route, m.bindings, {},
                   R"({"ad":{"adText":"hi"},"update_mask":"ad_text"})", &req),
      IsOk());
  EXPECT_EQ(req.advertiser_id(), "9");
  EXPECT_EQ(req.ad_id(), "a1");
  EXPECT_EQ(req.ad().ad_text(), "hi");
  // update_mask is a google.protobuf.FieldMask (AIP-134): its JSON form is
  // the comma-separated string, in snake_case or lowerCamelCase.
  EXPECT_THAT(req.update_mask().paths(), ::testing::ElementsAre("ad_text"));
  ads::v1::UpdateAdRequest camel;
  ASSERT_THAT(
      BuildRequest(
          *m.route, m.bindings, {},
          R"({"ad":{"adText":"hi"},"updateMask":"adText,callToAction"})",
          &camel),
      IsOk());
  EXPECT_THAT(camel.update_mask().paths(),
              ::testing::ElementsAre("ad_text", "call_to_action"));
}

TEST_F(TranscoderTest, UnknownAndMalformedJsonNameTheField) {
  RouteMatch m = MatchOf(table_, "PATCH", "/v1/connect/tiktok-ads");
  identity::v1::ConfigureBrandIdentityRequest req;
  absl::Status s = BuildRequest(*m.route, m.bindings, {},
                                R"({"accountId":"a","colour":"x"})", &req);
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(FirstViolatedField(s), "colour") << s;
  EXPECT_THAT(std::string(s.message()), HasSubstr("colour"));

  identity::v1::ConfigureBrandIdentityRequest req2;
  s = BuildRequest(*m.route, m.bindings, {}, R"({"accountId": 12)", &req2);
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(std::string(s.message()), HasSubstr("invalid JSON in body"));

  identity::v1::ConfigureBrandIdentityRequest req3;
  s = BuildRequest(*m.route, m.bindings, {}, R"({"displayName": 5})", &req3);
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(FirstViolatedField(s), "display_name") << s;
}

TEST_F(TranscoderTest, QueryRejectedWhenBodyTakesEverything) {
  RouteMatch m = MatchOf(table_, "PATCH", "/v1/connect/tiktok-ads");
  identity::v1::ConfigureBrandIdentityRequest req;
  absl::Status s = BuildRequest(*m.route, m.bindings, {{"x", "1"}}, "{}", &req);
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(TranscoderTest, ResponsesRenderDefaults) {
  preflight::v1::PublishCheckResponse resp;
  resp.add_missing("identity");
  auto json = ToJson(resp, JsonStyle::kApi);
  ASSERT_THAT(json, IsOk());
  EXPECT_THAT(*json, HasSubstr(R"("ready":false)"));
  EXPECT_THAT(*json, HasSubstr(R"("missing":["identity"])"));
  EXPECT_THAT(*json, HasSubstr(R"("advertiserId":"")"));

  identity::v1::CheckIdentityResponse check;
  json = ToJson(check, JsonStyle::kApi);
  ASSERT_THAT(json, IsOk());
  EXPECT_THAT(*json, HasSubstr(R"("hasIdentity":false)"));

  compat::v1::ExecuteAddTikTokAdResponse tool;
  tool.set_success(true);
  tool.set_tool("add_tiktok_ad");
  json = ToJson(tool, JsonStyle::kTool);
  ASSERT_THAT(json, IsOk());
  EXPECT_EQ(*json, R"({"success":true,"tool":"add_tiktok_ad"})");
}

TEST_F(TranscoderTest, RequestIdTopLevelAndWrapped) {
  identity::v1::CreateIdentityRequest create;
  auto set = SetRequestId(&create, "k1");
  ASSERT_THAT(set, IsOk());
  EXPECT_TRUE(*set);
  EXPECT_EQ(create.request_id(), "k1");

  compat::v1::ExecuteAddTikTokAdRequest tool;
  set = SetRequestId(&tool, "k2");
  ASSERT_THAT(set, IsOk());
  EXPECT_TRUE(*set);
  EXPECT_EQ(tool.arguments().request_id(), "k2");

  identity::v1::CreateIdentityRequest clash;
  clash.set_request_id("other");
  EXPECT_THAT(SetRequestId(&clash, "k1"),
              StatusIs(absl::StatusCode::kInvalidArgument));

  preflight::v1::PublishCheckRequest none;
  set = SetRequestId(&none, "k3");
  ASSERT_THAT(set, IsOk());
  EXPECT_FALSE(*set);
}

TEST_F(TranscoderTest, NestedQueryFields) {
  RouteMatch m = MatchOf(table_, "GET", "/v1/advertisers/9/ads");
  ads::v1::ListAdsRequest req;
  // Timestamp sub-field by path.
  ASSERT_THAT(BuildRequest(*m.route, m.bindings,
                           {{"modifiedAfter.seconds", "12"}}, "", &req),
              IsOk());
  EXPECT_EQ(req.modified_after().seconds(), 12);
}

}  // namespace
}  // namespace ttads::gateway

namespace ttads::gateway {
namespace {

TEST(ToolJsonTest, FailedToolResponseSaysSuccessFalse) {
  compat::v1::ExecuteAddTikTokAdResponse failed;
  failed.set_tool("add_tiktok_ad");
  failed.set_error("ad_text is required");
  failed.set_is_error(true);
  auto json = ToJson(failed, JsonStyle::kTool);
  ASSERT_THAT(json, IsOk());
  auto j = nlohmann::json::parse(*json);
  EXPECT_EQ(j["success"], false);
  EXPECT_EQ(j["is_error"], true);
  EXPECT_EQ(j["tool"], "add_tiktok_ad");
}

TEST(ToolJsonTest, InvalidUtf8MessageParameterIsAFieldViolation) {
  ads::v1::ListAdsRequest request;
  absl::Status s = SetFieldFromString(&request, "create_start_time", "\xFF");
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace ttads::gateway
