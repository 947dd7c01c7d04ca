// The simulator enforces TikTok's contract on every covered endpoint and
// counts what it refused (docs/simulator.md "The contract").

#include "gmock/gmock.h"
#include "libs/testing/status_matchers.h"
#include "tools/tiktok_sim/sim_test_util.h"

namespace ttads::tiktok_sim {
namespace {

using ::testing::HasSubstr;
using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;

class SimContractTest : public SimTest {
 protected:
  nlohmann::json Creative() {
    return {{"ad_name", "Contract ad"},
            {"ad_format", "SINGLE_VIDEO"},
            {"identity_type", "TT_USER"},
            {"identity_id", seed::kIdentityTtUser},
            {"tiktok_item_id", seed::kItemTtUser2},
            {"ad_text", "Hello"},
            {"call_to_action", "SHOP_NOW"},
            {"landing_page_url", "https://example.com"}};
  }
  std::string CreateAd() {
    auto res = Post("ad/create/", {{"advertiser_id", seed::kAdvertiserTtUser},
                                   {"adgroup_id", seed::AdGroupId(1, 1)},
                                   {"creatives", {Creative()}}});
    EXPECT_EQ(res.code(), 0) << res.body;
    return res.code() == 0 ? res.data()["ad_ids"][0].get<std::string>() : "";
  }
};

TEST_F(SimContractTest, ViolationsAreCountedPerEndpointAndExposed) {
  auto c = Creative();
  c["dark_post_status"] = "ENABLE";  // Adspirer's word; TikTok says ON.
  auto res = Post("ad/create/", {{"advertiser_id", seed::kAdvertiserTtUser},
                                 {"adgroup_id", seed::AdGroupId(1, 1)},
                                 {"creatives", {c}}});
  EXPECT_EQ(res.code(), kParamError);
  EXPECT_THAT(res.json["message"].get<std::string>(),
              HasSubstr("creatives[0].dark_post_status"));
  EXPECT_EQ(sim_->stats().ads, 4u);  // Nothing created.
  EXPECT_EQ(sim_->violations(), 1);
  EXPECT_EQ(sim_->stats().violations["/ad/create/"], 1);
  EXPECT_THAT(sim_->CheckViolations(),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("1 TikTok contract violation(s)")));

  auto stats = Control("GET", "/_sim/stats");
  EXPECT_EQ(stats.json["contract_violations"]["/ad/create/"], 1);
  EXPECT_EQ(stats.json["contract_violations_total"], 1);
  auto v = Control("GET", "/_sim/violations");
  EXPECT_EQ(v.json["total"], 1);
  EXPECT_THAT(v.json["log"][0].get<std::string>(),
              HasSubstr("dark_post_status"));

