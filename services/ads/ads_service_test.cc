// Service tests of ttads-ads through gRPC: the real ads server in-process
// with a real identity and preflight server, a private redis-server and the
// TikTok simulator.
#include <atomic>
#include <mutex>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/field_mask_util.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "libs/fetch/test_images.h"
#include "libs/http/server.h"
#include "libs/log/log.h"
#include "libs/testing/grpc_status_matchers.h"
#include "libs/testing/status_matchers.h"
#include "services/ads/ad_input.h"
#include "services/ads/ad_name.h"
#include "services/ads/ads_server.h"
#include "services/identity/identity_server.h"
#include "services/preflight/preflight_server.h"
#include "tests/support/call_counter.h"
#include "tests/support/rpc_details.h"
#include "tests/support/suite_fixture.h"
#include "tools/tiktok_sim/seed.h"

namespace ttads::ads {
namespace {

using ::ttads::testing::Authorize;
using ::ttads::testing::FieldsOf;
using ::ttads::testing::GrpcIsOk;
using ::ttads::testing::GrpcStatusIs;
using ::ttads::testing::IsOk;
using ::ttads::testing::ReasonOf;

using ::ttads::testing::SuiteFixture;
using ::ttads::testing::TestTeam;
using ::ttads::tiktok_sim::FaultMode;
using ::ttads::tiktok_sim::FaultRule;
namespace seed = ::ttads::tiktok_sim::seed;
using nlohmann::json;

class MediaHost {
 public:
  MediaHost() {
    server_ = std::make_unique<http::HttpServer>(
        http::HttpServer::Options{},
        [](http::HttpRequest req, http::HttpResponder res) {
          http::HttpResponse r;
          if (req.path == "/a.png") {
            r.body = fetch::testing::MakePng(200, 200, 1);
          } else if (req.path == "/b.jpg") {
            r.body = fetch::testing::MakeJpeg(128, 128, 3);
          } else if (req.path == "/brand.png") {
            r.body = fetch::testing::MakePng(120, 120, 4);
          } else if (req.path == "/clip.mp4") {
            r.body = std::string(
                         "\0\0\0\x18"
                         "ftypmp42",
                         12) +
                     std::string(200000, 'v');
          } else if (req.path == "/anim.gif") {
            r.body = fetch::testing::MakeGif();
          } else {
            r.status = 404;
          }
          res.Send(std::move(r));
        });
    EXPECT_THAT(server_->Start(), IsOk());
  }
  std::string Url(const std::string& path) const {
    return absl::StrCat("http://127.0.0.1:", server_->port(), path);
  }
  int port() const { return server_->port(); }

 private:
  std::unique_ptr<http::HttpServer> server_;
};

class AdsServiceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto fixture = SuiteFixture::Start();
    ASSERT_THAT(fixture, IsOk());
    fixture_ = fixture->release();
    media_ = new MediaHost();
    auto env = fixture_->ServiceEnv();
    env["TTADS_FETCH_PRIVATE_ALLOWLIST"] =
        absl::StrCat("127.0.0.1:", media_->port());
    env["TTADS_OAUTH_CONSENT_URL"] =
        fixture_->sim().root_url() + "/portal/auth";

    auto identity_config = config::Load(identity::IdentitySchema(), "", env);
    ASSERT_THAT(identity_config, IsOk());
    auto identity = identity::IdentityServer::Create(*identity_config);
    ASSERT_THAT(identity, IsOk());
    identity_ = identity->release();
    ASSERT_THAT(identity_->kit().runner().Start(), IsOk());
    env["TTADS_IDENTITY_ADDRESS"] =
        absl::StrCat("127.0.0.1:", identity_->kit().runner().port());

    env["TTADS_PREFLIGHT_RESULT_CACHE_MS"] = "0";
    auto preflight_config = config::Load(preflight::PreflightSchema(), "", env);
    ASSERT_THAT(preflight_config, IsOk());
    auto preflight = preflight::PreflightServer::Create(*preflight_config);
    ASSERT_THAT(preflight, IsOk());
    preflight_ = preflight->release();
    ASSERT_THAT(preflight_->kit().runner().Start(), IsOk());
    env["TTADS_PREFLIGHT_ADDRESS"] =
        absl::StrCat("127.0.0.1:", preflight_->kit().runner().port());

    env["TTADS_ADS_WATCH_INTERVAL_MS"] = "100";
    auto ads_config = config::Load(AdsSchema(), "", env);
    ASSERT_THAT(ads_config, IsOk());
    auto ads = AdsServer::Create(*ads_config);
    ASSERT_THAT(ads, IsOk());
    server_ = ads->release();
    ASSERT_THAT(server_->kit().runner().Start(), IsOk());
    auto channel = grpc::CreateChannel(
        absl::StrCat("127.0.0.1:", server_->kit().runner().port()),
        grpc::InsecureChannelCredentials());
    stub_ = v1::AdsService::NewStub(channel);
    zernio_stub_ = compat::v1::ZernioAdsService::NewStub(channel);
    adspirer_stub_ = compat::v1::AdspirerToolsService::NewStub(channel);
    identity_stub_ = identity::v1::IdentityService::NewStub(grpc::CreateChannel(
        env["TTADS_IDENTITY_ADDRESS"], grpc::InsecureChannelCredentials()));
  }

  void SetUp() override {
    auto team = fixture_->CreateTeam();
    ASSERT_THAT(team, IsOk());
    team_ = *team;
  }

  void TearDown() override { fixture_->sim().ClearFaults(); }

  // OAuth through the identity service, as a member would do it.
  void Connect(const std::string& key, std::vector<std::string> advertisers) {
    grpc::ClientContext start_ctx;
    Authorize(&start_ctx, key);
    identity::v1::StartConnectionRequest start;
    start.set_redirect_uri("https://app.example.com/tiktok/callback");
    identity::v1::StartConnectionResponse started;
    ASSERT_THAT(identity_stub_->StartConnection(&start_ctx, start, &started),
                GrpcIsOk());
    grpc::ClientContext ctx;
    Authorize(&ctx, key);
    identity::v1::CompleteConnectionRequest req;
    req.set_state(started.state());
    req.set_auth_code(fixture_->sim().MintAuthCode(advertisers));
    identity::v1::Connection connection;
    grpc::Status s = identity_stub_->CompleteConnection(&ctx, req, &connection);
    ASSERT_THAT(s, GrpcIsOk());
  }

  static v1::AdInput VideoAd(const std::string& adgroup = seed::AdGroupId(1,
                                                                          1)) {
    v1::AdInput r;
    r.set_adgroup_id(adgroup);
    r.set_ad_text("Meet the new collection");
    r.set_landing_page_url("https://shop.example.com/new");
    r.set_video_id(seed::kVideoAdv1);
    return r;
  }

  // `req` in Zernio's shape: the same fields, the enum values as TikTok's
  // words.
  static compat::v1::CreateAdRequest ZernioOf(const v1::AdInput& req) {
    return KeyedRequest(req);
  }

  // CreateAd in Zernio's shape (ttads.compat.v1.ZernioAdsService), which
  // answers the whole outcome (ids, notes, replayed); its messages are the
  // core's field for field, the core's enums as words.
  grpc::Status Create(const v1::AdInput& req, v1::AdCreation* out,
                      const std::string& key = "", int deadline_seconds = 20) {
    return Create(ZernioOf(req), out, key, deadline_seconds);
  }
  grpc::Status Create(const compat::v1::CreateAdRequest& zernio,
                      v1::AdCreation* out, const std::string& key = "",
                      int deadline_seconds = 20) {
    grpc::ClientContext ctx;
    Authorize(&ctx, key.empty() ? team_.owner_key : key, deadline_seconds);
    compat::v1::CreateAdResponse answer;
    grpc::Status s = zernio_stub_->CreateAd(&ctx, zernio, &answer);
    out->ParseFromString(answer.SerializeAsString());
    return s;
  }

  // ttads.ads.v1.AdsService.CreateAd, which answers the Ad: `req`'s ad and
  // options in CreateAd's own shape (ToCreateAdRequest).
  grpc::Status CreateCore(const v1::AdInput& req, v1::Ad* out) {
    grpc::ClientContext ctx;
    Authorize(&ctx, team_.owner_key, 20);
    return stub_->CreateAd(&ctx, ToCreateAdRequest(req), out);
  }

