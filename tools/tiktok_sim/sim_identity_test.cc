#include "gmock/gmock.h"
#include "tools/tiktok_sim/media.h"
#include "tools/tiktok_sim/sim_test_util.h"

namespace ttads::tiktok_sim {
namespace {

using SimIdentityTest = SimTest;

TEST_F(SimIdentityTest, ListsAndFiltersByType) {
  auto all = Get("identity/get/", {{"advertiser_id", seed::kAdvertiserTtUser}});
  ASSERT_EQ(all.code(), 0) << all.body;
  EXPECT_EQ(all.data()["identity_list"].size(), 2u);
  // Untyped: page_info is not reliable (it counts CUSTOMIZED_USER only).
  EXPECT_EQ(all.data()["page_info"]["total_number"], 1);

  auto tt = Get("identity/get/", {{"advertiser_id", seed::kAdvertiserTtUser},
                                  {"identity_type", "TT_USER"}});
  ASSERT_EQ(tt.data()["identity_list"].size(), 1u);
  EXPECT_EQ(tt.data()["identity_list"][0]["identity_id"],
            seed::kIdentityTtUser);
  EXPECT_EQ(tt.data()["identity_list"][0]["available_status"], "AVAILABLE");
  EXPECT_EQ(tt.data()["page_info"]["total_number"], 1);
  // The answer carries the reference's fields only.
  for (const char* field :
       {"identity_id", "identity_type", "identity_authorized_bc_id",
        "display_name", "profile_image", "can_push_video", "can_pull_video",
        "can_use_live_ads", "can_manage_message", "available_status"}) {
    EXPECT_TRUE(tt.data()["identity_list"][0].contains(field)) << field;
  }
  EXPECT_EQ(tt.data()["identity_list"][0].size(), 10u);

  auto none =
      Get("identity/get/", {{"advertiser_id", seed::kAdvertiserNoTtUser},
                            {"identity_type", "TT_USER"}});
  ASSERT_EQ(none.code(), 0);
  EXPECT_TRUE(none.data()["identity_list"].empty());

  auto bc = Get("identity/get/",
                {{"advertiser_id", seed::kAdvertiserBc},
                 {"identity_type", "BC_AUTH_TT"},
                 {"identity_authorized_bc_id", seed::kBusinessCenter}});
  EXPECT_EQ(bc.data()["identity_list"].size(), 2u);
}

TEST_F(SimIdentityTest, PagesAndValidatesPageSize) {
  sim_->ExpectViolations(2);  // Contract: page_size 101 and 0.
  auto p2 = Get("identity/get/",
                {{"advertiser_id", seed::kAdvertiserBc},
                 {"identity_type", "BC_AUTH_TT"},
                 {"identity_authorized_bc_id", seed::kBusinessCenter},
                 {"page", "2"},
                 {"page_size", "1"}});
  ASSERT_EQ(p2.code(), 0) << p2.body;
  ASSERT_EQ(p2.data()["identity_list"].size(), 1u);
  EXPECT_EQ(p2.data()["identity_list"][0]["identity_id"],
            seed::kIdentityPrivateTt);
  EXPECT_EQ(p2.data()["page_info"]["total_page"], 2);
  EXPECT_EQ(Get("identity/get/", {{"advertiser_id", seed::kAdvertiserTtUser},
                                  {"page_size", "101"}})
                .code(),
            kParamError);
  EXPECT_EQ(Get("identity/get/", {{"advertiser_id", seed::kAdvertiserTtUser},
                                  {"page_size", "0"}})
                .code(),
            kParamError);
}

TEST_F(SimIdentityTest, CreatesCustomizedUserOnly) {
  sim_->ExpectViolations(2);  // Contract: a 101-character name, identity_type.
  std::string adv = seed::kAdvertiserNoTtUser;
  EXPECT_EQ(Post("identity/create/", {{"advertiser_id", adv},
                                      {"display_name", std::string(101, 'n')}})
                .code(),
            kParamError);
  // The page has no identity_type: only CUSTOMIZED_USER can be created.
  EXPECT_EQ(Post("identity/create/", {{"advertiser_id", adv},
                                      {"identity_type", "TT_USER"},
                                      {"display_name", "x"}})
                .code(),
            kParamError);
  // An image of another advertiser is not usable.
  EXPECT_EQ(Post("identity/create/", {{"advertiser_id", adv},
                                      {"display_name", "Shop"},
                                      {"image_uri", seed::kImageAdv1}})
                .code(),
            kParamError);

  std::string png = MakePng(200, 200);
  auto img =
      Upload("file/image/ad/upload/",
             {{"advertiser_id", adv},
              {"image_signature", Md5Hex(png)},
              {"image_file", png, std::string("avatar.png"), "image/png"}});
  ASSERT_EQ(img.code(), 0) << img.body;
  auto created =
      Post("identity/create/", {{"advertiser_id", adv},
                                {"display_name", std::string(100, 'n')},
                                {"image_uri", img.data()["image_id"]}});
  ASSERT_EQ(created.code(), 0) << created.body;
  std::string id = created.data()["identity_id"];
  auto list = Get("identity/get/", {{"advertiser_id", adv},
                                    {"identity_type", "CUSTOMIZED_USER"}});
  ASSERT_EQ(list.data()["identity_list"].size(), 2u);
  EXPECT_EQ(list.data()["identity_list"][1]["identity_id"], id);
  EXPECT_EQ(list.data()["identity_list"][1]["profile_image"],
            img.data()["image_url"]);
}

TEST_F(SimIdentityTest, ListsSparkPostsOfAnIdentity) {
  auto videos =
      Get("identity/video/get/", {{"advertiser_id", seed::kAdvertiserTtUser},
                                  {"identity_id", seed::kIdentityTtUser},
                                  {"identity_type", "TT_USER"}});
  ASSERT_EQ(videos.code(), 0) << videos.body;
  ASSERT_EQ(videos.data()["video_list"].size(), 2u);
  const auto& post = videos.data()["video_list"][0];
  EXPECT_EQ(post["item_id"], seed::kItemTtUser1);
  EXPECT_EQ(post["item_type"], "VIDEO");
  EXPECT_EQ(post["status"], "ITEM_STATUS_HESITATE_RECOMMEND");
  EXPECT_FALSE(post["video_info"]["poster_url"].get<std::string>().empty());
  // "Get posts under an identity" lists no video id in video_info.
  EXPECT_FALSE(post["video_info"].contains("video_id"));
  EXPECT_FALSE(videos.data()["has_more"].get<bool>());
  EXPECT_TRUE(videos.data()["cursor"].is_string());
  EXPECT_EQ(Get("identity/video/get/",
                {{"advertiser_id", seed::kAdvertiserTtUser},
                 {"identity_id", seed::kIdentityBcAuthTt},
                 {"identity_type", "BC_AUTH_TT"},
                 {"identity_authorized_bc_id", seed::kBusinessCenter}})
                .code(),
            kNotFound);
}

TEST_F(SimIdentityTest, PostsOfBcAuthTtNeedTheBusinessCenter) {
  sim_->ExpectViolations(
      1);  // Contract: BC_AUTH_TT without identity_authorized_bc_id.
  const std::map<std::string, nlohmann::json> base = {
      {"advertiser_id", seed::kAdvertiserBc},
      {"identity_id", seed::kIdentityBcAuthTt},
      {"identity_type", "BC_AUTH_TT"}};
  auto missing = Get("identity/video/get/", base);
  EXPECT_EQ(missing.code(), kParamError);
  EXPECT_THAT(missing.json["message"].get<std::string>(),
              ::testing::StartsWith("identity_authorized_bc_id"));
  auto with_bc = base;
  with_bc["identity_authorized_bc_id"] = seed::kBusinessCenter;
  auto ok = Get("identity/video/get/", with_bc);
  ASSERT_EQ(ok.code(), 0) << ok.body;
  ASSERT_EQ(ok.data()["video_list"].size(), 1u);
  EXPECT_EQ(ok.data()["video_list"][0]["item_id"], seed::kItemBc1);
  auto wrong_bc = base;
  wrong_bc["identity_authorized_bc_id"] = "7109999999999999999";
  EXPECT_EQ(Get("identity/video/get/", wrong_bc).code(), kParamError);
}

TEST_F(SimIdentityTest, PostsPageWithCountAndCursor) {
  const std::map<std::string, nlohmann::json> first_page = {
      {"advertiser_id", seed::kAdvertiserTtUser},
      {"identity_id", seed::kIdentityTtUser},
      {"identity_type", "TT_USER"},
      {"count", "1"}};
  auto first = Get("identity/video/get/", first_page);
  ASSERT_EQ(first.code(), 0) << first.body;
  ASSERT_EQ(first.data()["video_list"].size(), 1u);
  EXPECT_TRUE(first.data()["has_more"].get<bool>());
  auto next_page = first_page;
  next_page["cursor"] = first.data()["cursor"];
  auto second = Get("identity/video/get/", next_page);
  ASSERT_EQ(second.data()["video_list"].size(), 1u);
  EXPECT_EQ(second.data()["video_list"][0]["item_id"], seed::kItemTtUser2);
  EXPECT_FALSE(second.data()["has_more"].get<bool>());
}

// Missing, unknown and out-of-enum parameters: TikTok's 40002 naming the
// parameter, on every identity endpoint.
TEST_F(SimIdentityTest, RefusesWhatTheReferenceDoesNotAllow) {
  sim_->ExpectViolations(12);  // Contract: every case below.
  struct Case {
    std::string method, path;
    nlohmann::json params;
    std::string field;
  } cases[] = {
      {"GET", "identity/get/", {}, "advertiser_id"},
      {"GET",
       "identity/get/",
       {{"advertiser_id", seed::kAdvertiserTtUser},
        {"identity_type", "TTS_TT"}},
       "identity_type"},
      {"GET",
       "identity/get/",
       {{"advertiser_id", seed::kAdvertiserBc},
        {"identity_type", "BC_AUTH_TT"}},
       "identity_authorized_bc_id"},
      {"GET",
       "identity/get/",
       {{"advertiser_id", seed::kAdvertiserTtUser}, {"owner", "me"}},
       "owner"},
      {"GET",
       "identity/get/",
       {{"advertiser_id", seed::kAdvertiserTtUser},
        {"identity_type", "TT_USER"},
        {"filtering", "{}"}},
       "filtering"},
      {"POST",
       "identity/create/",
       {{"advertiser_id", seed::kAdvertiserNoTtUser}},
       "display_name"},
      {"POST",
       "identity/create/",
       {{"advertiser_id", seed::kAdvertiserNoTtUser},
        {"display_name", "Shop"},
        {"identity_type", "CUSTOMIZED_USER"}},
       "identity_type"},
      {"GET",
       "identity/video/get/",
       {{"advertiser_id", seed::kAdvertiserTtUser},
        {"identity_type", "TT_USER"}},
       "identity_id"},
      {"GET",
       "identity/video/get/",
       {{"advertiser_id", seed::kAdvertiserTtUser},
        {"identity_id", seed::kIdentityTtUser}},
       "identity_type"},
      {"GET",
       "identity/video/get/",
       {{"advertiser_id", seed::kAdvertiserTtUser},
        {"identity_id", seed::kIdentityCustom1},
        {"identity_type", "CUSTOMIZED_USER"}},
       "identity_type"},
      {"GET",
       "identity/video/get/",
       {{"advertiser_id", seed::kAdvertiserTtUser},
        {"identity_id", seed::kIdentityTtUser},
        {"identity_type", "TT_USER"},
        {"keyword", "drop"}},
       "keyword"},
      {"GET",
       "identity/video/get/",
       {{"advertiser_id", seed::kAdvertiserTtUser},
        {"identity_id", seed::kIdentityTtUser},
        {"identity_type", "TT_USER"},
        {"item_type", "STORY"}},
       "item_type"},
  };
  for (const auto& c : cases) {
    Reply r;
    if (c.method == "GET") {
      std::map<std::string, nlohmann::json> params;
      for (const auto& [k, v] : c.params.items()) params[k] = v;
      r = Get(c.path, params);
    } else {
      r = Post(c.path, c.params);
    }
    EXPECT_EQ(r.code(), kParamError) << c.path << " " << c.field << r.body;
    EXPECT_THAT(r.json["message"].get<std::string>(),
                ::testing::StartsWith(c.field))
        << c.path << " " << r.body;
  }
}

}  // namespace
}  // namespace ttads::tiktok_sim
