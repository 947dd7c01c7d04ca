#include "services/ads/ad_validation.h"

#include <set>

#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "libs/status/status.h"
#include "libs/testing/status_matchers.h"

namespace ttads::ads {
namespace {

using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;

v1::AdInput Valid() {
  v1::AdInput r;
  r.set_adgroup_id("7112000000000000101");
  r.set_ad_text("Try the new thing");
  r.set_landing_page_url("https://example.com/x");
  r.set_video_id("7108000000000000001");
  return r;
}

std::set<std::string> Fields(const absl::Status& s) {
  google::rpc::BadRequest bad;
  std::set<std::string> out;
  if (status::GetDetail(s, &bad)) {
    for (const auto& v : bad.field_violations()) out.insert(v.field());
  }
  return out;
}

TEST(AdValidation, ValidVideoIsSingleVideo) {
  auto v = ValidateCreateAd(Valid());
  ASSERT_THAT(v, IsOk());
  EXPECT_EQ(v->ad_format, "SINGLE_VIDEO");
  EXPECT_EQ(v->source, CreativeSource::kVideoId);
}

TEST(AdValidation, ImagesGoOutAsASlideshowVideo) {
  auto r = Valid();
  r.clear_video_id();
  r.add_image_ids("7107000000000000001");
  auto v = ValidateCreateAd(r);
  ASSERT_THAT(v, IsOk());
  EXPECT_EQ(v->ad_format, "SINGLE_VIDEO");
  EXPECT_TRUE(v->slideshow);
  r.clear_image_ids();
  r.add_image_urls("https://cdn.example.com/a.png");
  v = ValidateCreateAd(r);
  ASSERT_THAT(v, IsOk());
  EXPECT_EQ(v->ad_format, "SINGLE_VIDEO");
  EXPECT_TRUE(v->slideshow);
  EXPECT_EQ(v->source, CreativeSource::kImageUrls);
  // Explicit SINGLE_VIDEO with images is the same slideshow.
  r.set_ad_format(v1::AD_FORMAT_SINGLE_VIDEO);
  v = ValidateCreateAd(r);
  ASSERT_THAT(v, IsOk());
  EXPECT_TRUE(v->slideshow);
  // Explicit SINGLE_IMAGE is honoured, with exactly one image.
  r.set_ad_format(v1::AD_FORMAT_SINGLE_IMAGE);
  v = ValidateCreateAd(r);
  ASSERT_THAT(v, IsOk());
  EXPECT_EQ(v->ad_format, "SINGLE_IMAGE");
  EXPECT_FALSE(v->slideshow);
  r.add_image_urls("https://cdn.example.com/b.png");
  EXPECT_EQ(Fields(ValidateCreateAd(r).status()),
            std::set<std::string>{"image_urls"});
  // Videos never go out as SINGLE_IMAGE.
  auto video = Valid();
  video.set_ad_format(v1::AD_FORMAT_SINGLE_IMAGE);
  EXPECT_EQ(Fields(ValidateCreateAd(video).status()),
            std::set<std::string>{"ad_format"});
}

TEST(AdValidation, CarouselNeedsMusicId) {
  auto r = Valid();
  r.clear_video_id();
  r.add_image_ids("7107000000000000001");
  r.add_image_ids("7107000000000000002");
  r.set_ad_format(v1::AD_FORMAT_CAROUSEL_ADS);
  EXPECT_EQ(Fields(ValidateCreateAd(r).status()),
            std::set<std::string>{"music_id"});
  r.set_music_id("not-a-number");
  EXPECT_EQ(Fields(ValidateCreateAd(r).status()),
            std::set<std::string>{"music_id"});
  r.set_music_id("7109000000000000001");
  auto v = ValidateCreateAd(r);
  ASSERT_THAT(v, IsOk());
  EXPECT_EQ(v->ad_format, "CAROUSEL_ADS");
  EXPECT_FALSE(v->slideshow);
}

TEST(AdValidation, SparkPostIsSingleVideoAndRefusesCustomizedUser) {
  auto r = Valid();
  r.clear_video_id();
  r.set_tiktok_item_id("7106000000000000001");
  auto v = ValidateCreateAd(r);
  ASSERT_THAT(v, IsOk());
  EXPECT_EQ(v->ad_format, "SINGLE_VIDEO");
  r.set_identity_type(common::v1::IDENTITY_TYPE_CUSTOMIZED_USER);
  EXPECT_EQ(Fields(ValidateCreateAd(r).status()),
            std::set<std::string>{"identity_type"});
}

TEST(AdValidation, CallToActionSynonymsAndUnknown) {
  EXPECT_EQ(NormalizeCallToAction("DOWNLOAD"), "DOWNLOAD_NOW");
  EXPECT_EQ(NormalizeCallToAction("install"), "INSTALL_NOW");
  EXPECT_EQ(NormalizeCallToAction("BUY_NOW"), "SHOP_NOW");
  EXPECT_EQ(NormalizeCallToAction("learn more"), "LEARN_MORE");
  EXPECT_EQ(NormalizeCallToAction("SHOP_NOW"), "SHOP_NOW");
  EXPECT_EQ(NormalizeCallToAction("CLICK_HERE_PLEASE"), std::nullopt);
  auto r = Valid();
  r.set_call_to_action("DOWNLOAD");
  auto v = ValidateCreateAd(r);
  ASSERT_THAT(v, IsOk());
  EXPECT_EQ(v->call_to_action, "DOWNLOAD_NOW");
  ASSERT_EQ(v->notes.size(), 1u);
  r.set_call_to_action("FREE_STUFF");
  auto bad = ValidateCreateAd(r);
  EXPECT_EQ(Fields(bad.status()), std::set<std::string>{"call_to_action"});
  EXPECT_NE(bad.status().message().find("call_to_action"), std::string::npos);
}

TEST(AdValidation, AdTextLengthCountsCjkDouble) {
  EXPECT_EQ(AdTextLength("abc"), 3);
  EXPECT_EQ(AdTextLength("\xe4\xbd\xa0\xe5\xa5\xbd"), 4);  // two CJK characters
  auto r = Valid();
  r.set_ad_text(std::string(101, 'a'));
  EXPECT_EQ(Fields(ValidateCreateAd(r).status()),
            std::set<std::string>{"ad_text"});
  std::string cjk;
  for (int i = 0; i < 51; ++i) cjk += "\xe4\xbd\xa0";
  r.set_ad_text(cjk);
  EXPECT_EQ(Fields(ValidateCreateAd(r).status()),
            std::set<std::string>{"ad_text"});
  r.set_ad_text("Great \xf0\x9f\x98\x80");
  EXPECT_EQ(Fields(ValidateCreateAd(r).status()),
            std::set<std::string>{"ad_text"});
}

TEST(AdValidation, CollectsEveryViolation) {
  v1::AdInput r;
  r.set_landing_page_url("http://insecure.example.com");
  r.set_display_name(std::string(41, 'n'));
  r.set_disclaimer_text(std::string(91, 'd'));
  r.set_card_type("VIDEO");
  r.set_click_tracking_url("ftp://x");
  r.set_impression_tracking_url("http://x.example.com");
  r.set_video_view_tracking_url("not a url");
  r.set_tracking_pixel_id("pixel!");
  r.set_viewability_vast_url("https://vast.example.com");
  r.set_page_id("abc");
  r.set_video_url("https://a.example.com/v.mp4");
  r.add_image_ids("7107000000000000001");
  r.add_disclaimer_clickable_texts()->set_text("terms");
  // A seed's words (compat_service.h), which the core's enums cannot hold.
  const AdWords words = {{"deeplink_type", "SOMETIMES"},
                         {"fallback_type", "WEB_LANDING"},
                         {"item_duet_status", "MAYBE"},
                         {"item_stitch_status", "on"},
                         {"dark_post_status", "yes"},
                         {"vertical_video_strategy", "TALL"},
                         {"brand_safety_postbid_partner", "ACME"},
                         {"disclaimer_type", "TEXT_ONLY"}};
  auto s = ValidateCreateAd(r, words).status();
  ASSERT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument));
  std::set<std::string> expected = {"adgroup_id",
                                    "ad_text",
                                    "landing_page_url",
                                    "display_name",
                                    "disclaimer_text",
                                    "deeplink_type",
                                    "fallback_type",
                                    "card_type",
                                    "click_tracking_url",
                                    "impression_tracking_url",
                                    "video_view_tracking_url",
                                    "tracking_pixel_id",
                                    "item_duet_status",
                                    "item_stitch_status",
                                    "dark_post_status",
                                    "vertical_video_strategy",
                                    "brand_safety_postbid_partner",
                                    "viewability_postbid_partner",
                                    "page_id",
                                    "video_url",
                                    "image_ids",
                                    "disclaimer_type",
                                    "disclaimer_clickable_texts[0].url"};
  auto got = Fields(s);
  for (const auto& f : expected) EXPECT_TRUE(got.count(f)) << f;
}