  static int64_t Calls(const std::string& path) {
    auto stats = fixture_->sim().stats();
    auto it = stats.calls.find(path);
    return it == stats.calls.end() ? 0 : it->second.total;
  }
  static int64_t AllCalls() {
    int64_t n = 0;
    for (const auto& [path, c] : fixture_->sim().stats().calls) n += c.total;
    return n;
  }
  static size_t Ads() { return fixture_->sim().stats().ads; }
  static json SimAd(const std::string& id) {
    return fixture_->sim().WithState(
        [&](tiktok_sim::SimState& s) { return s.ads[id]; });
  }

  static SuiteFixture* fixture_;
  static MediaHost* media_;
  static identity::IdentityServer* identity_;
  static preflight::PreflightServer* preflight_;
  static AdsServer* server_;
  static std::unique_ptr<v1::AdsService::Stub> stub_;
  static std::unique_ptr<compat::v1::ZernioAdsService::Stub> zernio_stub_;
  static std::unique_ptr<compat::v1::AdspirerToolsService::Stub> adspirer_stub_;
  static std::unique_ptr<identity::v1::IdentityService::Stub> identity_stub_;
  TestTeam team_;
};

SuiteFixture* AdsServiceTest::fixture_ = nullptr;
MediaHost* AdsServiceTest::media_ = nullptr;
identity::IdentityServer* AdsServiceTest::identity_ = nullptr;
preflight::PreflightServer* AdsServiceTest::preflight_ = nullptr;
AdsServer* AdsServiceTest::server_ = nullptr;
std::unique_ptr<v1::AdsService::Stub> AdsServiceTest::stub_;
std::unique_ptr<compat::v1::ZernioAdsService::Stub>
    AdsServiceTest::zernio_stub_;
std::unique_ptr<compat::v1::AdspirerToolsService::Stub>
    AdsServiceTest::adspirer_stub_;
std::unique_ptr<identity::v1::IdentityService::Stub>
    AdsServiceTest::identity_stub_;

// --- Validation ------------------------------------------------------------

TEST_F(AdsServiceTest, InvalidFieldsAreAllReportedAndNothingReachesTikTok) {
  Connect(team_.owner_key, {seed::kAdvertiserTtUser});
  v1::AdInput r = VideoAd();
  r.set_ad_text(std::string(101, 'x'));
  r.set_landing_page_url("http://shop.example.com");
  r.set_call_to_action("CLICK_ME");
  r.set_display_name(std::string(41, 'n'));
  r.set_disclaimer_text(std::string(91, 'd'));
  r.set_deeplink_type(v1::DEEPLINK_TYPE_NORMAL);
  r.set_card_type("VIDEO");
  compat::v1::CreateAdRequest zernio = ZernioOf(r);
  zernio.set_item_duet_status("SOMETIMES");
  const int64_t before = AllCalls();
  v1::AdCreation out;
  grpc::Status s = Create(zernio, &out);
  EXPECT_THAT(s, GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT));
  auto fields = FieldsOf(s);
  for (const char* f :
       {"ad_text", "landing_page_url", "call_to_action", "display_name",
        "disclaimer_text", "deeplink_type", "card_type", "item_duet_status"}) {
    EXPECT_TRUE(fields.count(f)) << f;
  }
  EXPECT_EQ(AllCalls(), before);
}

TEST_F(AdsServiceTest, VideoAdGetsTtUserIdentityAndCorrectedCta) {
  Connect(team_.owner_key, {seed::kAdvertiserTtUser});
  v1::AdInput r = VideoAd();
  r.set_call_to_action("DOWNLOAD");
  r.set_display_name("Demo Brand");
  r.set_click_tracking_url("https://track.example.com/c");
  r.set_deeplink("demo://product/1");
  r.set_item_duet_status(v1::ITEM_INTERACTION_STATUS_DISABLE);
  r.set_promotional_music_disabled(true);
  // Adspirer's words, as Zernio's route takes them.
  compat::v1::CreateAdRequest zernio = ZernioOf(r);
  zernio.set_deeplink_type("DEFERRED");
  zernio.set_fallback_type("WEB_LANDING");
  const size_t ads = Ads();
  v1::AdCreation out;
  grpc::Status s = Create(zernio, &out);
  ASSERT_THAT(s, GrpcIsOk());
  ASSERT_EQ(out.ad_ids_size(), 1);
  EXPECT_EQ(Ads(), ads + 1);
  EXPECT_EQ(out.advertiser_id(), seed::kAdvertiserTtUser);
  EXPECT_EQ(out.ad_format(), "SINGLE_VIDEO");
  EXPECT_EQ(out.call_to_action(), "DOWNLOAD_NOW");
  EXPECT_EQ(out.identity().identity_id(), seed::kIdentityTtUser);
  json ad = SimAd(out.ad_ids(0));
  EXPECT_EQ(ad["call_to_action"], "DOWNLOAD_NOW");
  EXPECT_EQ(ad["identity_type"], "TT_USER");
  EXPECT_EQ(ad["ad_format"], "SINGLE_VIDEO");
  // Adspirer's words go out in TikTok's spelling, and the notes say so.
  EXPECT_EQ(ad["deeplink_type"], "DEFERRED_DEEPLINK");
  EXPECT_EQ(ad["fallback_type"], "WEBSITE");
  EXPECT_EQ(ad["item_duet_status"], "DISABLE");
  EXPECT_EQ(ad["promotional_music_disabled"], true);
  EXPECT_TRUE(absl::StrContains(ad["ad_name"].get<std::string>(), "[tt:"));
  std::string notes = absl::StrJoin(out.notes(), "\n");
  EXPECT_TRUE(absl::StrContains(
      notes, "deeplink_type DEFERRED sent to TikTok as DEFERRED_DEEPLINK"))
      << notes;
  EXPECT_TRUE(absl::StrContains(
      notes, "fallback_type WEB_LANDING sent to TikTok as WEBSITE"));
  // A video_id source gets the video's own cover (Create ads: non-Spark
  // SINGLE_VIDEO needs one image_ids entry).
  ASSERT_EQ(ad["image_ids"].size(), 1u);
  EXPECT_TRUE(absl::StrContains(notes, "cover: the video's own cover"));
}

TEST_F(AdsServiceTest, EnumsAcceptBothVocabulariesAndCtaDefaults) {
  Connect(team_.owner_key, {seed::kAdvertiserTtUser});
  // Zernio's route takes Adspirer's words.
  compat::v1::CreateAdRequest r = ZernioOf(VideoAd());  // No call_to_action.
  r.set_dark_post_status("ENABLE");
  r.set_brand_safety_postbid_partner("DV");
  r.set_viewability_postbid_partner("DOUBLE_VERIFY");
  r.set_vertical_video_strategy("LIVE_STREAMING");
  v1::AdCreation out;
  grpc::Status s = Create(r, &out);
  ASSERT_THAT(s, GrpcIsOk());
  json ad = SimAd(out.ad_ids(0));
  EXPECT_EQ(ad["dark_post_status"], "ON");
  EXPECT_EQ(ad["brand_safety_postbid_partner"], "DOUBLE_VERIFY");
  EXPECT_EQ(ad["viewability_postbid_partner"], "DOUBLE_VERIFY");
  EXPECT_EQ(ad["vertical_video_strategy"], "LIVE_STREAM");
  EXPECT_EQ(ad["call_to_action"], "LEARN_MORE");
  EXPECT_EQ(out.call_to_action(), "LEARN_MORE");
  std::string notes = absl::StrJoin(out.notes(), "\n");
  EXPECT_TRUE(absl::StrContains(notes,
                                "dark_post_status ENABLE sent to "
                                "TikTok as ON"))
      << notes;
  EXPECT_TRUE(absl::StrContains(notes,
                                "call_to_action: none given; "
                                "LEARN_MORE sent"));
  // TikTok's own values are accepted as they are; an unknown one is a
  // field violation before anything is sent.
  r.set_dark_post_status("OFF");
  r.set_brand_safety_postbid_partner("ZEFR");
  ASSERT_THAT(Create(r, &out), GrpcIsOk());
  EXPECT_EQ(SimAd(out.ad_ids(0))["brand_safety_postbid_partner"], "ZEFR");
  r.set_dark_post_status("MAYBE");
  const int64_t calls = AllCalls();
  s = Create(r, &out);
  EXPECT_THAT(s, GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT));
  EXPECT_TRUE(FieldsOf(s).count("dark_post_status"));
  EXPECT_EQ(AllCalls(), calls);
}

