#include "gmock/gmock.h"
#include "tools/tiktok_sim/sim_test_util.h"

namespace ttads::tiktok_sim {
namespace {

class SimAdsTest : public SimTest {
 protected:
  nlohmann::json Creative(const std::string& text = "Hello from the sim") {
    return {{"ad_name", "Sim ad"},
            {"ad_format", "SINGLE_VIDEO"},
            {"identity_type", "TT_USER"},
            {"identity_id", seed::kIdentityTtUser},
            {"tiktok_item_id", seed::kItemTtUser2},
            {"ad_text", text},
            {"call_to_action", "SHOP_NOW"},
            {"landing_page_url", "https://example.com"}};
  }
  Reply Create(const nlohmann::json& creatives) {
    return Post("ad/create/", {{"advertiser_id", seed::kAdvertiserTtUser},
                               {"adgroup_id", seed::AdGroupId(1, 1)},
                               {"creatives", creatives}});
  }
};

TEST_F(SimAdsTest, CreatesAndReadsBackAds) {
  auto res = Create(nlohmann::json::array({Creative(), Creative("Second")}));
  ASSERT_EQ(res.code(), 0) << res.body;
  ASSERT_EQ(res.data()["ad_ids"].size(), 2u);
  std::string id = res.data()["ad_ids"][0];

  auto got = Get("ad/get/", {{"advertiser_id", seed::kAdvertiserTtUser},
                             {"filtering", {{"ad_ids", {id}}}}});
  ASSERT_EQ(got.code(), 0) << got.body;
  ASSERT_EQ(got.data()["list"].size(), 1u);
  const auto& ad = got.data()["list"][0];
  EXPECT_EQ(ad["ad_text"], "Hello from the sim");
  EXPECT_EQ(ad["campaign_id"], seed::CampaignId(1, 1));
  EXPECT_FALSE(ad["create_time"].get<std::string>().empty());
  EXPECT_EQ(ad["create_time"], ad["modify_time"]);

  auto fields = Get("ad/get/", {{"advertiser_id", seed::kAdvertiserTtUser},
                                {"filtering", {{"ad_ids", {id}}}},
                                {"fields", {"ad_id", "ad_text"}}});
  EXPECT_EQ(fields.data()["list"][0].size(), 2u);
  EXPECT_EQ(sim_->stats().ads, 6u);
}

TEST_F(SimAdsTest, ValidatesCreatives) {
  // Each bad call below breaks TikTok's contract on purpose.
  sim_->ExpectViolations(5);
  nlohmann::json many = nlohmann::json::array();
  for (int i = 0; i < 21; ++i) many.push_back(Creative());
  EXPECT_EQ(Create(many).code(), kParamError);
  EXPECT_EQ(
      Create(nlohmann::json::array({Creative(std::string(101, 'a'))})).code(),
      kParamError);
  EXPECT_EQ(Create(nlohmann::json::array({Creative("")})).code(), kParamError);
  auto custom_spark = Creative();
  custom_spark["identity_type"] = "CUSTOMIZED_USER";
  custom_spark["identity_id"] = seed::kIdentityCustom1;
  auto r = Create(nlohmann::json::array({custom_spark}));
  EXPECT_EQ(r.code(), kParamError);
  EXPECT_THAT(r.json["message"].get<std::string>(),
              ::testing::HasSubstr("tiktok_item_id"));
  auto no_format = Creative();
  no_format.erase("ad_format");
  EXPECT_EQ(Create(nlohmann::json::array({no_format})).code(), kParamError);
  EXPECT_EQ(sim_->violations(), 5);
  // Nothing was created by the failed calls.
  EXPECT_EQ(sim_->stats().ads, 4u);
}

// ad_name's 512 limit is counted as TikTok counts (a CJK character is 2),
// by the contract alone: 200 CJK characters (600 UTF-8 bytes, length 400)
// are accepted, 300 (length 600) are a counted contract violation.
TEST_F(SimAdsTest, AdNameLengthIsTheContractsTikTokLength) {
  std::string cjk;
  for (int i = 0; i < 200; ++i) cjk += "\xE6\x97\xA5";  // 日
  auto named = Creative();
  named["ad_name"] = cjk;
  auto ok = Create(nlohmann::json::array({named}));
  EXPECT_EQ(ok.code(), 0) << ok.body;

  sim_->ExpectViolations(1);
  for (int i = 0; i < 100; ++i) cjk += "\xE6\x97\xA5";
  named["ad_name"] = cjk;
  auto refused = Create(nlohmann::json::array({named}));
  EXPECT_EQ(refused.code(), kParamError);
  EXPECT_THAT(refused.json["message"].get<std::string>(),
              ::testing::HasSubstr("ad_name"));
  EXPECT_EQ(sim_->violations(), 1);
}

TEST_F(SimAdsTest, StatusRulesAndDeletedAdsAreFinal) {
  auto res = Create(nlohmann::json::array({Creative()}));
  std::string id = res.data()["ad_ids"][0];
  auto status = [&](const std::string& op, nlohmann::json ids) {
    return Post("ad/status/update/",
                {{"advertiser_id", seed::kAdvertiserTtUser},
                 {"ad_ids", ids},
                 {"operation_status", op}});
  };
  EXPECT_EQ(status("DISABLE", {id}).code(), 0);
  sim_->ExpectViolations(3);  // PAUSE, no ids, 21 ids.
  EXPECT_EQ(status("PAUSE", {id}).code(), kParamError);
  EXPECT_EQ(status("ENABLE", nlohmann::json::array()).code(), kParamError);
  nlohmann::json too_many = nlohmann::json::array();
  for (int i = 0; i < 21; ++i) too_many.push_back(id);
  EXPECT_EQ(status("ENABLE", too_many).code(), kParamError);
  EXPECT_EQ(status("DELETE", {id}).code(), 0);
  EXPECT_EQ(status("ENABLE", {id}).code(), kParamError);

  auto visible = Get("ad/get/", {{"advertiser_id", seed::kAdvertiserTtUser},
                                 {"filtering", {{"ad_ids", {id}}}}});
  EXPECT_TRUE(visible.data()["list"].empty());
  auto all = Get(
      "ad/get/",
      {{"advertiser_id", seed::kAdvertiserTtUser},
       {"filtering", {{"ad_ids", {id}}, {"primary_status", "STATUS_ALL"}}}});
  ASSERT_EQ(all.data()["list"].size(), 1u);
  EXPECT_EQ(all.data()["list"][0]["secondary_status"], "AD_STATUS_DELETE");
}

TEST_F(SimAdsTest, UpdateAndPagingRules) {
  auto res = Create(nlohmann::json::array({Creative()}));
  std::string id = res.data()["ad_ids"][0];
  auto upd = Post("ad/update/",
                  {{"advertiser_id", seed::kAdvertiserTtUser},
                   {"adgroup_id", seed::AdGroupId(1, 1)},
                   {"patch_update", true},
                   {"creatives", {{{"ad_id", id}, {"ad_text", "Changed"}}}}});
  ASSERT_EQ(upd.code(), 0) << upd.body;
  auto got = Get("ad/get/", {{"advertiser_id", seed::kAdvertiserTtUser},
                             {"filtering", {{"ad_ids", {id}}}}});
  EXPECT_EQ(got.data()["list"][0]["ad_text"], "Changed");
  sim_->ExpectViolations(1);  // page_size 1001.
  EXPECT_EQ(Get("ad/get/", {{"advertiser_id", seed::kAdvertiserTtUser},
                            {"page_size", "1001"}})
                .code(),
            kParamError);
  auto page = Get("ad/get/", {{"advertiser_id", seed::kAdvertiserTtUser},
                              {"page_size", "1"},
                              {"page", "2"}});
  EXPECT_EQ(page.data()["list"].size(), 1u);
  EXPECT_EQ(page.data()["page_info"]["total_number"], 3);
  auto future = Get(
      "ad/get/",
      {{"advertiser_id", seed::kAdvertiserTtUser},
       {"filtering", {{"creation_filter_start_time", "2099-01-01 00:00:00"}}}});
  EXPECT_TRUE(future.data()["list"].empty());
}

TEST_F(SimAdsTest, CampaignsAdGroupsAndPrerequisiteAssets) {
  auto campaigns =
      Get("campaign/get/",
          {{"advertiser_id", seed::kAdvertiserTtUser}, {"page_size", "100"}});
  ASSERT_EQ(campaigns.code(), 0);
  EXPECT_EQ(campaigns.data()["list"].size(), 8u);
  auto groups =
      Get("adgroup/get/",
          {{"advertiser_id", seed::kAdvertiserBc},
           {"filtering", {{"campaign_ids", {seed::CampaignId(3, 7)}}}}});
  ASSERT_EQ(groups.data()["list"].size(), 1u);
  EXPECT_EQ(groups.data()["list"][0]["catalog_id"], seed::kCatalog);

  auto pixels =
      Get("pixel/list/", {{"advertiser_id", seed::kAdvertiserTtUser}});
  EXPECT_EQ(pixels.data()["pixels"][0]["pixel_id"], seed::kPixelAdv1);
  EXPECT_TRUE(Get("pixel/list/", {{"advertiser_id", seed::kAdvertiserNoTtUser}})
                  .data()["pixels"]
                  .empty());
  auto apps = Get("app/list/", {{"advertiser_id", seed::kAdvertiserTtUser}});
  EXPECT_EQ(apps.data()["apps"][0]["app_id"], seed::kAppAdv1);
  auto forms = Get("page/get/", {{"advertiser_id", seed::kAdvertiserTtUser}});
  EXPECT_EQ(forms.data()["list"][0]["page_id"], seed::kLeadFormAdv1);

  sim_->ExpectViolations(1);
  EXPECT_EQ(Get("catalog/get/", {}).code(), kParamError);
  auto catalogs = Get("catalog/get/", {{"bc_id", seed::kBusinessCenter}});
  ASSERT_EQ(catalogs.code(), 0) << catalogs.body;
  EXPECT_EQ(catalogs.data()["list"][0]["catalog_id"], seed::kCatalog);
  std::string narrow = sim_->IssueAccessToken({seed::kAdvertiserTtUser});
  EXPECT_EQ(
      Get("catalog/get/", {{"bc_id", seed::kBusinessCenter}}, narrow).code(),
      kNoPermission);
}

}  // namespace
}  // namespace ttads::tiktok_sim
