#include "tools/tiktok_sim/seed.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace ttads::tiktok_sim::seed {
namespace {

constexpr char kSeedTime[] = "2026-01-05 09:00:00";

const char* const kAdvertisers[] = {kAdvertiserTtUser, kAdvertiserNoTtUser,
                                    kAdvertiserBc};

Json Identity(const std::string& id, const std::string& advertiser,
              const std::string& type, const std::string& display_name,
              const std::string& user_name, const std::string& status,
              const std::string& bc_id) {
  Json j = {
      {"identity_id", id},
      {"identity_type", type},
      {"advertiser_id", advertiser},
      {"display_name", display_name},
      {"user_name", user_name},
      {"profile_image", absl::StrCat("https://sim.local/avatar/", id, ".png")},
      {"available_status", status},
      {"can_pull_video", type != "CUSTOMIZED_USER"},
      {"can_push_video", type != "CUSTOMIZED_USER"},
      {"ads_only_mode", false}};
  if (!bc_id.empty()) j["identity_authorized_bc_id"] = bc_id;
  return j;
}

void AddItem(SimState& s, const std::string& item_id,
             const std::string& identity_id, const std::string& text) {
  s.identity_videos[item_id] = {
      {"item_id", item_id},
      {"identity_id", identity_id},
      {"text", text},
      {"status", "ITEM_STATUS_HESITATE_RECOMMEND"},
      {"auth_info", {{"ad_auth_status", "AUTHORIZED"}}},
      {"video_info",
       {{"duration", 15.0},
        {"width", 1080},
        {"height", 1920},
        {"poster_url",
         absl::StrCat("https://sim.local/item/", item_id, "/cover.jpg")}}}};
}

}  // namespace

std::string CampaignId(int advertiser_index, int objective_index) {
  return absl::StrFormat("7111%015d", advertiser_index * 100 + objective_index);
}

std::string AdGroupId(int advertiser_index, int objective_index) {
  return absl::StrFormat("7112%015d", advertiser_index * 100 + objective_index);
}

std::string AdId(int n) { return absl::StrFormat("7113%015d", n); }

std::string DemoPostId(int n) { return absl::StrFormat("73%017d", n); }

namespace {

void LoadDemoTikTokUsers(SimState& s) {
  s.open.users[kTikTokUserDemo] = {kTikTokUserDemo, kTikTokUserDemoName,
                                   "ttads Demo Creator"};
  s.open.users[kTikTokUserOther] = {kTikTokUserOther, "ttads.other",
                                    "Another Creator"};
  for (int n = 1; n <= kDemoUserPosts; ++n) {
    VideoPost p;
    p.id = DemoPostId(n);
    p.open_id = kTikTokUserDemo;
    p.create_time = kDemoUserFirstPostTime + int64_t{3600} * (n - 1);
    p.title = absl::StrCat("Demo post #", n);
    p.duration = 10 + n;
    p.like_count = 100 * n;
    p.comment_count = 3 * n;
    p.share_count = n;
    p.view_count = 1000 * n;
    s.open.posts[p.id] = p;
  }
  for (int n = 1; n <= kOtherUserPosts; ++n) {
    VideoPost p;
    p.id = absl::StrFormat("73%017d", 900 + n);
    p.open_id = kTikTokUserOther;
    p.create_time = kDemoUserFirstPostTime + int64_t{1800} * n;
    p.title = absl::StrCat("Other post #", n);
    s.open.posts[p.id] = p;
  }
}

}  // namespace