TEST(AdValidation, EnumsTakeTikToksAndAdspirersWordsAndSendTikToks) {
  EXPECT_EQ(WireEnum("dark_post_status", "ENABLE"), "ON");
  EXPECT_EQ(WireEnum("dark_post_status", "OFF"), "OFF");
  EXPECT_EQ(WireEnum("deeplink_type", "DEFERRED"), "DEFERRED_DEEPLINK");
  EXPECT_EQ(WireEnum("deeplink_type", "DEFERRED_DEEPLINK"),
            "DEFERRED_DEEPLINK");
  EXPECT_EQ(WireEnum("fallback_type", "WEB_LANDING"), "WEBSITE");
  EXPECT_EQ(WireEnum("fallback_type", "UNSET"), "UNSET");
  EXPECT_EQ(WireEnum("brand_safety_postbid_partner", "DV"), "DOUBLE_VERIFY");
  EXPECT_EQ(WireEnum("brand_safety_postbid_partner", "ZEFR"), "ZEFR");
  // MOAT measures viewability only; ZEFR brand safety only.
  EXPECT_EQ(WireEnum("brand_safety_postbid_partner", "MOAT"), std::nullopt);
  EXPECT_EQ(WireEnum("viewability_postbid_partner", "ZEFR"), std::nullopt);
  EXPECT_EQ(WireEnum("vertical_video_strategy", "LIVE_STREAMING"),
            "LIVE_STREAM");
  EXPECT_EQ(WireEnum("dark_post_status", "YES"), std::nullopt);

  auto r = Valid();
  auto v = ValidateCreateAd(r, AdWords{{"dark_post_status", "DISABLE"}});
  ASSERT_THAT(v, IsOk());
  bool noted = false;
  for (const auto& n : v->notes) {
    noted |= n == "dark_post_status DISABLE sent to TikTok as OFF";
  }
  EXPECT_TRUE(noted);
}