TEST_F(AdsServiceTest, NonV13FieldsAndDisclaimerLimits) {
  Connect(team_.owner_key, {seed::kAdvertiserTtUser});
  v1::AdInput r = VideoAd();
  r.set_vast_moat_enabled(true);
  v1::AdCreation out;
  ASSERT_THAT(Create(r, &out), GrpcIsOk());
  json ad = SimAd(out.ad_ids(0));
  EXPECT_FALSE(ad.contains("vast_moat_enabled"));
  EXPECT_EQ(ad["viewability_postbid_partner"], "MOAT");

  r.clear_vast_moat_enabled();
  r.set_card_type("IMAGE");
  r.set_card_id("123");
  auto* a = r.add_disclaimer_clickable_texts();
  a->set_text(std::string(25, 'a'));
  a->set_url("https://shop.example.com/terms");
  auto* b = r.add_disclaimer_clickable_texts();
  b->set_text(std::string(20, 'b'));
  b->set_url("https://shop.example.com/privacy");
  grpc::Status s = Create(r, &out);
  EXPECT_THAT(s, GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT));
  EXPECT_TRUE(FieldsOf(s).count("card_type"));
  EXPECT_TRUE(FieldsOf(s).count("disclaimer_clickable_texts"));
}

TEST_F(AdsServiceTest, ImageUrlsAreRenderedIntoASlideshowVideo) {
  Connect(team_.owner_key, {seed::kAdvertiserTtUser});
  v1::AdInput r = VideoAd();
  r.clear_video_id();
  r.add_image_urls(media_->Url("/a.png"));
  r.add_image_urls(media_->Url("/b.jpg"));
  const auto before = fixture_->sim().stats();
  v1::AdCreation out;
  grpc::Status s = Create(r, &out);
  ASSERT_THAT(s, GrpcIsOk());
  EXPECT_EQ(out.ad_format(), "SINGLE_VIDEO");
  const auto after = fixture_->sim().stats();
  // One video upload (the slideshow) and one image upload (its cover).
  EXPECT_EQ(after.videos, before.videos + 1);
  EXPECT_EQ(after.images, before.images + 1);
  EXPECT_EQ(after.calls.at("/file/video/ad/upload/").ok,
            (before.calls.count("/file/video/ad/upload/")
                 ? before.calls.at("/file/video/ad/upload/").ok
                 : 0) +
                1);
  json ad = SimAd(out.ad_ids(0));
  EXPECT_EQ(ad["ad_format"], "SINGLE_VIDEO");
  const std::string video_id = ad["video_id"].get<std::string>();
  ASSERT_FALSE(video_id.empty());
  ASSERT_EQ(ad["image_ids"].size(), 1u);
  const std::string cover_id = ad["image_ids"][0].get<std::string>();
  auto [video, cover] =
      fixture_->sim().WithState([&](tiktok_sim::SimState& st) {
        return std::make_pair(st.videos[video_id], st.images[cover_id]);
      });
  EXPECT_GT(video["size"].get<int64_t>(), 0);
  // The cover is the 9:16 first slide, as TikTok wants for SINGLE_VIDEO.
  EXPECT_EQ(cover["width"], 720);
  EXPECT_EQ(cover["height"], 1280);
  bool noted = false;
  for (const auto& n : out.notes()) {
    noted |= absl::StrContains(n, "slideshow: rendered 2 images");
  }
  EXPECT_TRUE(noted);

  // A GIF is refused as a field violation; nothing is created or uploaded.
  r.clear_image_urls();
  r.add_image_urls(media_->Url("/a.png"));
  r.add_image_urls(media_->Url("/anim.gif"));
  const size_t ads = Ads();
  s = Create(r, &out);
  EXPECT_THAT(s, GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT));
  EXPECT_TRUE(FieldsOf(s).count("image_urls[1]"));
  EXPECT_EQ(Ads(), ads);
  EXPECT_EQ(fixture_->sim().stats().videos, after.videos);
}

TEST_F(AdsServiceTest, CarouselOnlyWhenAskedAndWithMusicId) {
  Connect(team_.owner_key, {seed::kAdvertiserTtUser});
  v1::AdInput r = VideoAd();
  r.clear_video_id();
  r.add_image_urls(media_->Url("/a.png"));
  r.add_image_urls(media_->Url("/b.jpg"));
  r.set_ad_format(v1::AD_FORMAT_CAROUSEL_ADS);
  const auto before = fixture_->sim().stats();
  v1::AdCreation out;
  grpc::Status s = Create(r, &out);
  EXPECT_THAT(s, GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT));
  EXPECT_EQ(FieldsOf(s), std::set<std::string>{"music_id"});
  EXPECT_EQ(fixture_->sim().stats().ads, before.ads);
  EXPECT_EQ(fixture_->sim().stats().images, before.images);

  r.set_music_id("7109000000000000001");
  s = Create(r, &out);
  ASSERT_THAT(s, GrpcIsOk());
  json ad = SimAd(out.ad_ids(0));
  EXPECT_EQ(ad["ad_format"], "CAROUSEL_ADS");
  EXPECT_EQ(ad["music_id"], "7109000000000000001");
  EXPECT_EQ(ad["image_ids"].size(), 2u);
  EXPECT_EQ(fixture_->sim().stats().videos, before.videos);
}

TEST_F(AdsServiceTest, VideoUrlIsUploadedWithItsCover) {
  Connect(team_.owner_key, {seed::kAdvertiserTtUser});
  v1::AdInput r = VideoAd();
  r.clear_video_id();
  r.set_video_url(media_->Url("/clip.mp4"));
  const auto before = fixture_->sim().stats();
  v1::AdCreation out;
  grpc::Status s = Create(r, &out);
  ASSERT_THAT(s, GrpcIsOk());
  const auto after = fixture_->sim().stats();
  EXPECT_EQ(after.videos, before.videos + 1);
  EXPECT_EQ(after.images, before.images + 1);  // the cover
  json ad = SimAd(out.ad_ids(0));
  EXPECT_EQ(ad["ad_format"], "SINGLE_VIDEO");
  EXPECT_FALSE(ad["video_id"].get<std::string>().empty());
  EXPECT_EQ(ad["image_ids"].size(), 1u);
}

TEST_F(AdsServiceTest, SparkAdUsesTheTikTokAccountIdentity) {
  Connect(team_.owner_key, {seed::kAdvertiserTtUser});
  v1::AdInput r = VideoAd();
  r.clear_video_id();
  r.set_tiktok_item_id(seed::kItemTtUser1);
  v1::AdCreation out;
  grpc::Status s = Create(r, &out);
  ASSERT_THAT(s, GrpcIsOk());
  EXPECT_EQ(out.identity().identity_type(), common::v1::IDENTITY_TYPE_TT_USER);
  EXPECT_EQ(SimAd(out.ad_ids(0))["tiktok_item_id"], seed::kItemTtUser1);
}

TEST_F(AdsServiceTest, CustomizedUserOnlyWithOptIn) {
  Connect(team_.owner_key, {seed::kAdvertiserNoTtUser});
  v1::AdInput r = VideoAd(seed::AdGroupId(2, 1));
  r.clear_video_id();
  r.set_video_url(media_->Url("/clip.mp4"));
  const int64_t creates = Calls("/ad/create/");
  v1::AdCreation out;
  grpc::Status s = Create(r, &out);
  EXPECT_THAT(s, GrpcStatusIs(grpc::StatusCode::FAILED_PRECONDITION))
      << s.error_message();
  EXPECT_EQ(Calls("/ad/create/"), creates);
  r.set_use_brand_identity(true);
  s = Create(r, &out);
  ASSERT_THAT(s, GrpcIsOk());
  EXPECT_EQ(out.identity().identity_type(),
            common::v1::IDENTITY_TYPE_CUSTOMIZED_USER);
}