void LoadDemo(SimState& s) {
  s.Clear();
  LoadDemoTikTokUsers(s);
  s.business_centers[kBusinessCenter] = {{"bc_id", kBusinessCenter},
                                         {"bc_name", "Demo Business Center"}};
  s.catalogs[kCatalog] = {{"catalog_id", kCatalog},
                          {"bc_id", kBusinessCenter},
                          {"catalog_name", "Demo Product Catalog"},
                          {"catalog_type", "ECOM"},
                          {"product_count", 120},
                          {"create_time", kSeedTime}};
  s.advertisers[kAdvertiserTtUser] = {
      {"advertiser_id", kAdvertiserTtUser},
      {"advertiser_name", "Demo Brand (linked TikTok account)"}};
  s.advertisers[kAdvertiserNoTtUser] = {
      {"advertiser_id", kAdvertiserNoTtUser},
      {"advertiser_name", "Demo Shop (ads-only, no TikTok account)"}};
  s.advertisers[kAdvertiserBc] = {
      {"advertiser_id", kAdvertiserBc},
      {"advertiser_name", "Demo Agency (Business Center)"},
      {"bc_id", kBusinessCenter}};

  s.identities[kIdentityTtUser] =
      Identity(kIdentityTtUser, kAdvertiserTtUser, "TT_USER", "Demo Brand",
               "demobrand", "AVAILABLE", "");
  s.identities[kIdentityCustom1] =
      Identity(kIdentityCustom1, kAdvertiserTtUser, "CUSTOMIZED_USER",
               "Demo Brand Custom", "", "AVAILABLE", "");
  s.identities[kIdentityCustom2] =
      Identity(kIdentityCustom2, kAdvertiserNoTtUser, "CUSTOMIZED_USER",
               "Demo Shop", "", "AVAILABLE", "");
  s.identities[kIdentityBcAuthTt] =
      Identity(kIdentityBcAuthTt, kAdvertiserBc, "BC_AUTH_TT", "Agency Creator",
               "agencycreator", "AVAILABLE", kBusinessCenter);
  s.identities[kIdentityPrivateTt] = Identity(
      kIdentityPrivateTt, kAdvertiserBc, "BC_AUTH_TT", "Private Creator",
      "privatecreator", "IS_PRIVATE_ACCOUNT", kBusinessCenter);

  AddItem(s, kItemTtUser1, kIdentityTtUser, "Our new drop is here");
  AddItem(s, kItemTtUser2, kIdentityTtUser, "Behind the scenes");
  AddItem(s, kItemBc1, kIdentityBcAuthTt, "Creator review");

  s.pixels[kPixelAdv1] = {
      {"pixel_id", kPixelAdv1},
      {"pixel_code", "CSIMPIXEL0000000001"},
      {"pixel_name", "Demo Brand Pixel"},
      {"advertiser_id", kAdvertiserTtUser},
      {"activity_status", "ACTIVE"},
      {"events",
       Json::array(
           {{{"event_type", "COMPLETE_PAYMENT"}, {"name", "Purchase"}},
            {{"event_type", "ON_WEB_ORDER"}, {"name", "Place order"}}})}};
  s.pixels[kPixelAdv3] = {
      {"pixel_id", kPixelAdv3},
      {"pixel_code", "CSIMPIXEL0000000002"},
      {"pixel_name", "Agency Pixel"},
      {"advertiser_id", kAdvertiserBc},
      {"activity_status", "ACTIVE"},
      {"events", Json::array({{{"event_type", "COMPLETE_PAYMENT"},
                               {"name", "Purchase"}}})}};
  s.apps[kAppAdv1] = {{"app_id", kAppAdv1},
                      {"app_name", "Demo Brand App"},
                      {"advertiser_id", kAdvertiserTtUser},
                      {"platform", "ANDROID"},
                      {"package_name", "com.example.demobrand"},
                      {"download_url",
                       "https://play.google.com/store/apps/details?id="
                       "com.example.demobrand"}};
  s.pages[kLeadFormAdv1] = {{"page_id", kLeadFormAdv1},
                            {"advertiser_id", kAdvertiserTtUser},
                            {"title", "Demo newsletter sign-up"},
                            {"status", "PUBLISHED"},
                            {"business_type", "LEAD_GEN"},
                            {"create_time", kSeedTime}};
  s.pages[kLeadFormAdv2Draft] = {
      {"page_id", kLeadFormAdv2Draft}, {"advertiser_id", kAdvertiserNoTtUser},
      {"title", "Draft contact form"}, {"status", "EDITED"},
      {"business_type", "LEAD_GEN"},   {"create_time", kSeedTime}};
  s.images[kImageAdv1] = {{"image_id", kImageAdv1},
                          {"material_id", kImageAdv1},
                          {"advertiser_id", kAdvertiserTtUser},
                          {"width", 1080},
                          {"height", 1080},
                          {"format", "png"},
                          {"size", 204800},
                          {"signature", "5f2b51f5c1d52d2f3b5f6b5e0c6a2a11"},
                          {"file_name", "demo-square.png"},
                          {"image_url", absl::StrCat("https://sim.local/image/",
                                                     kImageAdv1, ".png")},
                          {"is_carousel_usable", true},
                          {"displayable", true},
                          {"create_time", kSeedTime},
                          {"modify_time", kSeedTime}};
  s.videos[kVideoAdv1] = {
      {"video_id", kVideoAdv1},
      {"material_id", kVideoAdv1},
      {"advertiser_id", kAdvertiserTtUser},
      {"width", 1080},
      {"height", 1920},
      {"duration", 15.0},
      {"format", "mp4"},
      {"size", 5242880},
      {"signature", "9a0364b9e99bb480dd25e1f0284c8555"},
      {"file_name", "demo-vertical.mp4"},
      {"video_cover_url",
       absl::StrCat("https://sim.local/video/", kVideoAdv1, "/cover.jpg")},
      {"preview_url",
       absl::StrCat("https://sim.local/video/", kVideoAdv1, ".mp4")},
      {"displayable", true},
      {"create_time", kSeedTime},
      {"modify_time", kSeedTime}};

  // Campaigns and ad groups: one of each objective per advertiser.
  const char* identity_for[] = {kIdentityTtUser, kIdentityCustom2,
                                kIdentityBcAuthTt};
  const char* identity_type_for[] = {"TT_USER", "CUSTOMIZED_USER",
                                     "BC_AUTH_TT"};
  for (int a = 0; a < 3; ++a) {
    std::string adv = kAdvertisers[a];
    for (int k = 0; k < 8; ++k) {
      std::string objective = kObjectives[k];
      std::string cid = CampaignId(a + 1, k);
      std::string gid = AdGroupId(a + 1, k);
      s.campaigns[cid] = {{"campaign_id", cid},
                          {"advertiser_id", adv},
                          {"campaign_name", absl::StrCat("Demo ", objective)},
                          {"objective_type", objective},
                          {"budget_mode", "BUDGET_MODE_DAY"},
                          {"budget", 50.0},
                          {"operation_status", "ENABLE"},
                          {"secondary_status", "CAMPAIGN_STATUS_ENABLE"},
                          {"create_time", kSeedTime},
                          {"modify_time", kSeedTime}};
      Json g = {{"adgroup_id", gid},
                {"campaign_id", cid},
                {"advertiser_id", adv},
                {"adgroup_name", absl::StrCat("Demo ", objective, " group")},
                {"promotion_type", "WEBSITE"},
                {"optimization_goal", "CLICK"},
                {"identity_id", identity_for[a]},
                {"identity_type", identity_type_for[a]},
                {"placement_type", "PLACEMENT_TYPE_NORMAL"},
                {"placements", Json::array({"PLACEMENT_TIKTOK"})},
                {"operation_status", "ENABLE"},
                {"secondary_status", "ADGROUP_STATUS_DELIVERY_OK"},
                {"create_time", kSeedTime},
                {"modify_time", kSeedTime}};
      if (a == 2) g["identity_authorized_bc_id"] = kBusinessCenter;
      if (objective == "WEB_CONVERSIONS") {
        g["optimization_goal"] = "CONVERT";
        g["optimization_event"] = "COMPLETE_PAYMENT";
        if (a == 0) g["pixel_id"] = kPixelAdv1;
        if (a == 2) g["pixel_id"] = kPixelAdv3;
      } else if (objective == "APP_PROMOTION") {
        g["promotion_type"] = "APP_ANDROID";
        g["optimization_goal"] = "INSTALL";
        if (a == 0) g["app_id"] = kAppAdv1;
      } else if (objective == "LEAD_GENERATION") {
        g["promotion_type"] = "LEAD_GENERATION";
        g["optimization_goal"] = "LEAD_GENERATION";
      } else if (objective == "PRODUCT_SALES") {
        g["promotion_type"] = "WEBSITE";
        g["shopping_ads_type"] = "VIDEO";
        g["product_source"] = "CATALOG";
        if (a == 2) {
          g["catalog_id"] = kCatalog;
          g["catalog_authorized_bc_id"] = kBusinessCenter;
        }
      } else if (objective == "REACH") {
        g["optimization_goal"] = "REACH";
      } else if (objective == "VIDEO_VIEWS") {
        g["optimization_goal"] = "ENGAGED_VIEW";
      } else if (objective == "ENGAGEMENT") {
        g["optimization_goal"] = "FOLLOWERS";
      }
      s.adgroups[gid] = g;
    }
  }

  // A few ads in each advertiser's TRAFFIC ad group (objective index 1).
  struct SeedAd {
    int advertiser;  // 1-based
    const char* identity_id;
    const char* identity_type;
    const char* item_or_video;
    bool spark;
    const char* text;
  };
  const SeedAd kAds[] = {
      {1, kIdentityTtUser, "TT_USER", kItemTtUser1, true, "Shop the new drop"},
      {1, kIdentityCustom1, "CUSTOMIZED_USER", kVideoAdv1, false,
       "Meet Demo Brand"},
      {2, kIdentityCustom2, "CUSTOMIZED_USER", "", false, "Demo Shop deals"},
      {3, kIdentityBcAuthTt, "BC_AUTH_TT", kItemBc1, true, "Creator pick"},
  };
  int n = 1;
  for (const auto& a : kAds) {
    std::string id = AdId(n++);
    Json ad = {{"ad_id", id},
               {"advertiser_id", kAdvertisers[a.advertiser - 1]},
               {"campaign_id", CampaignId(a.advertiser, 1)},
               {"adgroup_id", AdGroupId(a.advertiser, 1)},
               {"ad_name", absl::StrCat("Demo ad ", id.substr(15))},
               {"ad_format", "SINGLE_VIDEO"},
               {"identity_id", a.identity_id},
               {"identity_type", a.identity_type},
               {"ad_text", a.text},
               {"call_to_action", "LEARN_MORE"},
               {"landing_page_url", "https://example.com/demo"},
               {"operation_status", "ENABLE"},
               {"secondary_status", "AD_STATUS_DELIVERY_OK"},
               {"create_time", kSeedTime},
               {"modify_time", kSeedTime}};
    if (a.spark) {
      ad["tiktok_item_id"] = a.item_or_video;
    } else if (*a.item_or_video) {
      ad["video_id"] = a.item_or_video;
    }
    if (a.advertiser == 3) ad["identity_authorized_bc_id"] = kBusinessCenter;
    s.ads[id] = ad;
  }
}

}  // namespace ttads::tiktok_sim::seed