TEST(AdValidation, CoreWordsAreTikToksWords) {
  auto r = Valid();
  r.set_dark_post_status(v1::DARK_POST_STATUS_OFF);
  r.set_deeplink_type(v1::DEEPLINK_TYPE_DEFERRED_DEEPLINK);
  r.set_ad_format(v1::AD_FORMAT_SINGLE_VIDEO);
  EXPECT_EQ(CoreWords(r), (AdWords{{"ad_format", "SINGLE_VIDEO"},
                                   {"deeplink_type", "DEFERRED_DEEPLINK"},
                                   {"dark_post_status", "OFF"}}));
  // TikTok's own words need no correction: no note.
  r.set_deeplink("myapp://x");
  auto v = ValidateCreateAd(r);
  ASSERT_THAT(v, IsOk());
  for (const auto& n : v->notes) {
    EXPECT_EQ(n.find("sent to TikTok as"), std::string::npos) << n;
  }
}

TEST(AdValidation, ANumberTheEnumDoesNotDeclareIsRefused) {
  auto r = Valid();
  r.set_dark_post_status(static_cast<v1::DarkPostStatus>(7));
  r.set_ad_format(static_cast<v1::AdFormat>(9));
  auto s = ValidateCreateAd(r).status();
  EXPECT_EQ(Fields(s),
            (std::set<std::string>{"dark_post_status", "ad_format"}));
  EXPECT_NE(s.message().find("unknown value \"7\""), std::string::npos) << s;
}

TEST(AdValidation, CallToActionDefaultsToLearnMoreWithANote) {
  auto r = Valid();
  r.clear_call_to_action();
  auto v = ValidateCreateAd(r);
  ASSERT_THAT(v, IsOk());
  EXPECT_EQ(v->call_to_action, "LEARN_MORE");
  bool noted = false;
  for (const auto& n : v->notes) {
    noted |= n.find("call_to_action: none given") != std::string::npos;
  }
  EXPECT_TRUE(noted);
}

