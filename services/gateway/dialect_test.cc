#include "services/gateway/dialect.h"

#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "libs/status/grpc_status.h"
#include "libs/status/status.h"
#include "libs/testing/status_matchers.h"
#include "nlohmann/json.hpp"
#include "ttads/ads/v1/ads_service.pb.h"
#include "ttads/compat/v1/adspirer_tools_service.pb.h"
#include "ttads/compat/v1/zernio_ads_service.pb.h"
#include "ttads/identity/v1/identity_service.pb.h"
#include "ttads/preflight/v1/preflight_service.pb.h"

namespace ttads::gateway {
namespace {

using json = nlohmann::json;
using ::testing::HasSubstr;
using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;

const Dialects& D() { return Dialects::Products(); }

std::vector<std::string> FieldsOf(const absl::Status& status) {
  google::rpc::BadRequest bad;
  std::vector<std::string> out;
  if (status::GetDetail(status, &bad)) {
    for (const auto& v : bad.field_violations()) out.push_back(v.field());
  }
  return out;
}

std::string ViolationIn(const std::string& body) {
  json j = json::parse(body);
  for (const auto& d : j["details"]) {
    if (d.value("@type", "") == "type.googleapis.com/google.rpc.BadRequest") {
      return d["fieldViolations"][0]["field"];
    }
  }
  return "";
}

http::HttpRequest WithBody(std::string body, http::QueryParams query = {}) {
  http::HttpRequest request;
  request.method = "POST";
  request.body = std::move(body);
  request.query = std::move(query);
  return request;
}

TEST(DialectsTest, PathsChooseTheProduct) {
  EXPECT_EQ(D().For("/api/v1/tools/add_tiktok_ad/execute").name(), "adspirer");
  EXPECT_EQ(D().For("/api/v1/tiktok/identities").name(), "wevion");
  EXPECT_EQ(D().For("/api/v1/tiktok/publish-check").name(), "wevion");
  EXPECT_EQ(D().For("/v1/connect/tiktok-ads").name(), "zernio");
  EXPECT_EQ(D().For("/v1/connect/tiktok/ads").name(), "zernio");
  EXPECT_EQ(D().For("/v1/ads/create").name(), "zernio");
  EXPECT_EQ(D().For("/v1/accounts").name(), "zernio");
  EXPECT_EQ(D().For("/v1/accountsx").name(), "ttads");
  EXPECT_EQ(D().For("/v1/advertisers/1/ads").name(), "ttads");
  EXPECT_EQ(D().For("/v1/tiktok:call").name(), "ttads");
  EXPECT_EQ(D().ToolName("/api/v1/tools/add_tiktok_ad/execute"),
            "add_tiktok_ad");
  EXPECT_EQ(D().ToolName("/v1/ads/create"), "");
}

TEST(DialectsTest, EveryDialectAnswersTheExact401) {
  for (const Dialect* d :
       {&D().ttads(), &D().zernio(), &D().wevion(), &D().adspirer()}) {
    Answer a = d->Unauthorized();
    EXPECT_EQ(a.status, 401);
    EXPECT_EQ(a.body, R"({"error": "Unauthorized"})") << d->name();
  }
}

TEST(DialectsTest, RestErrorShape) {
  Answer a = D().wevion().Error(
      status::InvalidArgument("bad", {{"display_name", "too long"}}), {});
  EXPECT_EQ(a.status, 400);
  json body = json::parse(a.body);
  EXPECT_EQ(body["error"], "bad");
  EXPECT_EQ(body["code"], "INVALID_ARGUMENT");
  EXPECT_TRUE(body["details"].is_array());
  EXPECT_FALSE(body.contains("success"));
}

TEST(DialectsTest, ToolEnvelopeForErrorsBeforeAndAfterCounting) {
  http::HttpRequest request = WithBody(R"({"arguments":{"ad_text":"x"}})");
  Answer before = D().adspirer().Error(
      status::InvalidArgument("bad", {{"arguments.ad_text", "bad"}}),
      {&request, "add_tiktok_ad", nullptr});
  EXPECT_EQ(before.status, 400);
  EXPECT_THAT(before.body,
              HasSubstr(R"({"success":false,"error":"bad","is_error":true,)"
                        R"("tool":"add_tiktok_ad","code":"INVALID_ARGUMENT",)"
                        R"("details":[)"));
  EXPECT_FALSE(json::parse(before.body).contains("quota"));

  QuotaUsage usage{3, 10, "plus", "2026-05-01", true};
  Answer after =
      D().adspirer().Error(grpc::Status(grpc::StatusCode::UNAVAILABLE, "down"),
                           {&request, "add_tiktok_ad", &usage});
  EXPECT_EQ(after.status, 503);
  EXPECT_EQ(after.body,
            R"({"success":false,"error":"down","is_error":true,)"
            R"("tool":"add_tiktok_ad","code":"UNAVAILABLE","details":[],)"
            R"("quota":{"limit":10,"period_end":"2026-05-01","tier":"plus",)"
            R"("used":3}})");
}

TEST(DialectsTest, QuotaRefusals) {
  QuotaUsage usage{150, 150, "plus", "2026-05-01", false};
  Answer tool = D().adspirer().QuotaRefused(
      usage, "team:tm_1", "https://x.example", 60, {nullptr, "add_tiktok_ad"});
  EXPECT_EQ(tool.status, 429);
  EXPECT_THAT(tool.headers,
              ::testing::Contains(
                  std::pair<std::string, std::string>("Retry-After", "60")));
  EXPECT_EQ(tool.body,
            R"({"success":false,"error":"Monthly limit reached (150/150 )"
            R"(tool calls on Plus tier).\nUpgrade your plan at )"
            R"(https://x.example to keep building.","is_error":true,)"
            R"("tool":"add_tiktok_ad","quota":{"limit":150,)"
            R"("period_end":"2026-05-01","tier":"plus",)"
            R"("upgrade_url":"https://x.example","used":150}})");

  Answer rest =
      D().ttads().QuotaRefused(usage, "team:tm_1", "https://x.example", 60, {});
  json body = json::parse(rest.body);
  EXPECT_EQ(body["code"], "RESOURCE_EXHAUSTED");
  EXPECT_THAT(body["error"].get<std::string>(),
              HasSubstr("150/150 API calls on Plus tier"));
  EXPECT_EQ(body["details"][0]["@type"],
            "type.googleapis.com/google.rpc.QuotaFailure");
  EXPECT_EQ(body["quota"]["upgrade_url"], "https://x.example");
}

TEST(DialectsTest, SuccessBodies) {
  preflight::v1::PublishCheckResponse check;
  check.set_advertiser_id("adv1");
  auto routes = RouteTable::FromLinkedServices("ttads.");
  ASSERT_THAT(routes, IsOk());
  auto check_route =
      routes->Match("GET", "/api/v1/tiktok/publish-check").value().route;
  absl::StatusOr<std::string> body =
      D().wevion().SuccessBody(check, *check_route, {});
  ASSERT_THAT(body, IsOk());
  EXPECT_EQ(json::parse(*body)["advertiserId"], "adv1");
  EXPECT_EQ(json::parse(*body)["ready"], false);  // Defaults are printed.

  compat::v1::ExecuteAddTikTokAdResponse tool;
  tool.set_success(true);
  tool.set_tool("add_tiktok_ad");
  (*tool.mutable_data()->mutable_fields())["text"].set_string_value("ok");
  auto tool_route = routes->Match("POST", "/api/v1/tools/add_tiktok_ad/execute")
                        .value()
                        .route;
  QuotaUsage usage{1, 0, "enterprise", "2026-05-01", true};
  body = D().adspirer().SuccessBody(tool, *tool_route,
                                    {nullptr, "add_tiktok_ad", &usage});
  ASSERT_THAT(body, IsOk());
  EXPECT_EQ(*body,
            R"({"success":true,"data":{"text":"ok","quota":{"limit":null,)"
            R"("period_end":"2026-05-01","tier":"enterprise","used":1}},)"
            R"("tool":"add_tiktok_ad"})");
}

// The contracts' enum values carry their enum's prefix
// (IDENTITY_TYPE_TT_USER); the seeds' products document the names without
// it, which their dialects keep printing. ttads' own routes print proto3 JSON.
TEST(DialectsTest, SeedsAnswerShortEnumNamesTtadsProto3JsonNames) {
  auto routes = RouteTable::FromLinkedServices("ttads.");
  ASSERT_THAT(routes, IsOk());
  identity::v1::ListAccountsResponse accounts;
  accounts.add_accounts()->set_mode(identity::v1::ADS_ACCOUNT_MODE_ADS_ONLY);
  auto accounts_route = routes->Match("GET", "/v1/accounts").value().route;
  absl::StatusOr<std::string> body =
      D().zernio().SuccessBody(accounts, *accounts_route, {});
  ASSERT_THAT(body, IsOk());
  EXPECT_EQ(json::parse(*body)["accounts"][0]["mode"], "ADS_ONLY");
  body = D().ttads().SuccessBody(accounts, *accounts_route, {});
  ASSERT_THAT(body, IsOk());
  EXPECT_EQ(json::parse(*body)["accounts"][0]["mode"],
            "ADS_ACCOUNT_MODE_ADS_ONLY");

  identity::v1::ListIdentitiesResponse identities;
  identities.add_identities()->set_identity_type(
      common::v1::IDENTITY_TYPE_TT_USER);
  identities.add_identities();  // The zero value keeps its name.
  auto identities_route =
      routes->Match("GET", "/api/v1/tiktok/identities").value().route;
  body = D().wevion().SuccessBody(identities, *identities_route, {});
  ASSERT_THAT(body, IsOk());
  EXPECT_EQ(json::parse(*body)["identities"][0]["identityType"], "TT_USER");
  EXPECT_EQ(json::parse(*body)["identities"][1]["identityType"],
            "IDENTITY_TYPE_UNSPECIFIED");

  ads::v1::AdEvent event;
  event.mutable_ad()->set_identity_type(
      common::v1::IDENTITY_TYPE_CUSTOMIZED_USER);
  EXPECT_THAT(D().adspirer().StreamMessage(event),
              HasSubstr(R"("identityType":"CUSTOMIZED_USER")"));
  EXPECT_THAT(D().ttads().StreamMessage(event),
              HasSubstr(R"("identityType":"IDENTITY_TYPE_CUSTOMIZED_USER")"));
}

TEST(DialectsTest, AdspirerRejectsCustomizedUserWhileZernioTakesItAsAnOptIn) {
  compat::v1::ExecuteAddTikTokAdRequest tool;
  tool.mutable_arguments()->set_adgroup_id("1");
  EXPECT_THAT(D().adspirer().CheckRequest(tool), IsOk());
  tool.mutable_arguments()->set_identity_type(
      common::v1::IDENTITY_TYPE_TT_USER);
  EXPECT_THAT(D().adspirer().CheckRequest(tool), IsOk());

  tool.mutable_arguments()->set_identity_type(
      common::v1::IDENTITY_TYPE_CUSTOMIZED_USER);
  absl::Status refused = D().adspirer().CheckRequest(tool);
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kInvalidArgument,
                                HasSubstr("CUSTOMIZED_USER")));
  EXPECT_THAT(FieldsOf(refused),
              ::testing::ElementsAre("arguments.identity_type"));

