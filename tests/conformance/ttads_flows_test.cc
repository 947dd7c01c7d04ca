// ttads flows that carry every optional creative field, so that the record
// of ttads's requests (tests/conformance/record_ttads.sh, TTADS_SIM_RECORD)
// covers what the services' own tests leave out: tracking URLs, deeplinks,
// disclaimers, Spark options, post-bid partners, cards, pages, and an update
// of several fields at once. Runs the real ads, identity and preflight
// servers in-process against the simulator; each flow must succeed, so the
// request it records is the one ttads sends on the happy path.

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "services/ads/ads_server.h"
#include "services/identity/identity_server.h"
#include "services/preflight/preflight_server.h"
#include "tests/support/suite_fixture.h"
#include "tools/tiktok_sim/seed.h"

namespace ttads {
namespace {

using ::ttads::testing::Authorize;
using ::ttads::testing::SuiteFixture;
using ::ttads::testing::TestTeam;
namespace seed = ::ttads::tiktok_sim::seed;

class TtadsFlowsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto fixture = SuiteFixture::Start();
    ASSERT_TRUE(fixture.ok()) << fixture.status();
    fixture_ = fixture->release();
    auto env = fixture_->ServiceEnv();
    auto identity_config = config::Load(identity::IdentitySchema(), "", env);
    ASSERT_TRUE(identity_config.ok()) << identity_config.status();
    auto identity = identity::IdentityServer::Create(*identity_config);
    ASSERT_TRUE(identity.ok()) << identity.status();
    identity_ = identity->release();
    ASSERT_TRUE(identity_->kit().runner().Start().ok());
    env["TTADS_IDENTITY_ADDRESS"] =
        absl::StrCat("127.0.0.1:", identity_->kit().runner().port());
    env["TTADS_PREFLIGHT_RESULT_CACHE_MS"] = "0";
    auto preflight_config = config::Load(preflight::PreflightSchema(), "", env);
    ASSERT_TRUE(preflight_config.ok()) << preflight_config.status();
    auto preflight = preflight::PreflightServer::Create(*preflight_config);
    ASSERT_TRUE(preflight.ok()) << preflight.status();
    preflight_ = preflight->release();
    ASSERT_TRUE(preflight_->kit().runner().Start().ok());
    env["TTADS_PREFLIGHT_ADDRESS"] =
        absl::StrCat("127.0.0.1:", preflight_->kit().runner().port());
    auto ads_config = config::Load(ads::AdsSchema(), "", env);
    ASSERT_TRUE(ads_config.ok()) << ads_config.status();
    auto ads = ads::AdsServer::Create(*ads_config);
    ASSERT_TRUE(ads.ok()) << ads.status();
    ads_ = ads->release();
    ASSERT_TRUE(ads_->kit().runner().Start().ok());
    ads_stub_ = ads::v1::AdsService::NewStub(grpc::CreateChannel(
        absl::StrCat("127.0.0.1:", ads_->kit().runner().port()),
        grpc::InsecureChannelCredentials()));
    identity_stub_ = identity::v1::IdentityService::NewStub(grpc::CreateChannel(
        env["TTADS_IDENTITY_ADDRESS"], grpc::InsecureChannelCredentials()));
  }

  void SetUp() override {
    auto team = fixture_->CreateTeam();
    ASSERT_TRUE(team.ok()) << team.status();
    team_ = *team;
    Connect({seed::kAdvertiserTtUser, seed::kAdvertiserBc});
  }

