// TikTok's JSON spelling of ads, as the adapter sends and reads it.
#include "services/ads/internal/ad_wire.h"

#include <functional>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ttads::ads::internal {
namespace {

using nlohmann::json;

AdCreative Creative() {
  AdCreative c;
  c.request.set_ad_text("Hello");
  c.request.set_landing_page_url("https://shop.example/");
  c.ad_name = "name [tt:abc]";
  c.ad_format = "SINGLE_VIDEO";
  c.call_to_action = "SHOP_NOW";
  c.identity.set_identity_id("69001");
  c.identity.set_identity_type(common::v1::IDENTITY_TYPE_BC_AUTH_TT);
  c.identity.set_identity_authorized_bc_id("73001");
  c.video_id = "v1";
  c.image_ids = {"img1"};
  return c;
}

TEST(CreativeJsonTest, SpellsEveryFieldAsTikTokDoes) {
  AdCreative c = Creative();
  c.request.set_tracking_pixel_id("123456789012345678");
  c.request.set_page_id("42");
  c.request.set_dark_post_status(v1::DARK_POST_STATUS_ON);
  c.request.set_deeplink("myapp://x");
  c.request.set_deeplink_type(v1::DEEPLINK_TYPE_DEFERRED_DEEPLINK);
  c.request.set_fallback_type(v1::FALLBACK_TYPE_WEBSITE);
  c.request.set_vertical_video_strategy(
      v1::VERTICAL_VIDEO_STRATEGY_LIVE_STREAM);
  c.request.set_item_duet_status(v1::ITEM_INTERACTION_STATUS_DISABLE);
  c.request.set_brand_safety_postbid_partner(
      v1::BRAND_SAFETY_PARTNER_DOUBLE_VERIFY);
  c.request.set_music_id("9");  // Not CAROUSEL_ADS: left out.
  c.request.set_vast_moat_enabled(true);
  c.request.set_disclaimer_text("Terms apply");
  json j = CreativeJson(c);
  EXPECT_EQ(j["ad_name"], "name [tt:abc]");
  EXPECT_EQ(j["identity_type"], "BC_AUTH_TT");
  EXPECT_EQ(j["identity_authorized_bc_id"], "73001");
  EXPECT_EQ(j["call_to_action"], "SHOP_NOW");
  EXPECT_EQ(j["image_ids"], json::array({"img1"}));
  EXPECT_EQ(j["tracking_pixel_id"], json(int64_t{123456789012345678}));
  EXPECT_EQ(j["page_id"], json(42));
  EXPECT_EQ(j["dark_post_status"], "ON");
  EXPECT_EQ(j["deeplink_type"], "DEFERRED_DEEPLINK");
  EXPECT_EQ(j["fallback_type"], "WEBSITE");
  EXPECT_EQ(j["vertical_video_strategy"], "LIVE_STREAM");
  EXPECT_EQ(j["item_duet_status"], "DISABLE");
  EXPECT_EQ(j["brand_safety_postbid_partner"], "DOUBLE_VERIFY");
  // Unset enums are not sent.
  EXPECT_FALSE(j.contains("item_stitch_status"));
  EXPECT_FALSE(j.contains("music_id"));
  EXPECT_EQ(j["viewability_postbid_partner"], "MOAT");
  EXPECT_EQ(j["disclaimer_type"], "TEXT_ONLY");
  EXPECT_EQ(j["disclaimer_text"], json({{"text", "Terms apply"}}));
  c.ad_format = "CAROUSEL_ADS";
  EXPECT_EQ(CreativeJson(c)["music_id"], "9");
}

TEST(UpdateCreativeTest, SendsEnumChangesInTikToksWords) {
  AdUpdate u;
  u.ad_id = "1800";
  u.patch = true;
  u.mask = {"deeplink", "deeplink_type", "fallback_type"};
  u.values.set_deeplink("myapp://x");
  u.values.set_deeplink_type(v1::DEEPLINK_TYPE_DEFERRED_DEEPLINK);
  json c = UpdateCreative(u);
  EXPECT_EQ(c["deeplink_type"], "DEFERRED_DEEPLINK");
  // Unset in the request: cleared, not sent as the enum's zero name.
  EXPECT_FALSE(c.contains("fallback_type"));
}

TEST(UpdateCreativeTest, FullUpdateKeepsTheAdAndAppliesTheChanges) {
  json item = {{"ad_id", "1800"},
               {"ad_name", "spring"},
               {"ad_text", "Hello"},
               {"landing_page_url", "https://old.example/"},
               {"card_id", nullptr},
               {"image_ids", {"img1"}},
               {"app_name", json::array()},
               {"tracking_pixel_id", 77},
               {"operation_status", "ENABLE"}};
  TikTokAd current;
  current.snapshot = item.dump();
  AdUpdate u;
  u.ad_id = "1800";
  u.current = &current;
  u.mask = {"landing_page_url", "image_ids"};
  u.values.set_landing_page_url("https://new.example/");
  json c = UpdateCreative(u);
  EXPECT_EQ(c["ad_id"], "1800");
  EXPECT_EQ(c["ad_name"], "spring");
  EXPECT_EQ(c["tracking_pixel_id"], 77);
  EXPECT_EQ(c["landing_page_url"], "https://new.example/");
  EXPECT_FALSE(c.contains("image_ids"));         // cleared
  EXPECT_FALSE(c.contains("app_name"));          // TikTok's "unset"
  EXPECT_FALSE(c.contains("card_id"));           // null
  EXPECT_FALSE(c.contains("operation_status"));  // not a creative field
  EXPECT_EQ(c["call_to_action"], "LEARN_MORE");  // TikTok requires one
}

// A full update sends only what is set: no "" anywhere, also not inside
// disclaimers, lists or the caller's changes; the fields TikTok requires of
// a full update (ad_name, identity, ad_format, a call to action) are kept.
TEST(UpdateCreativeTest, FullUpdateSendsNoEmptyValueAnywhere) {
  json item = {{"ad_id", "1800"},
               {"ad_name", "spring"},
               {"ad_format", "SINGLE_VIDEO"},
               {"identity_id", "id-1"},
               {"identity_type", "TT_USER"},
               {"identity_authorized_bc_id", ""},
               {"ad_text", "Hello"},
               {"ad_texts", {""}},
               {"video_id", "v1"},
               {"image_ids", {"img1"}},
               {"deeplink", ""},
               {"disclaimer_text", {{"text", ""}}},
               {"disclaimer_clickable_texts", {{{"text", ""}, {"url", ""}}}},
               {"tracking_pixel_id", 77},
               {"promotional_music_disabled", false}};
  TikTokAd current;
  current.snapshot = item.dump();
  AdUpdate u;
  u.ad_id = "1800";
  u.current = &current;
  u.mask = {"landing_page_url", "display_name", "deeplink_type"};
  u.values.set_landing_page_url("https://new.example/");
  json c = UpdateCreative(u);
  std::function<void(const json&, const std::string&)> no_empty =
      [&](const json& v, const std::string& at) {
        EXPECT_FALSE(v.is_null()) << at;
        EXPECT_FALSE((v.is_string() || v.is_array() || v.is_object()) &&
                     v.empty())
            << at;
        if (v.is_object()) {
          for (const auto& [k, x] : v.items()) no_empty(x, at + "." + k);
        } else if (v.is_array()) {
          for (const auto& x : v) no_empty(x, at + "[]");
        }
      };
  no_empty(c, "creative");
  for (const char* k :
       {"identity_authorized_bc_id", "ad_texts", "deeplink", "disclaimer_text",
        "disclaimer_clickable_texts", "display_name", "deeplink_type"}) {
    EXPECT_FALSE(c.contains(k)) << k;
  }
  for (const char* k : {"ad_name", "ad_format", "identity_id", "identity_type",
                        "ad_text", "video_id", "image_ids", "call_to_action"}) {
    EXPECT_TRUE(c.contains(k)) << k;
  }
  EXPECT_EQ(c["landing_page_url"], "https://new.example/");
  EXPECT_EQ(c["tracking_pixel_id"], 77);
  EXPECT_EQ(c["promotional_music_disabled"], false);
}

TEST(UpdateCreativeTest, PatchSendsOnlyTheChanges) {
  TikTokAd current;
  current.snapshot = json{{"ad_name", "old"}, {"ad_text", "x"}}.dump();
  AdUpdate u;
  u.ad_id = "1800";
  u.patch = true;
  u.current = &current;
  u.mask = {"ad_name"};
  u.values.set_ad_name("new");
  EXPECT_EQ(UpdateCreative(u), json({{"ad_id", "1800"}, {"ad_name", "new"}}));
}

TEST(AdFromJsonTest, KnownFieldsTypedAndTheRestKept) {
  json item = {{"ad_id", 1800},
               {"ad_name", "spring"},
               {"identity_type", "TT_USER"},
               {"image_ids", {"a", "b"}},
               {"create_time", "2026-01-02 03:04:05"},
               {"card_id", "55"}};
  v1::Ad ad = AdFromJson(item);
  EXPECT_EQ(ad.ad_id(), "1800");
  EXPECT_EQ(ad.identity_type(), common::v1::IDENTITY_TYPE_TT_USER);
  EXPECT_THAT(ad.image_ids(), ::testing::ElementsAre("a", "b"));
  EXPECT_EQ(ad.create_time().seconds(), 1767323045);
  EXPECT_EQ(ad.fields().fields().at("card_id").string_value(), "55");
  EXPECT_FALSE(ad.fields().fields().contains("ad_name"));
}

// ad_format and operation_status by TikTok's words; a word the contract's
// enum does not know reads as UNSPECIFIED and stays in `fields`, verbatim.
TEST(AdFromJsonTest, EnumWordsTypedAndUnknownOnesKeptInFields) {
  v1::Ad known = AdFromJson(json{{"ad_id", "1"},
                                 {"ad_format", "CAROUSEL_ADS"},
                                 {"operation_status", "DISABLE"}});
  EXPECT_EQ(known.ad_format(), v1::AD_FORMAT_CAROUSEL_ADS);
  EXPECT_EQ(known.operation_status(), v1::AD_OPERATION_STATUS_DISABLE);
  EXPECT_FALSE(known.fields().fields().contains("ad_format"));
  EXPECT_FALSE(known.fields().fields().contains("operation_status"));

  v1::Ad unknown = AdFromJson(json{{"ad_id", "1"},
                                   {"ad_format", "HOLOGRAM"},
                                   {"operation_status", "FROZEN"}});
  EXPECT_EQ(unknown.ad_format(), v1::AD_FORMAT_UNSPECIFIED);
  EXPECT_EQ(unknown.operation_status(), v1::AD_OPERATION_STATUS_UNSPECIFIED);
  EXPECT_EQ(unknown.fields().fields().at("ad_format").string_value(),
            "HOLOGRAM");
  EXPECT_EQ(unknown.fields().fields().at("operation_status").string_value(),
            "FROZEN");
}

}  // namespace
}  // namespace ttads::ads::internal