TEST_F(AdsServiceTest, InlineBrandIdentityIsConfiguredInTheSameCall) {
  Connect(team_.owner_key, {seed::kAdvertiserNoTtUser});
  grpc::ClientContext ctx;
  Authorize(&ctx, team_.owner_key);
  identity::v1::ConnectAdsAccountRequest acc;
  acc.set_platform("tiktok");
  acc.set_advertiser_id(seed::kAdvertiserNoTtUser);
  identity::v1::ConnectAdsAccountResponse account;
  ASSERT_THAT(identity_stub_->ConnectAdsAccount(&ctx, acc, &account),
              GrpcIsOk());

  v1::AdInput r = VideoAd(seed::AdGroupId(2, 1));
  r.clear_video_id();
  r.set_video_url(media_->Url("/clip.mp4"));
  r.set_account_id(account.account().account_id());
  r.mutable_brand_identity()->set_display_name("Shop Brand");
  r.mutable_brand_identity()->set_image_url(media_->Url("/brand.png"));
  const size_t identities = fixture_->sim().stats().identities;
  v1::AdCreation out;
  grpc::Status s = Create(r, &out);
  ASSERT_THAT(s, GrpcIsOk());
  EXPECT_EQ(fixture_->sim().stats().identities, identities + 1);
  EXPECT_EQ(out.identity().identity_type(),
            common::v1::IDENTITY_TYPE_CUSTOMIZED_USER);
  EXPECT_EQ(out.identity().display_name(), "Shop Brand");
  EXPECT_EQ(SimAd(out.ad_ids(0))["identity_id"], out.identity().identity_id());
}

TEST_F(AdsServiceTest, ValidateOnlyChecksEverythingAndCreatesNothing) {
  Connect(team_.owner_key,
          {seed::kAdvertiserTtUser, seed::kAdvertiserNoTtUser});
  v1::AdInput r = VideoAd();
  r.set_advertiser_id(seed::kAdvertiserTtUser);
  r.set_validate_only(true);
  r.set_call_to_action("INSTALL");
  const size_t ads = Ads();
  v1::AdCreation out;
  grpc::Status s = Create(r, &out);
  ASSERT_THAT(s, GrpcIsOk());
  EXPECT_TRUE(out.validated_only());
  EXPECT_EQ(out.call_to_action(), "INSTALL_NOW");
  EXPECT_EQ(out.ad_ids_size(), 0);
  EXPECT_EQ(Ads(), ads);
  EXPECT_EQ(Calls("/ad/create/"), Calls("/ad/create/"));
  bool ran_preflight = false;
  for (const auto& n : out.notes())
    ran_preflight |= absl::StrContains(n, "preflight TRAFFIC: ready");
  EXPECT_TRUE(ran_preflight);

  // Advertiser 2 has no pixel: a WEB_CONVERSIONS ad fails the preflight.
  r.set_advertiser_id(seed::kAdvertiserNoTtUser);
  r.set_adgroup_id(seed::AdGroupId(2, 6));
  r.set_use_brand_identity(true);
  r.clear_video_id();
  r.add_image_ids("7107000000000000009");
  s = Create(r, &out);
  EXPECT_THAT(s, GrpcStatusIs(grpc::StatusCode::FAILED_PRECONDITION))
      << s.error_message();
  // An unknown ad group is a field violation.
  r.set_adgroup_id("7112999999999999999");
  s = Create(r, &out);
  EXPECT_THAT(s, GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT));
  EXPECT_TRUE(FieldsOf(s).count("adgroup_id"));
  EXPECT_EQ(Ads(), ads);
}

TEST_F(AdsServiceTest, AdspirerToolShape) {
  Connect(team_.owner_key, {seed::kAdvertiserTtUser});
  compat::v1::ExecuteAddTikTokAdRequest req;
  req.mutable_arguments()->ParseFromString(VideoAd().SerializeAsString());
  compat::v1::ExecuteAddTikTokAdResponse out;
  {
    grpc::ClientContext ctx;
    Authorize(&ctx, team_.owner_key);
    ASSERT_THAT(adspirer_stub_->ExecuteAddTikTokAd(&ctx, req, &out),
                GrpcIsOk());
  }
  EXPECT_TRUE(out.success());
  EXPECT_EQ(out.tool(), "add_tiktok_ad");
  EXPECT_TRUE(absl::StrContains(out.data().fields().at("text").string_value(),
                                "Created"));
  req.mutable_arguments()->set_ad_text("");
  grpc::ClientContext ctx;
  Authorize(&ctx, team_.owner_key);
  ASSERT_THAT(adspirer_stub_->ExecuteAddTikTokAd(&ctx, req, &out), GrpcIsOk());
  EXPECT_FALSE(out.success());
  EXPECT_TRUE(out.is_error());
  EXPECT_TRUE(absl::StrContains(out.error(), "ad_text"));
}

// --- ttads' own CreateAd: the Ad itself (AIP-133) ----------------------------

TEST_F(AdsServiceTest, CreateAdAnswersTheAdAsTikTokHoldsIt) {
  Connect(team_.owner_key, {seed::kAdvertiserTtUser});
  v1::AdInput r = VideoAd();
  r.set_request_id("core-create-1");
  v1::Ad ad;
  grpc::Status s = CreateCore(r, &ad);
  ASSERT_THAT(s, GrpcIsOk());
  ASSERT_FALSE(ad.ad_id().empty());
  EXPECT_FALSE(SimAd(ad.ad_id()).is_null());
  EXPECT_EQ(ad.advertiser_id(), seed::kAdvertiserTtUser);
  EXPECT_EQ(ad.adgroup_id(), seed::AdGroupId(1, 1));
  EXPECT_EQ(ad.ad_text(), "Meet the new collection");
  EXPECT_EQ(ad.video_id(), seed::kVideoAdv1);
  EXPECT_EQ(ad.identity_type(), common::v1::IDENTITY_TYPE_TT_USER);
  // Read back from TikTok: what only TikTok knows is there too.
  EXPECT_FALSE(ad.campaign_id().empty());
  EXPECT_TRUE(ad.has_create_time());
  EXPECT_FALSE(ad.ad_name().empty());

  // The same request id again answers the same ad and creates nothing; the
  // Zernio shape shares the request-id record.
  const size_t ads = Ads();
  v1::Ad again;
  ASSERT_THAT(CreateCore(r, &again), GrpcIsOk());
  EXPECT_EQ(again.ad_id(), ad.ad_id());
  v1::AdCreation zernio;
  ASSERT_THAT(Create(r, &zernio), GrpcIsOk());
  EXPECT_TRUE(zernio.replayed());
  ASSERT_EQ(zernio.ad_ids_size(), 1);
  EXPECT_EQ(zernio.ad_ids(0), ad.ad_id());
  EXPECT_EQ(Ads(), ads);
}

TEST_F(AdsServiceTest, CreateAdSendsItsEnumsAsTikToksWords) {
  Connect(team_.owner_key, {seed::kAdvertiserTtUser});
  v1::AdInput r = VideoAd();
  r.set_request_id("core-enums-1");
  r.set_deeplink("demo://product/1");
  r.set_deeplink_type(v1::DEEPLINK_TYPE_DEFERRED_DEEPLINK);
  r.set_fallback_type(v1::FALLBACK_TYPE_WEBSITE);
  r.set_dark_post_status(v1::DARK_POST_STATUS_ON);
  r.set_vertical_video_strategy(v1::VERTICAL_VIDEO_STRATEGY_SINGLE_VIDEO);
  r.set_viewability_postbid_partner(v1::VIEWABILITY_PARTNER_MOAT);
  r.set_ad_format(v1::AD_FORMAT_SINGLE_VIDEO);
  v1::Ad ad;
  grpc::Status s = CreateCore(r, &ad);
  ASSERT_THAT(s, GrpcIsOk());
  json sent = SimAd(ad.ad_id());
  EXPECT_EQ(sent["deeplink_type"], "DEFERRED_DEEPLINK");
  EXPECT_EQ(sent["fallback_type"], "WEBSITE");
  EXPECT_EQ(sent["dark_post_status"], "ON");
  EXPECT_EQ(sent["vertical_video_strategy"], "SINGLE_VIDEO");
  EXPECT_EQ(sent["viewability_postbid_partner"], "MOAT");
  EXPECT_EQ(sent["ad_format"], "SINGLE_VIDEO");
  EXPECT_FALSE(sent.contains("item_duet_status"));
  // Zernio's shape of the same ad (TikTok's words) shares its record.
  v1::AdCreation zernio;
  ASSERT_THAT(Create(r, &zernio), GrpcIsOk());
  EXPECT_TRUE(zernio.replayed());
  ASSERT_EQ(zernio.ad_ids_size(), 1);
  EXPECT_EQ(zernio.ad_ids(0), ad.ad_id());
  // A number the enum does not declare is a field violation.
  r.set_request_id("");
  r.set_dark_post_status(static_cast<v1::DarkPostStatus>(9));
  const int64_t before = AllCalls();
  s = CreateCore(r, &ad);
  EXPECT_THAT(s, GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT));
  // Refused by the contract checks (libs/validate), which name the path in
  // the request.
  EXPECT_EQ(FieldsOf(s), std::set<std::string>{"ad.dark_post_status"});
  EXPECT_EQ(AllCalls(), before);
}

