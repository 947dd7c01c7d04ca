#include "tools/tiktok_sim/contract.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/testing/status_matchers.h"

namespace ttads::tiktok_sim {
namespace {

using ::testing::HasSubstr;
using Json = nlohmann::json;
using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;

// A creative TikTok accepts for a non-Spark SINGLE_VIDEO ad.
Json GoodCreative() {
  return {{"ad_name", "Summer"},
          {"ad_format", "SINGLE_VIDEO"},
          {"ad_text", "Hello"},
          {"identity_id", "7000"},
          {"identity_type", "CUSTOMIZED_USER"},
          {"video_id", "v1"},
          {"image_ids", {"cover1"}},
          {"call_to_action", "LEARN_MORE"},
          {"landing_page_url", "https://example.com"}};
}

ContractRequest CreateAd(Json creative) {
  ContractRequest r;
  r.method = "POST";
  r.path = "/ad/create/";
  r.encoding = Encoding::kJson;
  r.headers = {"Access-Token", "Content-Type"};
  r.body = {{"advertiser_id", "1"},
            {"adgroup_id", "2"},
            {"creatives", Json::array({std::move(creative)})}};
  return r;
}

std::string FieldOf(const ContractRequest& r) {
  auto v = Contract::Embedded().Check(r);
  return v ? v->field : "<none>";
}

TEST(ContractTest, EmbeddedFilesLoadAndCoverTheAdsEndpoints) {
  const Contract& c = Contract::Embedded();
  for (const char* p :
       {"/ad/create/", "/ad/update/", "/ad/get/", "/ad/status/update/"}) {
    EXPECT_TRUE(c.Covers(p)) << p;
  }
}

// Every TikTok endpoint ttads calls is contract data (one checker for all).
TEST(ContractTest, EveryEndpointTtadsCallsIsCovered) {
  const Contract& c = Contract::Embedded();
  for (const char* p : {"/oauth2/access_token/",
                        "/oauth2/advertiser/get/",
                        "/oauth2/revoke_token/",
                        "/identity/get/",
                        "/identity/create/",
                        "/identity/video/get/",
                        "/file/image/ad/upload/",
                        "/file/video/ad/upload/",
                        "/file/video/ad/info/",
                        "/file/image/ad/info/",
                        "/campaign/get/",
                        "/adgroup/get/",
                        "/pixel/list/",
                        "/app/list/",
                        "/catalog/get/",
                        "/page/get/",
                        "/report/integrated/get/",
                        "/dmp/custom_audience/file/upload/",
                        "/dmp/custom_audience/create/",
                        "/dmp/custom_audience/update/",
                        "/dmp/custom_audience/list/",
                        "/dmp/custom_audience/get/",
                        "/dmp/custom_audience/delete/"}) {
    EXPECT_TRUE(c.Covers(p)) << p;
  }
}

TEST(ContractTest, MissingAccessTokenIsTikToksEmptyTokenCode) {
  ContractRequest r = CreateAd(GoodCreative());
  r.headers = {"Content-Type"};
  auto v = Contract::Embedded().Check(r);
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->code, 40104);
  EXPECT_EQ(v->field, "Access-Token");
}

TEST(ContractTest, AFieldsCodeAnswersItsBadValues) {
  auto file =
      Contract::FromFiles({{"t.json",
                            R"({"endpoints": [{"path": "/x/", "method": "POST",
            "encoding": ["json"], "unknown_fields": "refuse",
            "fields": {"kind": {"type": "string", "required": true,
                                "enum": ["A"], "code": 40909}}}]})"}});
  ASSERT_THAT(file, IsOk());
  ContractRequest r;
  r.method = "POST";
  r.path = "/x/";
  r.encoding = Encoding::kJson;
  r.body = {{"kind", "B"}};
  auto bad = file->Check(r);
  ASSERT_TRUE(bad.has_value());
  EXPECT_EQ(bad->code, 40909);
  EXPECT_EQ(bad->field, "kind");
  r.body = Json::object();  // Absence is the generic 40002.
  bad = file->Check(r);
  ASSERT_TRUE(bad.has_value());
  EXPECT_EQ(bad->code, 40002);
}

TEST(ContractTest, ConformingCreateHasNoViolation) {
  EXPECT_EQ(FieldOf(CreateAd(GoodCreative())), "<none>");
}

TEST(ContractTest, NonSparkVideoNeedsOneCoverImage) {
  Json c = GoodCreative();
  c.erase("image_ids");
  auto v = Contract::Embedded().Check(CreateAd(c));
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->code, 40002);
  EXPECT_EQ(v->field, "creatives[0].image_ids");
  c["image_ids"] = {"a", "b"};
  EXPECT_EQ(FieldOf(CreateAd(c)), "creatives[0].image_ids");
}

TEST(ContractTest, SparkPullRefusesCoverImages) {
  Json c = GoodCreative();
  c["identity_type"] = "TT_USER";
  c.erase("video_id");
  c["tiktok_item_id"] = "item1";
  EXPECT_EQ(FieldOf(CreateAd(c)), "creatives[0].image_ids");
  c.erase("image_ids");
  EXPECT_EQ(FieldOf(CreateAd(c)), "<none>");
}

TEST(ContractTest, CallToActionOrItsPortfolioIsRequired) {
  Json c = GoodCreative();
  c.erase("call_to_action");
  auto v = Contract::Embedded().Check(CreateAd(c));
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->field, "creatives[0].call_to_action");
  EXPECT_THAT(v->message, HasSubstr("call_to_action_id"));
  c["call_to_action_id"] = "123";
  EXPECT_EQ(FieldOf(CreateAd(c)), "<none>");
}