  // OAuth through the identity service, as a member would do it.
  void Connect(const std::vector<std::string>& advertisers) {
    grpc::ClientContext start_ctx;
    Authorize(&start_ctx, team_.owner_key);
    identity::v1::StartConnectionRequest start;
    start.set_redirect_uri("https://app.example.com/tiktok/callback");
    identity::v1::StartConnectionResponse started;
    ASSERT_TRUE(
        identity_stub_->StartConnection(&start_ctx, start, &started).ok());
    grpc::ClientContext ctx;
    Authorize(&ctx, team_.owner_key);
    identity::v1::CompleteConnectionRequest req;
    req.set_state(started.state());
    req.set_auth_code(fixture_->sim().MintAuthCode(advertisers));
    identity::v1::Connection connection;
    grpc::Status s = identity_stub_->CompleteConnection(&ctx, req, &connection);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  // A video ad with every optional field ttads passes on to TikTok.
  static ads::v1::CreateAdRequest FullVideoAd() {
    ads::v1::CreateAdRequest r;
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
    r.set_deeplink_type("DEFERRED");
    r.set_fallback_type("WEB_LANDING");
    r.set_disclaimer_text("Terms apply");
    auto* link = r.add_disclaimer_clickable_texts();
    link->set_text("Terms");
    link->set_url("https://shop.example.com/terms");
    r.set_disclaimer_type("TEXT_LINK");
    r.set_vertical_video_strategy("SINGLE_VIDEO");
    r.set_item_duet_status("ENABLE");
    r.set_item_stitch_status("DISABLE");
    r.set_promotional_music_disabled(false);
    r.set_creative_authorized(true);
    r.set_dark_post_status("ENABLE");
    r.set_brand_safety_postbid_partner("IAS");
    r.set_brand_safety_vast_url("https://vast.example.com/bs");
    r.set_viewability_postbid_partner("MOAT");
    r.set_viewability_vast_url("https://vast.example.com/view");
    return r;
  }

  grpc::Status Create(const ads::v1::CreateAdRequest& req,
                      ads::v1::CreateAdResponse* out) {
    grpc::ClientContext ctx;
    Authorize(&ctx, team_.owner_key);
    return ads_stub_->CreateAd(&ctx, req, out);
  }

  static SuiteFixture* fixture_;
  static identity::IdentityServer* identity_;
  static preflight::PreflightServer* preflight_;
  static ads::AdsServer* ads_;
  static std::unique_ptr<ads::v1::AdsService::Stub> ads_stub_;
  static std::unique_ptr<identity::v1::IdentityService::Stub> identity_stub_;
  TestTeam team_;
};

SuiteFixture* TtadsFlowsTest::fixture_ = nullptr;
identity::IdentityServer* TtadsFlowsTest::identity_ = nullptr;
preflight::PreflightServer* TtadsFlowsTest::preflight_ = nullptr;
ads::AdsServer* TtadsFlowsTest::ads_ = nullptr;
std::unique_ptr<ads::v1::AdsService::Stub> TtadsFlowsTest::ads_stub_;
std::unique_ptr<identity::v1::IdentityService::Stub>
    TtadsFlowsTest::identity_stub_;

TEST_F(TtadsFlowsTest, VideoAdWithEveryOptionalField) {
  ads::v1::CreateAdResponse out;
  grpc::Status s = Create(FullVideoAd(), &out);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(out.ad_ids_size(), 1);
}

TEST_F(TtadsFlowsTest, SparkAdOnABusinessCenterIdentity) {
  ads::v1::CreateAdRequest r;
  r.set_advertiser_id(seed::kAdvertiserBc);
  r.set_adgroup_id(seed::AdGroupId(3, 1));
  r.set_ad_text("Spark it");
  r.set_landing_page_url("https://shop.example.com/spark");
  r.set_identity_type(common::v1::BC_AUTH_TT);
  r.set_identity_id(seed::kIdentityBcAuthTt);
  r.set_tiktok_item_id(seed::kItemBc1);
  r.set_item_duet_status("DISABLE");
  r.set_promotional_music_disabled(true);
  ads::v1::CreateAdResponse out;
  grpc::Status s = Create(r, &out);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(out.ad_ids_size(), 1);
}

TEST_F(TtadsFlowsTest, UpdateOfSeveralFields) {
  ads::v1::CreateAdResponse created;
  grpc::Status s = Create(FullVideoAd(), &created);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(created.ad_ids_size(), 1);
  ads::v1::UpdateAdRequest req;
  req.set_advertiser_id(seed::kAdvertiserTtUser);
  req.set_ad_id(created.ad_ids(0));
  req.mutable_ad()->set_ad_text("New words");
  req.mutable_ad()->set_call_to_action("SHOP_NOW");
  req.mutable_ad()->set_landing_page_url("https://shop.example.com/newer");
  req.mutable_ad()->set_click_tracking_url("https://track.example.com/c2");
  req.set_update_mask(
      "ad_text,call_to_action,landing_page_url,click_tracking_url");
  grpc::ClientContext ctx;
  Authorize(&ctx, team_.owner_key);
  ads::v1::Ad ad;
  s = ads_stub_->UpdateAd(&ctx, req, &ad);
  ASSERT_TRUE(s.ok()) << s.error_message();
}

}  // namespace
}  // namespace ttads
