// ttads flows that carry every optional creative field, so that the record
// of ttads's requests (tests/conformance/record_ttads.sh, TTADS_SIM_RECORD)
// covers what the services' own tests leave out: tracking URLs, deeplinks,
// disclaimers, Spark options, post-bid partners, cards, pages, and an update
// of several fields at once. Runs the real ads, identity and preflight
// servers in-process against the simulator; each flow must succeed, so the
// request it records is the one ttads sends on the happy path. Also the
// image_ids slideshow path end to end: images uploaded to the simulator,
// read back through /file/image/ad/info/, rendered into a SINGLE_VIDEO.

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/util/field_mask_util.h"
#include "gtest/gtest.h"
#include "libs/fetch/test_images.h"
#include "libs/http/test_client.h"
#include "libs/testing/grpc_status_matchers.h"
#include "libs/testing/status_matchers.h"
#include "services/ads/ad_input.h"
#include "tests/support/ads_stack.h"
#include "tests/support/suite_fixture.h"
#include "tools/tiktok_sim/media.h"
#include "tools/tiktok_sim/seed.h"

namespace ttads {
namespace {

using ::ttads::testing::AdsStack;
using ::ttads::testing::Authorize;
using ::ttads::testing::GrpcIsOk;
using ::ttads::testing::IsOk;
using ::ttads::testing::SuiteFixture;
using ::ttads::testing::TestTeam;
namespace seed = ::ttads::tiktok_sim::seed;

class TtadsFlowsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto fixture = SuiteFixture::Start();
    ASSERT_THAT(fixture, IsOk());
    fixture_ = fixture->release();
    auto env = fixture_->ServiceEnv();
    // The ads service fetches the images it renders into a slideshow from
    // their image_url, which the simulator serves.
    fixture_->sim().ServeMedia(true);
    env["TTADS_FETCH_PRIVATE_ALLOWLIST"] =
        absl::StrCat("127.0.0.1:", fixture_->sim().port());
    auto stack = AdsStack::Start(env);
    ASSERT_THAT(stack, IsOk());
    stack_ = stack->release();
  }

  void SetUp() override {
    auto team = fixture_->CreateTeam();
    ASSERT_THAT(team, IsOk());
    team_ = *team;
    absl::Status connected =
        stack_->Connect(fixture_->sim(), team_.owner_key,
                        {seed::kAdvertiserTtUser, seed::kAdvertiserBc});
    ASSERT_THAT(connected, IsOk());
  }

  // A video ad with every optional field ttads passes on to TikTok.
  static ads::v1::AdInput FullVideoAd() {
    ads::v1::AdInput r;
    r.set_advertiser_id(seed::kAdvertiserTtUser);
    r.set_adgroup_id(seed::AdGroupId(1, 1));
    r.set_ad_name("Every option");
    r.set_ad_text("Meet the new collection");
    r.set_landing_page_url("https://shop.example.com/new");
    r.set_display_name("Demo Brand");
    r.set_call_to_action("LEARN_MORE");
    r.set_video_id(seed::kVideoAdv1);
    r.set_card_id("7120000000000000001");
    r.set_click_tracking_url("https://track.example.com/click");
    r.set_impression_tracking_url("https://track.example.com/impression");
    r.set_video_view_tracking_url("https://track.example.com/view");
    r.set_tracking_pixel_id(seed::kPixelAdv1);
    r.set_deeplink("demo://product/1");
    r.set_deeplink_type(ads::v1::DEEPLINK_TYPE_DEFERRED_DEEPLINK);
    r.set_fallback_type(ads::v1::FALLBACK_TYPE_WEBSITE);
    r.set_disclaimer_text("Terms apply");
    auto* link = r.add_disclaimer_clickable_texts();
    link->set_text("Terms");
    link->set_url("https://shop.example.com/terms");
    r.set_disclaimer_type(ads::v1::DISCLAIMER_TYPE_TEXT_LINK);
    r.set_vertical_video_strategy(
        ads::v1::VERTICAL_VIDEO_STRATEGY_SINGLE_VIDEO);
    r.set_item_duet_status(ads::v1::ITEM_INTERACTION_STATUS_ENABLE);
    r.set_item_stitch_status(ads::v1::ITEM_INTERACTION_STATUS_DISABLE);
    r.set_promotional_music_disabled(false);
    r.set_creative_authorized(true);
    r.set_dark_post_status(ads::v1::DARK_POST_STATUS_ON);
    r.set_brand_safety_postbid_partner(ads::v1::BRAND_SAFETY_PARTNER_IAS);
    r.set_brand_safety_vast_url("https://vast.example.com/bs");
    r.set_viewability_postbid_partner(ads::v1::VIEWABILITY_PARTNER_MOAT);
    r.set_viewability_vast_url("https://vast.example.com/view");
    return r;
  }

