// TikTok video URLs accepted and refused, oEmbed answers read, and the
// oEmbed client against the simulator under libs/fetch's address rules.

#include "libs/tiktok_open/oembed.h"

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "libs/status/status.h"
#include "libs/testing/field_violations.h"
#include "libs/testing/status_matchers.h"
#include "tools/tiktok_sim/seed.h"
#include "tools/tiktok_sim/sim.h"

namespace ttads::tiktok_open {
namespace {

using ::testing::HasSubstr;
using ::ttads::testing::FirstViolatedField;
using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;

TEST(ParseVideoUrlTest, AcceptsVideoPagesAndNormalizes) {
  for (const char* url :
       {"https://www.tiktok.com/@scout2015/video/6718335390845095173",
        "http://www.tiktok.com/@scout2015/video/6718335390845095173",
        "https://TikTok.com/@scout2015/video/6718335390845095173/",
        "  https://www.tiktok.com:443/@scout2015/video/6718335390845095173"
        "?is_from_webapp=1&sender_device=pc#top "}) {
    auto parsed = ParseVideoUrl(url);
    ASSERT_THAT(parsed, IsOk()) << url;
    EXPECT_EQ(parsed->canonical,
              "https://www.tiktok.com/@scout2015/video/6718335390845095173");
    EXPECT_EQ(parsed->username, "scout2015");
    EXPECT_EQ(parsed->video_id, "6718335390845095173");
  }
  EXPECT_EQ(ParseVideoUrl("https://www.tiktok.com/@a.b_c/video/1")->canonical,
            "https://www.tiktok.com/@a.b_c/video/1");
}

TEST(ParseVideoUrlTest, RefusesEverythingElseWithAFieldViolation) {
  for (const char* url : {
           "",
           "www.tiktok.com/@u/video/1",         // no scheme
           "ftp://www.tiktok.com/@u/video/1",   // scheme
           "https://vm.tiktok.com/ZMRjsP94a/",  // short link
           "https://vt.tiktok.com/ZSabc/",      // short link
           "https://www.tiktok.com.evil.example/@u/video/1",
           "https://evil.example/www.tiktok.com/@u/video/1",
           "https://www.tiktok.com@evil.example/@u/video/1",  // user info
           "https://user@www.tiktok.com/@u/video/1",
           "https://www.tiktok.com:8443/@u/video/1",  // port
           "https://127.0.0.1/@u/video/1",
           "https://www.tiktok.com/@u",                  // profile
           "https://www.tiktok.com/tag/cats",            // tag page
           "https://www.tiktok.com/@u/photo/123",        // not video
           "https://www.tiktok.com/@u/video/12a",        // id
           "https://www.tiktok.com/@u/video/",           // no id
           "https://www.tiktok.com/@u/video/1/extra",    // extra segment
           "https://www.tiktok.com/@/video/1",           // no user
           "https://www.tiktok.com/@u%2F..%2F/video/1",  // encoded
           "https://www.tiktok.com/@abcdefghijklmnopqrstuvwxy/video/1",  // 25
       }) {
    auto parsed = ParseVideoUrl(url);
    EXPECT_THAT(parsed, StatusIs(absl::StatusCode::kInvalidArgument)) << url;
    EXPECT_EQ(FirstViolatedField(parsed.status()), "video_url") << url;
  }
  EXPECT_EQ(FirstViolatedField(ParseVideoUrl(std::string(3000, 'a')).status()),
            "video_url");
  EXPECT_THAT(
      ParseVideoUrl("https://vm.tiktok.com/x"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("short links")));
}

TEST(ParseOEmbedAnswerTest, ReadsAVideoAndMapsErrors) {
  auto v = ParseOEmbedAnswer(
      200,
      R"({"version":"1.0","type":"video","title":"t","author_name":"A",
          "author_url":"https://www.tiktok.com/@a","html":"<blockquote/>",
          "width":"100%","height":"100%","thumbnail_url":"https://x/t.jpg",
          "thumbnail_width":576,"thumbnail_height":1024,
          "provider_name":"TikTok","provider_url":"https://www.tiktok.com"})");
  ASSERT_THAT(v, IsOk());
  EXPECT_EQ(v->author_name, "A");
  EXPECT_EQ(v->thumbnail_height, 1024);
  EXPECT_EQ(v->html, "<blockquote/>");
  EXPECT_THAT(ParseOEmbedAnswer(200, "{}"),
              StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(ParseOEmbedAnswer(200, "not json"),
              StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(ParseOEmbedAnswer(200, R"({"type":"rich","html":"x"})"),
              StatusIs(absl::StatusCode::kUnavailable));
  auto bad = ParseOEmbedAnswer(400, R"({"status_msg":"bad url"})");
  EXPECT_THAT(bad, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(FirstViolatedField(bad.status()), "video_url");
  EXPECT_THAT(ParseOEmbedAnswer(404, ""),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(ParseOEmbedAnswer(403, ""),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(ParseOEmbedAnswer(429, ""),
              StatusIs(absl::StatusCode::kResourceExhausted));
  EXPECT_THAT(ParseOEmbedAnswer(418, ""),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(ParseOEmbedAnswer(503, ""),
              StatusIs(absl::StatusCode::kUnavailable));
}

class OEmbedSimTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto sim = tiktok_sim::TikTokSim::Start({});
    ASSERT_THAT(sim, IsOk());
    sim_ = std::move(*sim);
  }
  // The simulator is on loopback: allowed by name, as tests configure
  // TTADS_FETCH_PRIVATE_ALLOWLIST.
  fetch::FetchOptions Allowed() {
    fetch::FetchOptions o;
    const std::string root = sim_->root_url();  // http://127.0.0.1:<port>
    o.private_allowlist = {root.substr(root.find("//") + 2)};
    return o;
  }
  VideoUrl DemoPost(int n) {
    return *ParseVideoUrl(absl::StrCat(
        "https://www.tiktok.com/@", tiktok_sim::seed::kTikTokUserDemoName,
        "/video/", tiktok_sim::seed::DemoPostId(n)));
  }
  absl::Time Deadline() { return absl::Now() + absl::Seconds(10); }

  std::unique_ptr<tiktok_sim::TikTokSim> sim_;
};

TEST_F(OEmbedSimTest, FetchesAPublicPostsEmbed) {
  HttpOEmbedApi api(sim_->root_url() + "/oembed", Allowed());
  auto body = api.Fetch(DemoPost(3), Deadline());
  ASSERT_THAT(body, IsOk());
  auto video = ParseOEmbedAnswer(200, *body);
  ASSERT_THAT(video, IsOk());
  EXPECT_EQ(video->type, "video");
  EXPECT_THAT(video->html, HasSubstr(tiktok_sim::seed::DemoPostId(3)));
  EXPECT_EQ(video->provider_name, "TikTok");
}

TEST_F(OEmbedSimTest, UnknownPostIsNotFound) {
  HttpOEmbedApi api(sim_->root_url() + "/oembed", Allowed());
  auto url = ParseVideoUrl("https://www.tiktok.com/@ttads.demo/video/999");
  ASSERT_THAT(url, IsOk());
  EXPECT_THAT(api.Fetch(*url, Deadline()),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(OEmbedSimTest, LoopbackEndpointRefusedByTheProductionRules) {
  // Production options: no private targets. Nothing is sent.
  HttpOEmbedApi api(sim_->root_url() + "/oembed", fetch::FetchOptions{});
  auto body = api.Fetch(DemoPost(1), Deadline());
  EXPECT_THAT(body, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(sim_->stats().calls["/oembed"].total, 0);
}

TEST_F(OEmbedSimTest, UpstreamFailuresMap) {
  HttpOEmbedApi api(sim_->root_url() + "/oembed", Allowed());
  sim_->AddFault({.path_prefix = "/oembed",
                  .mode = tiktok_sim::FaultMode::kHttpStatus,
                  .http_status = 503,
                  .count = 1});
  EXPECT_THAT(api.Fetch(DemoPost(1), Deadline()),
              StatusIs(absl::StatusCode::kUnavailable));
  sim_->AddFault({.path_prefix = "/oembed",
                  .mode = tiktok_sim::FaultMode::kCode,
                  .code = 40100,
                  .count = 1});
  EXPECT_THAT(api.Fetch(DemoPost(1), Deadline()),
              StatusIs(absl::StatusCode::kResourceExhausted));
  EXPECT_THAT(api.Fetch(DemoPost(1), Deadline()), IsOk());
}

}  // namespace
}  // namespace ttads::tiktok_open