  // Declared, it no longer fails the test; Reset() does not wipe it.
  ASSERT_EQ(
      Control("POST", "/_sim/violations/expect", {{"count", 1}}).http_status,
      200);
  EXPECT_THAT(sim_->CheckViolations(), IsOk());
  ASSERT_THAT(sim_->Reset("demo"), IsOk());
  EXPECT_EQ(sim_->violations(), 1);
}

TEST_F(SimContractTest, WrongMethodAndWrongEncodingAreViolations) {
  sim_->ExpectViolations(3);
  auto get = Get("ad/create/", {{"advertiser_id", seed::kAdvertiserTtUser}});
  EXPECT_EQ(get.http_status, 405);
  // UPLOAD_BY_FILE needs multipart; UPLOAD_BY_URL needs JSON.
  auto json_file =
      Post("file/image/ad/upload/", {{"advertiser_id", seed::kAdvertiserTtUser},
                                     {"upload_type", "UPLOAD_BY_FILE"},
                                     {"image_signature", "x"},
                                     {"image_file", "x"}});
  EXPECT_EQ(json_file.code(), kParamError);
  auto multipart_url = Upload("file/image/ad/upload/",
                              {{"advertiser_id", seed::kAdvertiserTtUser},
                               {"upload_type", "UPLOAD_BY_URL"},
                               {"image_url", "https://example.com/a.png"}});
  EXPECT_EQ(multipart_url.code(), kParamError);
  EXPECT_THAT(multipart_url.json["message"].get<std::string>(),
              HasSubstr("application/json"));
  EXPECT_EQ(sim_->violations(), 3);
}

TEST_F(SimContractTest, UpdateIsPatchOrFull) {
  std::string id = CreateAd();
  auto update = [&](bool patch, nlohmann::json creative) {
    creative["ad_id"] = id;
    return Post("ad/update/", {{"advertiser_id", seed::kAdvertiserTtUser},
                               {"adgroup_id", seed::AdGroupId(1, 1)},
                               {"patch_update", patch},
                               {"creatives", {creative}}});
  };
  auto read = [&] {
    return Get("ad/get/", {{"advertiser_id", seed::kAdvertiserTtUser},
                           {"filtering", {{"ad_ids", {id}}}}})
        .data()["list"][0];
  };
  sim_->ExpectViolations(2);
  // Patch mode cannot change the landing page; a partial full update is
  // missing the creative.
  auto bad_patch = update(true, {{"landing_page_url", "https://x.example"}});
  EXPECT_THAT(bad_patch.json["message"].get<std::string>(),
              HasSubstr("creatives[0].landing_page_url"));
  auto partial = update(false, {{"ad_text", "Partial"}});
  EXPECT_THAT(partial.json["message"].get<std::string>(),
              HasSubstr("creatives[0].ad_name"));
  EXPECT_EQ(read()["ad_text"], "Hello");

  ASSERT_EQ(update(true, {{"ad_text", "Patched"}}).code(), 0);
  EXPECT_EQ(read()["ad_text"], "Patched");
  EXPECT_EQ(read()["landing_page_url"], "https://example.com");

  // A full update replaces the creative: what it leaves out is gone.
  nlohmann::json full = Creative();
  full.erase("landing_page_url");
  full["ad_text"] = "Full";
  auto ok = update(false, full);
  ASSERT_EQ(ok.code(), 0) << ok.body;
  EXPECT_EQ(read()["ad_text"], "Full");
  EXPECT_FALSE(read().contains("landing_page_url"));
}

// The asset reads ttads makes before and while creating ads
// (contract/assets.json): TikTok's code, a message naming the field, counted.
TEST_F(SimContractTest, AssetReadsAreUnderContract) {
  struct Case {
    std::string path;
    std::map<std::string, nlohmann::json> params;
    std::string field;
  };
  const std::string adv = seed::kAdvertiserTtUser;
  std::vector<Case> cases = {
      {"pixel/list/", {{"advertiser_id", adv}, {"page_size", 21}}, "page_size"},
      {"pixel/list/",
       {{"advertiser_id", adv}, {"order_by", "NEWEST"}},
       "order_by"},
      {"app/list/", {{"advertiser_id", adv}, {"page_size", 10}}, "page_size"},
      {"catalog/get/",
       {{"bc_id", seed::kBusinessCenter}, {"advertiser_id", adv}},
       "advertiser_id"},
      {"page/get/",
       {{"advertiser_id", adv}, {"page_status", "PUBLISHED"}},
       "page_status"},
      {"page/get/", {{"business_type", "LEAD_GEN"}}, "advertiser_id"},
      {"page/get/", {{"advertiser_id", adv}, {"status", "EDITING"}}, "status"},
      {"campaign/get/",
       {{"advertiser_id", adv},
        {"filtering", {{"campaign_ids", std::vector<std::string>(101, "1")}}}},
       "filtering.campaign_ids"},
      {"adgroup/get/",
       {{"advertiser_id", adv}, {"filtering", {{"adgroup_id", "1"}}}},
       "filtering.adgroup_id"},
      {"adgroup/get/",
       {{"advertiser_id", adv}, {"page_size", 1001}},
       "page_size"},
      {"file/image/ad/info/",
       {{"advertiser_id", adv},
        {"image_ids", std::vector<std::string>(101, seed::kImageAdv1)}},
       "image_ids"},
  };
  sim_->ExpectViolations(static_cast<int>(cases.size()));
  for (const auto& c : cases) {
    auto res = Get(c.path, c.params);
    EXPECT_EQ(res.code(), kParamError) << c.path << " " << res.body;
    EXPECT_THAT(res.json.value("message", ""), HasSubstr(c.field)) << c.path;
  }
  EXPECT_EQ(sim_->violations(), static_cast<int>(cases.size()));
  EXPECT_EQ(sim_->stats().violations["/page/get/"], 3);

  // What ttads sends passes (services/preflight/tiktok_asset_source.cc).
  auto forms = Get("page/get/", {{"advertiser_id", adv},
                                 {"business_type", "LEAD_GEN"},
                                 {"status", "PUBLISHED"},
                                 {"page_size", 100}});
  ASSERT_EQ(forms.code(), 0) << forms.body;
  EXPECT_EQ(forms.data()["list"].size(), 1u);
  EXPECT_EQ(Get("catalog/get/",
                {{"bc_id", seed::kBusinessCenter}, {"page_size", 100}})
                .code(),
            0);
  EXPECT_EQ(sim_->violations(), static_cast<int>(cases.size()));
}

// What the raw call (CallTikTokApi) may send, answered as TikTok answers it:
// its Marketing API endpoints take GET or POST only (405 otherwise, a
// contract violation), live under /open_api/v1.3/ with a trailing '/' (404
// otherwise), and ignore request headers they do not know.
TEST_F(SimContractTest, RawCallShapesAreAnsweredAsTikTokDoes) {
  const std::string get_ads = sim_->base_url() + "ad/get/?advertiser_id=" +
                              std::string(seed::kAdvertiserTtUser);
  const std::string token = "Access-Token: " + token_;
  sim_->ExpectViolations(3);
  for (const char* method : {"PUT", "PATCH", "DELETE"}) {
    auto r = client_.Request(method, get_ads,
                             {token, "Content-Type: application/json"}, "{}");
    EXPECT_EQ(r.status, 405) << method;
  }
  EXPECT_EQ(
      client_
          .Get(sim_->root_url() + "/open_api/v1.2/ad/get/?advertiser_id=" +
                   std::string(seed::kAdvertiserTtUser),
               {token})
          .status,
      404);
  EXPECT_EQ(client_
                .Get(sim_->base_url() + "ad/get?advertiser_id=" +
                         std::string(seed::kAdvertiserTtUser),
                     {token})
                .status,
            404);
  auto with_headers = Parse(
      client_.Get(get_ads, {token, "X-Debug-Id: 1", "Accept-Language: de-DE"}));
  EXPECT_EQ(with_headers.http_status, 200);
  EXPECT_EQ(with_headers.code(), 0);
}

}  // namespace
}  // namespace ttads::tiktok_sim