  compat::v1::ExecuteAddTikTokAdRequest opt_in;
  opt_in.mutable_arguments()->set_use_brand_identity(true);
  opt_in.mutable_arguments()->mutable_brand_identity()->set_display_name("B");
  EXPECT_THAT(FieldsOf(D().adspirer().CheckRequest(opt_in)),
              ::testing::UnorderedElementsAre("arguments.use_brand_identity",
                                              "arguments.brand_identity"));

  // Zernio's opt-in, ttads' own API and Wevion leave it to the services.
  compat::v1::CreateAdRequest zernio;
  zernio.set_identity_type(common::v1::IDENTITY_TYPE_CUSTOMIZED_USER);
  zernio.set_use_brand_identity(true);
  EXPECT_THAT(D().zernio().CheckRequest(zernio), IsOk());
  EXPECT_THAT(D().ttads().CheckRequest(zernio), IsOk());
  EXPECT_THAT(D().wevion().CheckRequest(zernio), IsOk());
  EXPECT_EQ(D().zernio().custom_identity(), Dialect::CustomIdentity::kOptIn);
  EXPECT_EQ(D().wevion().custom_identity(), Dialect::CustomIdentity::kAllow);
}

TEST(SpellAsSentTest, KeepsTheCallersSpelling) {
  using S = Dialect::Spelling;
  http::HttpRequest camel = WithBody(R"({"accountId":"a","displayName":"x"})");
  http::HttpRequest snake =
      WithBody(R"({"account_id":"a","display_name":"x"})");
  EXPECT_EQ(SpellAsSent("display_name", &camel, S::kProto), "displayName");
  EXPECT_EQ(SpellAsSent("display_name", &snake, S::kCamel), "display_name");
  // Not sent: the dialect's spelling.
  EXPECT_EQ(SpellAsSent("image_url", &camel, S::kProto), "image_url");
  EXPECT_EQ(SpellAsSent("image_url", &camel, S::kCamel), "imageUrl");
  EXPECT_EQ(SpellAsSent("image_url", nullptr, S::kCamel), "imageUrl");
  // Nested paths and indexes, component by component.
  http::HttpRequest nested =
      WithBody(R"({"brandIdentity":{"display_name":"x"}})");
  EXPECT_EQ(SpellAsSent("brand_identity.display_name", &nested, S::kProto),
            "brandIdentity.display_name");
  http::HttpRequest list = WithBody(R"({"image_urls":["a"]})");
  EXPECT_EQ(SpellAsSent("image_urls[0]", &list, S::kCamel), "image_urls[0]");
  // Query parameters name the whole path.
  http::HttpRequest query = WithBody("", {{"advertiserId", "1"}});
  EXPECT_EQ(SpellAsSent("advertiser_id", &query, S::kProto), "advertiserId");
  // Names without '_' never change.
  EXPECT_EQ(SpellAsSent("Idempotency-Key", &camel, S::kCamel),
            "Idempotency-Key");
  EXPECT_EQ(SpellAsSent("body", &camel, S::kCamel), "body");
}

TEST(SpellAsSentTest, BackendViolationsComeBackAsTheCallerWroteThem) {
  grpc::Status backend = status::ToGrpcStatus(status::InvalidArgument(
      "display_name is too long", {{"display_name", "1-40 characters"}}));
  http::HttpRequest zernio =
      WithBody(R"({"displayName":")" + std::string(41, 'x') + R"("})");
  EXPECT_EQ(ViolationIn(D().zernio().Error(backend, {&zernio}).body),
            "displayName");
  http::HttpRequest wevion =
      WithBody(R"({"advertiser_id":"a","display_name":"x"})");
  EXPECT_EQ(ViolationIn(D().wevion().Error(backend, {&wevion}).body),
            "display_name");
}

}  // namespace
}  // namespace ttads::gateway