TEST_F(AdsServiceTest, CreateAdRefusesBadInputWithFieldViolations) {
  Connect(team_.owner_key, {seed::kAdvertiserTtUser});
  v1::AdInput r = VideoAd();
  r.set_ad_text("");
  const int64_t before = AllCalls();
  v1::Ad ad;
  grpc::Status s = CreateCore(r, &ad);
  EXPECT_THAT(s, GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT));
  EXPECT_TRUE(FieldsOf(s).count("ad_text"));
  EXPECT_EQ(AllCalls(), before);
}

// --- Idempotency and reconciliation ------------------------------------------

TEST_F(AdsServiceTest, RequestIdReplaysAndRejectsADifferentBody) {
  Connect(team_.owner_key, {seed::kAdvertiserTtUser});
  v1::AdInput r = VideoAd();
  r.set_request_id("replay-1");
  v1::AdCreation first, second;
  ASSERT_THAT(Create(r, &first), GrpcIsOk());
  const size_t ads = Ads();
  const int64_t creates = Calls("/ad/create/");
  ASSERT_THAT(Create(r, &second), GrpcIsOk());
  EXPECT_TRUE(second.replayed());
  EXPECT_EQ(second.ad_ids(0), first.ad_ids(0));
  EXPECT_EQ(Ads(), ads);
  EXPECT_EQ(Calls("/ad/create/"), creates);
  r.set_ad_text("Something else");
  grpc::Status s = Create(r, &second);
  EXPECT_THAT(s, GrpcStatusIs(grpc::StatusCode::ALREADY_EXISTS));
  EXPECT_EQ(ReasonOf(s), "IDEMPOTENCY_KEY_REUSED");
  // Keys are per team.
  auto other = fixture_->CreateTeam();
  ASSERT_THAT(other, IsOk());
  Connect(other->owner_key, {seed::kAdvertiserTtUser});
  ASSERT_THAT(Create(r, &second, other->owner_key), GrpcIsOk());
  EXPECT_FALSE(second.replayed());
}

TEST_F(AdsServiceTest, ConcurrentDuplicatesCreateOneAd) {
  Connect(team_.owner_key, {seed::kAdvertiserTtUser});
  fixture_->sim().AddFault({.path_prefix = "/ad/create/",
                            .mode = FaultMode::kLatency,
                            .latency_ms = 300});
  v1::AdInput r = VideoAd();
  r.set_request_id("concurrent-1");
  const size_t ads = Ads();
  std::vector<std::thread> threads;
  std::vector<std::string> ids(8);
  std::atomic<int> ok{0};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      v1::AdCreation out;
      if (Create(r, &out).ok() && out.ad_ids_size() == 1) {
        ids[i] = out.ad_ids(0);
        ++ok;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 8);
  EXPECT_EQ(Ads(), ads + 1);
  for (const auto& id : ids) EXPECT_EQ(id, ids[0]);
}

// DISABLED: libcurl (7.88) silently resends a POST once when a *reused*
// keep-alive connection closes without a response byte, so against "apply
// then drop" the TikTok client itself sends /ad/create/ twice before this
// service sees any failure. Needs CURLOPT_FORBID_REUSE (or a fresh
// connection) for non-idempotent calls in libs/tiktok/client.cc; reported.
// The timeout variant below exercises the same reconciliation.
TEST_F(AdsServiceTest, ApplyThenDropIsReconciledToExactlyOneAd) {
  Connect(team_.owner_key, {seed::kAdvertiserTtUser});
  fixture_->sim().AddFault({.path_prefix = "/ad/create/",
                            .mode = FaultMode::kApplyThenTimeout,
                            .latency_ms = 0,
                            .count = 1});
  v1::AdInput r = VideoAd();
  r.set_request_id("ambiguous-drop");
  const size_t ads = Ads();
  v1::AdCreation out;
  grpc::Status s = Create(r, &out);
  ASSERT_THAT(s, GrpcIsOk());
  EXPECT_EQ(Ads(), ads + 1);
  ASSERT_EQ(out.ad_ids_size(), 1);
  EXPECT_FALSE(SimAd(out.ad_ids(0)).is_null());
}

TEST_F(AdsServiceTest, ApplyThenTimeoutNeverDuplicatesAcrossRetries) {
  Connect(team_.owner_key, {seed::kAdvertiserTtUser});
  fixture_->sim().AddFault({.path_prefix = "/ad/create/",
                            .mode = FaultMode::kApplyThenTimeout,
                            .latency_ms = 4000,
                            .count = 1});
  v1::AdInput r = VideoAd();
  r.set_request_id("ambiguous-timeout");
  const size_t ads = Ads();
  v1::AdCreation out;
  // The caller gives up first; the service still reconciles.
  grpc::Status s = Create(r, &out, "", 2);
  EXPECT_THAT(s, GrpcStatusIs(grpc::StatusCode::DEADLINE_EXCEEDED));
  // Retrying with the same request id returns the one ad.
  v1::AdCreation retry;
  s = Create(r, &retry);
  ASSERT_THAT(s, GrpcIsOk());
  ASSERT_EQ(retry.ad_ids_size(), 1);
  EXPECT_EQ(Ads(), ads + 1);
  v1::AdCreation again;
  ASSERT_THAT(Create(r, &again), GrpcIsOk());
  EXPECT_EQ(again.ad_ids(0), retry.ad_ids(0));
  EXPECT_EQ(Ads(), ads + 1);
}

TEST_F(AdsServiceTest, DroppedCreatesYieldExactlyOneAd) {
  Connect(team_.owner_key, {seed::kAdvertiserTtUser});
  fixture_->sim().AddFault(
      {.path_prefix = "/ad/create/", .mode = FaultMode::kDrop, .count = 2});
  v1::AdInput r = VideoAd();
  r.set_request_id("dropped");
  const size_t ads = Ads();
  v1::AdCreation out;
  grpc::Status s = Create(r, &out);
  ASSERT_THAT(s, GrpcIsOk());
  EXPECT_EQ(Ads(), ads + 1);
}

TEST_F(AdsServiceTest, DefiniteUpstreamFailureReleasesTheKey) {
  Connect(team_.owner_key, {seed::kAdvertiserTtUser});
  fixture_->sim().AddFault({.path_prefix = "/ad/create/",
                            .mode = FaultMode::kCode,
                            .code = 40002,
                            .count = 1});
  v1::AdInput r = VideoAd();
  r.set_request_id("definite");
  v1::AdCreation out;
  // 40002 is TikTok's invalid-parameter answer: definite, so not retried.
  EXPECT_THAT(Create(r, &out),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT));
  ASSERT_THAT(Create(r, &out), GrpcIsOk());
  EXPECT_FALSE(out.replayed());
}

// --- Management --------------------------------------------------------------