TEST(AdValidation, ClickableDisclaimersAreAtMost40CharactersTogether) {
  auto r = Valid();
  r.set_disclaimer_type(v1::DISCLAIMER_TYPE_TEXT_LINK);
  for (int i = 0; i < 2; ++i) {
    auto* t = r.add_disclaimer_clickable_texts();
    t->set_text(std::string(20, 'a'));
    t->set_url("https://example.com/t");
  }
  EXPECT_THAT(ValidateCreateAd(r), IsOk());
  r.mutable_disclaimer_clickable_texts(1)->set_text(std::string(21, 'a'));
  EXPECT_EQ(Fields(ValidateCreateAd(r).status()),
            std::set<std::string>{"disclaimer_clickable_texts"});
}

TEST(AdValidation, DeeplinkRules) {
  auto r = Valid();
  r.set_deeplink("myapp://product/123");
  r.set_deeplink_type(v1::DEEPLINK_TYPE_DEFERRED_DEEPLINK);
  r.set_fallback_type(v1::FALLBACK_TYPE_APP_INSTALL);
  EXPECT_THAT(ValidateCreateAd(r), IsOk());
  // Adspirer's word, from a seed, is taken too.
  EXPECT_THAT(ValidateCreateAd(r, AdWords{{"deeplink_type", "DEFERRED"},
                                          {"fallback_type", "APP_INSTALL"}}),
              IsOk());
  r.set_deeplink("no scheme");
  EXPECT_EQ(Fields(ValidateCreateAd(r).status()),
            std::set<std::string>{"deeplink"});
}

TEST(AdValidation, BrandIdentityNeedsAccountAndValidInput) {
  auto r = Valid();
  r.mutable_brand_identity()->set_display_name(std::string(41, 'b'));
  r.mutable_brand_identity()->set_image_url("http://cdn.example.com/a.png");
  auto got = Fields(ValidateCreateAd(r).status());
  EXPECT_TRUE(got.count("brand_identity.display_name"));
  EXPECT_TRUE(got.count("brand_identity.image_url"));
  EXPECT_TRUE(got.count("account_id"));
  // http media is allowed for allow-listed hosts only.
  r.set_account_id("acc");
  r.mutable_brand_identity()->set_display_name("Brand");
  r.mutable_brand_identity()->set_image_url("http://127.0.0.1:8080/a.png");
  EXPECT_THAT(ValidateCreateAd(r),
              StatusIs(absl::StatusCode::kInvalidArgument));
  auto v = ValidateCreateAd(r, {"127.0.0.1:8080"});
  ASSERT_THAT(v, IsOk());
  EXPECT_TRUE(v->customized_user_opt_in);
}

TEST(AdValidation, ExactlyOneCreativeSource) {
  auto r = Valid();
  r.clear_video_id();
  EXPECT_EQ(Fields(ValidateCreateAd(r).status()),
            std::set<std::string>{"video_url"});
  r.set_video_id("1");
  r.set_tiktok_item_id("2");
  EXPECT_EQ(Fields(ValidateCreateAd(r).status()),
            (std::set<std::string>{"video_id", "tiktok_item_id"}));
}

// The rules ads_service_test used to check over gRPC that no test here named.
TEST(AdValidation, IdsNamesVastUrlsAndFormatsOfTheOptionalFields) {
  auto r = Valid();
  r.set_advertiser_id("adv");
  r.set_ad_name(std::string(481, 'a'));
  r.set_brand_safety_vast_url("http://vast.example.com");
  r.set_identity_type(common::v1::IDENTITY_TYPE_TTS_TT);
  auto v = ValidateCreateAd(r, AdWords{{"brand_safety_postbid_partner", "ACME"},
                                       {"ad_format", "LIVE_CONTENT"},
                                       {"disclaimer_type", "TEXT_LINK"}});
  EXPECT_THAT(v, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(Fields(v.status()),
            (std::set<std::string>{
                "advertiser_id", "ad_name", "brand_safety_postbid_partner",
                "brand_safety_vast_url", "ad_format", "identity_type",
                "disclaimer_text", "disclaimer_clickable_texts"}));
  // 480 characters leave room for the reconciliation marker.
  auto ok = Valid();
  ok.set_ad_name(std::string(480, 'a'));
  EXPECT_THAT(ValidateCreateAd(ok), IsOk());
}

}  // namespace
}  // namespace ttads::ads