TEST(ContractTest, EnumsAreTikToksOwnValues) {
  for (auto [field, bad, good] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"dark_post_status", "ENABLE", "ON"},
           {"deeplink_type", "DEFERRED", "DEFERRED_DEEPLINK"},
           {"fallback_type", "WEB_LANDING", "WEBSITE"},
           {"brand_safety_postbid_partner", "DV", "ZEFR"},
           {"vertical_video_strategy", "LIVE_STREAMING", "LIVE_STREAM"}}) {
    Json c = GoodCreative();
    c[field] = bad;
    auto v = Contract::Embedded().Check(CreateAd(c));
    ASSERT_TRUE(v.has_value()) << field;
    EXPECT_EQ(v->field, "creatives[0]." + field);
    EXPECT_THAT(v->message, HasSubstr("unknown enum value"));
    c[field] = good;
    EXPECT_EQ(FieldOf(CreateAd(c)), "<none>") << field;
  }
}

TEST(ContractTest, FieldsThatAreNotV13CreativeFieldsAreRefused) {
  for (const char* f : {"card_type", "vast_moat_enabled"}) {
    Json c = GoodCreative();
    c[f] = f == std::string("card_type") ? Json("IMAGE") : Json(true);
    EXPECT_EQ(FieldOf(CreateAd(c)), std::string("creatives[0].") + f);
  }
}

TEST(ContractTest, ClickableDisclaimersAreLimitedInTotal) {
  Json c = GoodCreative();
  c["disclaimer_type"] = "TEXT_LINK";
  c["disclaimer_clickable_texts"] = {
      {{"text", std::string(25, 'a')}, {"url", "https://a.example"}},
      {{"text", std::string(20, 'b')}, {"url", "https://b.example"}}};
  auto v = Contract::Embedded().Check(CreateAd(c));
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->field, "creatives[0].disclaimer_clickable_texts");
  EXPECT_THAT(v->message, HasSubstr("at most 40"));
  c["disclaimer_clickable_texts"][1]["text"] = std::string(15, 'b');
  EXPECT_EQ(FieldOf(CreateAd(c)), "<none>");
}

TEST(ContractTest, UpdateNeedsPatchUpdateAndPatchModeLimitsFields) {
  ContractRequest r;
  r.method = "POST";
  r.path = "/ad/update/";
  r.encoding = Encoding::kJson;
  r.headers = {"Access-Token"};
  r.body = {{"advertiser_id", "1"},
            {"adgroup_id", "2"},
            {"creatives", {{{"ad_id", "9"}, {"ad_name", "New"}}}}};
  EXPECT_EQ(FieldOf(r), "patch_update");
  r.body["patch_update"] = false;  // A full update needs the whole creative.
  EXPECT_EQ(FieldOf(r), "creatives[0].identity_id");
  r.body["patch_update"] = true;
  EXPECT_EQ(FieldOf(r), "<none>");
  r.body["creatives"][0]["landing_page_url"] = "https://example.com";
  auto v = Contract::Embedded().Check(r);
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->field, "creatives[0].landing_page_url");
  EXPECT_THAT(v->message, HasSubstr("patch_update"));
}

TEST(ContractTest, MethodEncodingAndPlacementAreChecked) {
  ContractRequest r = CreateAd(GoodCreative());
  r.method = "GET";
  EXPECT_THAT(Contract::Embedded().Check(r)->message, HasSubstr("POST"));
  r = CreateAd(GoodCreative());
  r.encoding = Encoding::kMultipart;
  EXPECT_THAT(Contract::Embedded().Check(r)->message, HasSubstr("json"));
  r = CreateAd(GoodCreative());
  r.query["advertiser_id"] = "1";
  EXPECT_EQ(FieldOf(r), "advertiser_id");
  r = CreateAd(GoodCreative());
  r.headers = {};
  EXPECT_EQ(FieldOf(r), "Access-Token");
}

TEST(ContractTest, QueryValuesAreJsonEncodedAndBounded) {
  ContractRequest r;
  r.method = "GET";
  r.path = "/ad/get/";
  r.encoding = Encoding::kQuery;
  r.headers = {"Access-Token"};
  r.query = {{"advertiser_id", "1"},
             {"filtering", R"({"ad_ids":["1","2"]})"},
             {"page_size", "50"}};
  EXPECT_EQ(FieldOf(r), "<none>");
  r.query["filtering"] = "ad_ids=1";
  EXPECT_EQ(FieldOf(r), "filtering");
  r.query["filtering"] = R"({"ad_idz":["1"]})";
  EXPECT_EQ(FieldOf(r), "filtering.ad_idz");
  r.query["filtering"] = "{}";
  r.query["page_size"] = "1001";
  EXPECT_EQ(FieldOf(r), "page_size");
}

TEST(ContractTest, UncoveredEndpointsAndBadFilesAreReported) {
  EXPECT_FALSE(Contract::Embedded().Check({.path = "/nope/"}).has_value());
  EXPECT_THAT(Contract::FromFiles({{"x.json", "[]"}}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("x.json: not a contract file")));
  EXPECT_THAT(Contract::FromFiles({{"x.json", R"({"endpoints":[{"path":"/a/",
      "method":"GET"}, {"path":"/a/", "method":"GET"}]})"}}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("/a/ is defined twice")));
}

}  // namespace
}  // namespace ttads::tiktok_sim