TEST_F(AdsServiceTest, GetSearchAndUpdate) {
  Connect(team_.owner_key, {seed::kAdvertiserTtUser});
  v1::AdCreation created;
  ASSERT_THAT(Create(VideoAd(), &created), GrpcIsOk());
  const std::string id = created.ad_ids(0);
  {
    grpc::ClientContext ctx;
    Authorize(&ctx, team_.owner_key);
    v1::GetAdRequest req;
    req.set_ad_id(id);
    v1::Ad ad;
    ASSERT_THAT(stub_->GetAd(&ctx, req, &ad), GrpcIsOk());
    EXPECT_EQ(ad.adgroup_id(), seed::AdGroupId(1, 1));
    EXPECT_EQ(ad.identity_type(), common::v1::IDENTITY_TYPE_TT_USER);
    EXPECT_GT(ad.create_time().seconds(), 0);
  }
  {
    grpc::ClientContext ctx;
    Authorize(&ctx, team_.owner_key);
    v1::GetAdRequest req;
    req.set_ad_id("7113999999999999999");
    v1::Ad ad;
    EXPECT_THAT(stub_->GetAd(&ctx, req, &ad),
                GrpcStatusIs(grpc::StatusCode::NOT_FOUND));
  }
  // Search by ad group with paging.
  for (int i = 0; i < 2; ++i)
    ASSERT_THAT(Create(VideoAd(), &created), GrpcIsOk());
  v1::ListAdsRequest search;
  search.add_adgroup_ids(seed::AdGroupId(1, 1));
  search.set_page_size(2);
  std::set<std::string> seen;
  std::string token;
  int pages = 0;
  do {
    grpc::ClientContext ctx;
    Authorize(&ctx, team_.owner_key);
    search.set_page_token(token);
    v1::ListAdsResponse page;
    ASSERT_THAT(stub_->ListAds(&ctx, search, &page), GrpcIsOk());
    for (const auto& ad : page.ads()) seen.insert(ad.ad_id());
    token = page.next_page_token();
    ++pages;
  } while (!token.empty() && pages < 50);
  EXPECT_TRUE(seen.count(id));
  EXPECT_GE(pages, 2);
  // Creation window in the future finds nothing.
  {
    grpc::ClientContext ctx;
    Authorize(&ctx, team_.owner_key);
    v1::ListAdsRequest req;
    req.mutable_create_start_time()->set_seconds(
        absl::ToUnixSeconds(absl::Now()) + 3600);
    v1::ListAdsResponse page;
    ASSERT_THAT(stub_->ListAds(&ctx, req, &page), GrpcIsOk());
    EXPECT_EQ(page.ads_size(), 0);
  }
  // Update creative fields.
  {
    grpc::ClientContext ctx;
    Authorize(&ctx, team_.owner_key);
    v1::UpdateAdRequest req;
    req.set_ad_id(id);
    req.mutable_ad()->set_ad_text("Updated text");
    req.mutable_ad()->set_call_to_action("BUY_NOW");
    google::protobuf::util::FieldMaskUtil::FromString(
        "ad_text,call_to_action", req.mutable_update_mask());
    v1::Ad ad;
    grpc::Status s = stub_->UpdateAd(&ctx, req, &ad);
    ASSERT_THAT(s, GrpcIsOk());
    EXPECT_EQ(ad.ad_text(), "Updated text");
    EXPECT_EQ(ad.call_to_action(), "SHOP_NOW");
  }
  // Patch mode (only ad_text here): nothing else of the creative moves.
  const int64_t updates = Calls("/ad/update/");
  {
    grpc::ClientContext ctx;
    Authorize(&ctx, team_.owner_key);
    v1::UpdateAdRequest req;
    req.set_ad_id(id);
    req.mutable_ad()->set_ad_text("Patched text");
    google::protobuf::util::FieldMaskUtil::FromString(
        "ad_text", req.mutable_update_mask());
    v1::Ad ad;
    grpc::Status s = stub_->UpdateAd(&ctx, req, &ad);
    ASSERT_THAT(s, GrpcIsOk());
    EXPECT_EQ(ad.ad_text(), "Patched text");
    EXPECT_EQ(ad.call_to_action(), "SHOP_NOW");
    EXPECT_EQ(ad.landing_page_url(), "https://shop.example.com/new");
  }
  // A field patch mode cannot change: read-modify-write full update, the
  // rest of the creative (identity, cover, CTA) sent back unchanged.
  {
    grpc::ClientContext ctx;
    Authorize(&ctx, team_.owner_key);
    v1::UpdateAdRequest req;
    req.set_ad_id(id);
    req.mutable_ad()->set_landing_page_url("https://shop.example.com/sale");
    req.mutable_ad()->set_deeplink("demo://sale");
    google::protobuf::util::FieldMaskUtil::FromString(
        "landing_page_url,deeplink", req.mutable_update_mask());
    v1::Ad ad;
    grpc::Status s = stub_->UpdateAd(&ctx, req, &ad);
    ASSERT_THAT(s, GrpcIsOk());
    EXPECT_EQ(ad.landing_page_url(), "https://shop.example.com/sale");
    EXPECT_EQ(ad.ad_text(), "Patched text");
    EXPECT_EQ(ad.call_to_action(), "SHOP_NOW");
    EXPECT_EQ(ad.identity_type(), common::v1::IDENTITY_TYPE_TT_USER);
    EXPECT_EQ(SimAd(id)["image_ids"].size(), 1u);
    EXPECT_EQ(SimAd(id)["deeplink"], "demo://sale");
  }
  EXPECT_EQ(Calls("/ad/update/"), updates + 2);
}

TEST_F(AdsServiceTest, StatusUpdatesAreBatchedAndDeletedAdsStayDeleted) {
  Connect(team_.owner_key, {seed::kAdvertiserTtUser});
  std::vector<std::string> ids;
  for (int i = 0; i < 45; ++i) {
    v1::AdCreation out;
    ASSERT_THAT(Create(VideoAd(), &out), GrpcIsOk());
    ids.push_back(out.ad_ids(0));
  }
  const int64_t before = Calls("/ad/status/update/");
  v1::SetAdStatusRequest req;
  for (const auto& id : ids) req.add_ad_ids(id);
  req.set_operation_status(v1::AD_OPERATION_DISABLE);
  {
    grpc::ClientContext ctx;
    Authorize(&ctx, team_.owner_key);
    v1::SetAdStatusResponse out;
    ASSERT_THAT(stub_->SetAdStatus(&ctx, req, &out), GrpcIsOk());
    EXPECT_EQ(out.updated_ad_ids_size(), 45);
  }
  EXPECT_EQ(Calls("/ad/status/update/"), before + 3);  // 20 + 20 + 5
  EXPECT_EQ(SimAd(ids[44])["operation_status"], "DISABLE");
  // Delete one, then try to enable it with another.
  v1::SetAdStatusRequest del;
  del.add_ad_ids(ids[0]);
  del.set_operation_status(v1::AD_OPERATION_DELETE);
  {
    grpc::ClientContext ctx;
    Authorize(&ctx, team_.owner_key);
    v1::SetAdStatusResponse out;
    ASSERT_THAT(stub_->SetAdStatus(&ctx, del, &out), GrpcIsOk());
  }
  v1::SetAdStatusRequest enable;
  enable.add_ad_ids(ids[0]);
  enable.add_ad_ids(ids[1]);
  enable.set_operation_status(v1::AD_OPERATION_ENABLE);
  {
    grpc::ClientContext ctx;
    Authorize(&ctx, team_.owner_key);
    v1::SetAdStatusResponse out;
    ASSERT_THAT(stub_->SetAdStatus(&ctx, enable, &out), GrpcIsOk());
    EXPECT_EQ(out.updated_ad_ids_size(), 1);
    EXPECT_TRUE(out.failures().count(ids[0]));
  }
  {
    grpc::ClientContext ctx;
    Authorize(&ctx, team_.owner_key);
    v1::SetAdStatusResponse out;
    del.set_operation_status(v1::AD_OPERATION_ENABLE);
    EXPECT_THAT(stub_->SetAdStatus(&ctx, del, &out),
                GrpcStatusIs(grpc::StatusCode::FAILED_PRECONDITION));
  }
}

// --- Reports -----------------------------------------------------------------