  grpc::Status Create(const ads::v1::AdInput& req, ads::v1::Ad* out) {
    grpc::ClientContext ctx;
    Authorize(&ctx, team_.owner_key);
    return stack_->ads_stub->CreateAd(&ctx, ads::ToCreateAdRequest(req), out);
  }

  static SuiteFixture* fixture_;
  static AdsStack* stack_;  // Lives for the process, like the servers.
  TestTeam team_;
};

SuiteFixture* TtadsFlowsTest::fixture_ = nullptr;
AdsStack* TtadsFlowsTest::stack_ = nullptr;

TEST_F(TtadsFlowsTest, VideoAdWithEveryOptionalField) {
  ads::v1::Ad out;
  grpc::Status s = Create(FullVideoAd(), &out);
  ASSERT_THAT(s, GrpcIsOk());
  EXPECT_FALSE(out.ad_id().empty());
}

TEST_F(TtadsFlowsTest, SparkAdOnABusinessCenterIdentity) {
  ads::v1::AdInput r;
  r.set_advertiser_id(seed::kAdvertiserBc);
  r.set_adgroup_id(seed::AdGroupId(3, 1));
  r.set_ad_text("Spark it");
  r.set_landing_page_url("https://shop.example.com/spark");
  r.set_identity_type(common::v1::IDENTITY_TYPE_BC_AUTH_TT);
  r.set_identity_id(seed::kIdentityBcAuthTt);
  r.set_tiktok_item_id(seed::kItemBc1);
  r.set_item_duet_status(ads::v1::ITEM_INTERACTION_STATUS_DISABLE);
  r.set_promotional_music_disabled(true);
  ads::v1::Ad out;
  grpc::Status s = Create(r, &out);
  ASSERT_THAT(s, GrpcIsOk());
  EXPECT_FALSE(out.ad_id().empty());
}

TEST_F(TtadsFlowsTest, UpdateOfSeveralFields) {
  ads::v1::Ad created;
  grpc::Status s = Create(FullVideoAd(), &created);
  ASSERT_THAT(s, GrpcIsOk());
  ASSERT_FALSE(created.ad_id().empty());
  ads::v1::UpdateAdRequest req;
  req.set_advertiser_id(seed::kAdvertiserTtUser);
  req.set_ad_id(created.ad_id());
  req.mutable_ad()->set_ad_text("New words");
  req.mutable_ad()->set_call_to_action("SHOP_NOW");
  req.mutable_ad()->set_landing_page_url("https://shop.example.com/newer");
  req.mutable_ad()->set_click_tracking_url("https://track.example.com/c2");
  google::protobuf::util::FieldMaskUtil::FromString(
      "ad_text,call_to_action,landing_page_url,click_tracking_url",
      req.mutable_update_mask());
  grpc::ClientContext ctx;
  Authorize(&ctx, team_.owner_key);
  ads::v1::Ad ad;
  s = stack_->ads_stub->UpdateAd(&ctx, req, &ad);
  ASSERT_THAT(s, GrpcIsOk());
}

