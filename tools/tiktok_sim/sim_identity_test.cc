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
  EXPECT_EQ(all.data()["page_info"]["total_number"], 2);

  auto tt = Get("identity/get/", {{"advertiser_id", seed::kAdvertiserTtUser},
                                  {"identity_type", "TT_USER"}});
  ASSERT_EQ(tt.data()["identity_list"].size(), 1u);
  EXPECT_EQ(tt.data()["identity_list"][0]["identity_id"],
            seed::kIdentityTtUser);
  EXPECT_EQ(tt.data()["identity_list"][0]["available_status"], "AVAILABLE");

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
  auto p2 = Get("identity/get/", {{"advertiser_id", seed::kAdvertiserTtUser},
                                  {"page", "2"},
                                  {"page_size", "1"}});
  ASSERT_EQ(p2.code(), 0);
  ASSERT_EQ(p2.data()["identity_list"].size(), 1u);
  EXPECT_EQ(p2.data()["identity_list"][0]["identity_id"],
            seed::kIdentityCustom1);
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
  std::string adv = seed::kAdvertiserNoTtUser;
  EXPECT_EQ(Post("identity/create/", {{"advertiser_id", adv},
                                      {"display_name", std::string(101, 'n')}})
                .code(),
            kParamError);
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
  EXPECT_EQ(videos.data()["video_list"][0]["item_id"], seed::kItemTtUser1);
  EXPECT_EQ(
      Get("identity/video/get/", {{"advertiser_id", seed::kAdvertiserTtUser},
                                  {"identity_id", seed::kIdentityBcAuthTt},
                                  {"identity_type", "BC_AUTH_TT"}})
          .code(),
      kNotFound);
}

}  // namespace
}  // namespace ttads::tiktok_sim