TEST_F(AdsServiceTest, ReportsPageAndDropDashMetrics) {
  Connect(team_.owner_key, {seed::kAdvertiserTtUser});
  const int64_t before = Calls("/report/integrated/get/");
  auto call = [&](v1::ListAdReportsRequest req,
                  v1::ListAdReportsResponse* out) {
    grpc::ClientContext ctx;
    Authorize(&ctx, team_.owner_key);
    return stub_->ListAdReports(&ctx, req, out);
  };
  v1::ListAdReportsRequest req;
  req.add_dimensions("ad_id");
  req.add_dimensions("stat_time_day");
  req.add_metrics("spend");
  req.add_metrics("cost_per_conversion");
  req.set_start_date("2026-01-01");
  v1::ListAdReportsResponse out;
  grpc::Status s;
  req.set_end_date("2026-01-03");
  req.set_page_size(2);
  std::string token;
  int rows = 0, pages = 0;
  do {
    req.set_page_token(token);
    s = call(req, &out);
    ASSERT_THAT(s, GrpcIsOk());
    for (const auto& row : out.rows()) {
      ++rows;
      EXPECT_TRUE(row.metrics().count("spend"));
      if (row.metrics().count("cost_per_conversion")) {
        EXPECT_NE(row.metrics().at("cost_per_conversion"), "-");
      }
    }
    token = out.next_page_token();
    ++pages;
    // The bound only stops a runaway loop: the advertiser may hold ads that
    // earlier tests in the same process created.
  } while (!token.empty() && pages < 5000);
  EXPECT_GE(pages, 2);
  EXPECT_EQ(rows, out.total_size());

  // Without stat_time_day the range may reach 365 days (Reports,
  // start_date); the range rules themselves are in ad_reports_test.
  v1::ListAdReportsRequest totals;
  totals.add_dimensions("ad_id");
  totals.add_metrics("spend");
  totals.set_start_date("2025-01-02");
  totals.set_end_date("2026-01-01");
  s = call(totals, &out);
  EXPECT_THAT(s, GrpcIsOk());
  EXPECT_GT(Calls("/report/integrated/get/"), before);
}

// --- Watch, Spark posts, raw call
// ---------------------------------------------

TEST_F(AdsServiceTest, WatchStreamSeesANewAdAndResumesFromCursor) {
  Connect(team_.owner_key, {seed::kAdvertiserTtUser});
  grpc::ClientContext ctx;
  Authorize(&ctx, team_.owner_key, 30);
  v1::WatchAdsRequest req;
  req.set_watch_by(v1::WATCH_BY_CREATED_TIME);
  req.add_adgroup_ids(seed::AdGroupId(1, 2));
  auto reader = stub_->WatchAds(&ctx, req);
  // A second watcher of the same advertiser shares the poller.
  grpc::ClientContext ctx2;
  Authorize(&ctx2, team_.owner_key, 30);
  auto reader2 = stub_->WatchAds(&ctx2, req);
  for (int i = 0; i < 200 && server_->watch().pollers() == 0; ++i) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_EQ(server_->watch().pollers(), 1u);
  v1::AdCreation created;
  ASSERT_THAT(Create(VideoAd(seed::AdGroupId(1, 2)), &created), GrpcIsOk());
  v1::AdEvent event;
  ASSERT_TRUE(reader->Read(&event));
  EXPECT_EQ(event.type(), v1::AD_EVENT_TYPE_CREATED);
  EXPECT_EQ(event.ad().ad_id(), created.ad_ids(0));
  ASSERT_TRUE(reader2->Read(&event));
  EXPECT_EQ(event.ad().ad_id(), created.ad_ids(0));
  const std::string cursor = event.cursor();
  ctx.TryCancel();
  ctx2.TryCancel();

  // Resume after the cursor: the next ad, not the first one again.
  ASSERT_THAT(Create(VideoAd(seed::AdGroupId(1, 2)), &created), GrpcIsOk());
  grpc::ClientContext ctx3;
  Authorize(&ctx3, team_.owner_key, 30);
  req.set_cursor(cursor);
  auto reader3 = stub_->WatchAds(&ctx3, req);
  ASSERT_TRUE(reader3->Read(&event));
  EXPECT_EQ(event.ad().ad_id(), created.ad_ids(0));
  ctx3.TryCancel();
}

// WatchAds runs on libs/server's stream pipeline: the stream is counted in
// grpc_server_handled_total, writes an access log line with its request id and
// echoes the id; a stream refused at authentication is counted too.
TEST_F(AdsServiceTest, WatchStreamIsMeteredAndLoggedWithItsRequestId) {
  Connect(team_.owner_key, {seed::kAdvertiserTtUser});
  std::mutex mu;
  std::vector<std::string> lines;
  log::SetLevel(log::Level::kDebug);
  log::SetSinkForTesting([&](std::string_view line) {
    std::lock_guard<std::mutex> lock(mu);
    lines.emplace_back(line);
  });
  auto calls = [&](const std::string& code) {
    return testing::GrpcCallsTotal(server_->kit().runner().metrics().registry(),
                                   "WatchAds", code);
  };
  const double unauthenticated_before = calls("UNAUTHENTICATED");
  {
    grpc::ClientContext ctx;
    Authorize(&ctx, team_.owner_key, 30);
    ctx.AddMetadata("x-request-id", "watch-req-1");
    v1::WatchAdsRequest req;
    req.set_advertiser_id(seed::kAdvertiserTtUser);
    req.set_watch_by(v1::WATCH_BY_CREATED_TIME);
    auto reader = stub_->WatchAds(&ctx, req);
    for (int i = 0; i < 200 && server_->watch().pollers() == 0; ++i) {
      absl::SleepFor(absl::Milliseconds(10));
    }
    v1::AdCreation created;
    ASSERT_THAT(Create(VideoAd(), &created), GrpcIsOk());
    v1::AdEvent event;
    ASSERT_TRUE(reader->Read(&event));
    auto it = ctx.GetServerInitialMetadata().find("x-request-id");
    ASSERT_NE(it, ctx.GetServerInitialMetadata().end());
    EXPECT_EQ(std::string(it->second.data(), it->second.size()), "watch-req-1");
    ctx.TryCancel();
    (void)reader->Finish();
  }
  {
    grpc::ClientContext ctx;  // no API key
    v1::WatchAdsRequest req;
    req.set_advertiser_id(seed::kAdvertiserTtUser);
    auto reader = stub_->WatchAds(&ctx, req);
    v1::AdEvent event;
    EXPECT_FALSE(reader->Read(&event));
    EXPECT_THAT(reader->Finish(),
                GrpcStatusIs(grpc::StatusCode::UNAUTHENTICATED));
  }
  // The cancelled stream ends on the server shortly after the client's
  // cancellation.
  auto logged = [&] {
    std::lock_guard<std::mutex> lock(mu);
    for (const auto& line : lines) {
      if (absl::StrContains(line, "\"request_id\":\"watch-req-1\"") &&
          absl::StrContains(line, "\"method\":\"WatchAds\"")) {
        return true;
      }
    }
    return false;
  };
  for (int i = 0; i < 500 && !logged(); ++i) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  log::SetSinkForTesting(nullptr);
  log::SetLevel(log::Level::kInfo);
  EXPECT_TRUE(logged());
  EXPECT_EQ(calls("UNAUTHENTICATED"), unauthenticated_before + 1);
}