// Creatives as Adspirer describes them: image_ids go through the slideshow
// path and the ad reaches TikTok as SINGLE_VIDEO with a video and a cover
// image, with no contract violation on the way.
TEST_F(TtadsFlowsTest, ImageIdsBecomeASingleVideoSlideshowWithACover) {
  tiktok_sim::TikTokSim& sim = fixture_->sim();
  const std::string adv = seed::kAdvertiserTtUser;
  const std::string token = sim.IssueAccessToken({adv});
  http::TestClient client;
  std::vector<std::string> image_ids;
  for (int i = 0; i < 3; ++i) {
    std::string png = fetch::testing::MakePng(400 + 100 * i, 400, i);
    auto up = client.PostMultipart(
        sim.base_url() + "file/image/ad/upload/",
        {{"advertiser_id", adv},
         {"upload_type", "UPLOAD_BY_FILE"},
         {"image_signature", tiktok_sim::Md5Hex(png)},
         {"image_file", png, absl::StrCat("slide", i, ".png"), "image/png"}},
        {"Access-Token: " + token});
    nlohmann::json answer = nlohmann::json::parse(up.body, nullptr, false);
    ASSERT_EQ(answer.value("code", -1), 0) << up.body;
    image_ids.push_back(answer["data"]["image_id"]);
  }
  const auto before = sim.stats();
  const int64_t violations_before = sim.violations();
  ASSERT_EQ(client.Request("DELETE", sim.root_url() + "/_sim/requests").status,
            200);

  ads::v1::AdInput r;
  r.set_advertiser_id(adv);
  r.set_adgroup_id(seed::AdGroupId(1, 1));
  r.set_ad_text("Three slides");
  r.set_landing_page_url("https://shop.example.com/slides");
  r.set_call_to_action("SHOP_NOW");
  for (const auto& id : image_ids) r.add_image_ids(id);
  ads::v1::Ad out;
  grpc::Status s = Create(r, &out);
  ASSERT_THAT(s, GrpcIsOk());
  EXPECT_EQ(out.ad_format(), ads::v1::AD_FORMAT_SINGLE_VIDEO);
  ASSERT_FALSE(out.ad_id().empty());

  // The images were read back through /file/image/ad/info/; one video (the
  // slideshow) and one image (its cover) were uploaded.
  const auto after = sim.stats();
  auto ok_calls = [](const auto& stats, const std::string& path) {
    auto it = stats.calls.find(path);
    return it == stats.calls.end() ? int64_t{0} : it->second.ok;
  };
  EXPECT_EQ(ok_calls(after, "/file/image/ad/info/"),
            ok_calls(before, "/file/image/ad/info/") + 1);
  EXPECT_EQ(after.videos, before.videos + 1);
  EXPECT_EQ(after.images, before.images + 1);

  // What reached /ad/create/: one SINGLE_VIDEO creative with the slideshow
  // video and a single cover image that is none of the slides.
  nlohmann::json creative;
  auto log = client.Get(sim.root_url() + "/_sim/requests");
  for (absl::string_view line : absl::StrSplit(log.body, '\n')) {
    nlohmann::json rec = nlohmann::json::parse(line, nullptr, false);
    if (rec.is_object() &&
        rec.value("path", "") == "/open_api/v1.3/ad/create/") {
      creative = rec["body"]["creatives"][0];
    }
  }
  ASSERT_TRUE(creative.is_object()) << log.body;
  EXPECT_EQ(creative["ad_format"], "SINGLE_VIDEO");
  const std::string video_id = creative.value("video_id", "");
  ASSERT_FALSE(video_id.empty());
  ASSERT_EQ(creative["image_ids"].size(), 1u);
  const std::string cover_id = creative["image_ids"][0];
  for (const auto& id : image_ids) EXPECT_NE(cover_id, id);
  auto [video, cover] = sim.WithState([&](tiktok_sim::SimState& st) {
    return std::make_pair(st.videos[video_id], st.images[cover_id]);
  });
  EXPECT_GT(video.value("size", 0), 0);
  // The cover is a frame of the 9:16 slideshow.
  EXPECT_EQ(cover["width"], 720);
  EXPECT_EQ(cover["height"], 1280);
  EXPECT_EQ(sim.violations(), violations_before);
}

}  // namespace
}  // namespace ttads