// Watch streams whose deadline runs out while their registration still waits
// in the work queue (every work thread busy with a slow TikTok read, and
// CreateAd replays queued in between, as under the soak's load). The
// cancellation used to finish the stream at once, so gRPC freed the request
// and context that the queued registration then read (heap-use-after-free
// under ASan; garbage advertiser ids and an abort in release builds), and
// the registration then left a stopped poller behind; so did every stream
// that was its advertiser's only watcher.
TEST_F(AdsServiceTest, WatchStreamsCancelledBeforeRegistrationLeaveNothing) {
  Connect(team_.owner_key, {seed::kAdvertiserTtUser});
  v1::AdInput ad = VideoAd();
  ad.set_request_id("watch-storm");
  v1::AdCreation created;
  ASSERT_THAT(Create(ad, &created), GrpcIsOk());
  ASSERT_EQ(created.ad_ids_size(), 1);

  fixture_->sim().AddFault({.path_prefix = "/ad/get/",
                            .mode = FaultMode::kLatency,
                            .latency_ms = 1500});
  constexpr int kBusy = 40;  // more than the 32 work threads
  std::vector<std::thread> threads;
  for (int i = 0; i < kBusy; ++i) {
    threads.emplace_back([&] {
      grpc::ClientContext ctx;
      Authorize(&ctx, team_.owner_key);
      v1::GetAdRequest req;
      req.set_advertiser_id(seed::kAdvertiserTtUser);
      req.set_ad_id(created.ad_ids(0));
      v1::Ad out;
      (void)stub_->GetAd(&ctx, req, &out);
    });
  }
  for (int i = 0; i < 500; ++i) {
    auto faults = fixture_->sim().Faults();
    if (!faults.empty() && faults[0].value("fired", 0) >= 32) break;
    absl::SleepFor(absl::Milliseconds(10));
  }

  constexpr int kWatches = 24;
  std::atomic<int> replayed{0};
  for (int i = 0; i < kWatches; ++i) {
    threads.emplace_back([&] {
      grpc::ClientContext ctx;
      Authorize(&ctx, team_.owner_key);
      ctx.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::milliseconds(200));
      v1::WatchAdsRequest req;
      req.set_advertiser_id(seed::kAdvertiserTtUser);
      req.set_cursor("2020-01-01 00:00:00|0");
      auto reader = stub_->WatchAds(&ctx, req);
      v1::AdEvent event;
      while (reader->Read(&event)) {
      }
      EXPECT_THAT(reader->Finish(),
                  GrpcStatusIs(grpc::StatusCode::DEADLINE_EXCEEDED));
    });
    threads.emplace_back([&] {
      v1::AdCreation out;
      if (Create(ad, &out).ok() && out.replayed()) ++replayed;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(replayed.load(), kWatches);

  // Nothing stays registered; stopped pollers are freed (an ordinary stream
  // opened and closed afterwards frees those that have wound down).
  AdWatchHub& hub = server_->watch();
  for (int i = 0; i < 300 && hub.held_pollers() > 1; ++i) {
    grpc::ClientContext ctx;
    Authorize(&ctx, team_.owner_key);
    ctx.set_deadline(std::chrono::system_clock::now() +
                     std::chrono::milliseconds(20));
    v1::WatchAdsRequest req;
    req.set_advertiser_id(seed::kAdvertiserTtUser);
    auto reader = stub_->WatchAds(&ctx, req);
    v1::AdEvent event;
    while (reader->Read(&event)) {
    }
    (void)reader->Finish();
    absl::SleepFor(absl::Milliseconds(20));
  }
  for (int i = 0; i < 300 && (hub.watchers() > 0 || hub.pollers() > 0); ++i) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_EQ(hub.watchers(), 0u);
  EXPECT_EQ(hub.pollers(), 0u);
  EXPECT_LE(hub.held_pollers(), 1u);
}

TEST_F(AdsServiceTest, ListsSparkPostsOfAnIdentity) {
  Connect(team_.owner_key, {seed::kAdvertiserTtUser});
  grpc::ClientContext ctx;
  Authorize(&ctx, team_.owner_key);
  v1::ListIdentityVideosRequest req;
  req.set_identity_id(seed::kIdentityTtUser);
  req.set_identity_type(common::v1::IDENTITY_TYPE_TT_USER);
  v1::ListIdentityVideosResponse out;
  grpc::Status s = stub_->ListIdentityVideos(&ctx, req, &out);
  ASSERT_THAT(s, GrpcIsOk());
  std::set<std::string> items;
  for (const auto& v : out.videos()) items.insert(v.item_id());
  EXPECT_TRUE(items.count(seed::kItemTtUser1));
  EXPECT_TRUE(items.count(seed::kItemTtUser2));
  for (const auto& v : out.videos()) EXPECT_FALSE(v.cover_url().empty());
}

// TikTok requires identity_authorized_bc_id with a BC_AUTH_TT identity on
// /identity/video/get/; ads looks it up through the identity service.
TEST_F(AdsServiceTest, ListsSparkPostsOfABusinessCenterIdentity) {
  Connect(team_.owner_key, {seed::kAdvertiserBc});
  grpc::ClientContext ctx;
  Authorize(&ctx, team_.owner_key);
  v1::ListIdentityVideosRequest req;
  req.set_advertiser_id(seed::kAdvertiserBc);
  req.set_identity_id(seed::kIdentityBcAuthTt);
  req.set_identity_type(common::v1::IDENTITY_TYPE_BC_AUTH_TT);
  v1::ListIdentityVideosResponse out;
  grpc::Status s = stub_->ListIdentityVideos(&ctx, req, &out);
  ASSERT_THAT(s, GrpcIsOk());
  ASSERT_EQ(out.videos_size(), 1);
  EXPECT_EQ(out.videos(0).item_id(), seed::kItemBc1);
  EXPECT_FALSE(out.videos(0).cover_url().empty());
}

TEST_F(AdsServiceTest, RawCallIsLimitedToTheAllowList) {
  Connect(team_.owner_key, {seed::kAdvertiserTtUser});
  v1::CallTikTokApiRequest req;
  req.set_path("/ad/get/");
  req.set_method(v1::HTTP_METHOD_GET);
  (*req.mutable_query())["page_size"] = "5";
  v1::CallTikTokApiResponse out;
  {
    grpc::ClientContext ctx;
    Authorize(&ctx, team_.owner_key);
    grpc::Status s = stub_->CallTikTokApi(&ctx, req, &out);
    ASSERT_THAT(s, GrpcIsOk());
    EXPECT_EQ(out.code(), 0);
    EXPECT_TRUE(out.data().fields().count("list"));
  }
  const int64_t before = AllCalls();
  // Every path rule is in raw_call_test / raw_call_path_test; here the two
  // refusals as gRPC answers.
  for (const char* path : {"/ad/create/", "/ad/get/%2e%2e/ad/create/"}) {
    grpc::ClientContext ctx;
    Authorize(&ctx, team_.owner_key);
    req.set_path(path);
    req.set_method(v1::HTTP_METHOD_POST);
    grpc::Status s = stub_->CallTikTokApi(&ctx, req, &out);
    EXPECT_TRUE(s.error_code() == grpc::StatusCode::PERMISSION_DENIED ||
                s.error_code() == grpc::StatusCode::INVALID_ARGUMENT)
        << path;
  }
  EXPECT_EQ(AllCalls(), before);
}

// UploadImage and UploadVideo with a request id: twice and concurrently, one
// upload reaches TikTok and every answer is the same; another body under
// the key is ALREADY_EXISTS naming it and uploads nothing.
TEST_F(AdsServiceTest, UploadsHonourTheirRequestIds) {
  Connect(team_.owner_key, {seed::kAdvertiserTtUser});
  auto upload_image = [&](const std::string& path, v1::Image* out) {
    grpc::ClientContext ctx;
    Authorize(&ctx, team_.owner_key);
    v1::UploadImageRequest req;
    req.set_image_url(media_->Url(path));
    req.set_request_id("upload-image-1");
    return stub_->UploadImage(&ctx, req, out);
  };
  auto upload_video = [&](v1::Video* out) {
    grpc::ClientContext ctx;
    Authorize(&ctx, team_.owner_key);
    v1::UploadVideoRequest req;
    req.set_video_url(media_->Url("/clip.mp4"));
    req.set_request_id("upload-video-1");
    return stub_->UploadVideo(&ctx, req, out);
  };
  const auto before = fixture_->sim().stats();
  constexpr int kCalls = 4;
  std::vector<v1::Image> images(kCalls + 1);
  std::vector<v1::Video> videos(kCalls + 1);
  std::vector<grpc::Status> image_status(kCalls + 1), video_status(kCalls + 1);
  std::vector<std::thread> threads;
  for (int i = 0; i < kCalls; ++i) {
    threads.emplace_back(
        [&, i] { image_status[i] = upload_image("/a.png", &images[i]); });
    threads.emplace_back(
        [&, i] { video_status[i] = upload_video(&videos[i]); });
  }
  for (auto& t : threads) t.join();
  image_status[kCalls] = upload_image("/a.png", &images[kCalls]);
  video_status[kCalls] = upload_video(&videos[kCalls]);
  for (int i = 0; i <= kCalls; ++i) {
    ASSERT_THAT(image_status[i], GrpcIsOk());
    ASSERT_THAT(video_status[i], GrpcIsOk());
    EXPECT_EQ(images[i].SerializeAsString(), images[0].SerializeAsString());
    EXPECT_EQ(videos[i].SerializeAsString(), videos[0].SerializeAsString());
  }
  auto after = fixture_->sim().stats();
  EXPECT_EQ(after.videos, before.videos + 1);
  EXPECT_EQ(after.images, before.images + 2);  // the image and the cover

  v1::Image other;
  grpc::Status s = upload_image("/b.jpg", &other);
  EXPECT_THAT(s, GrpcStatusIs(grpc::StatusCode::ALREADY_EXISTS));
  EXPECT_NE(s.error_message().find("upload-image-1"), std::string::npos);
  EXPECT_EQ(fixture_->sim().stats().images, after.images);
}

}  // namespace
}  // namespace ttads::ads
