// oEmbed (oembed.h) over real HTTP: a public post's embed JSON, and the
// refusals of URLs that are not a known post's page.

#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "libs/http/query.h"
#include "tools/tiktok_sim/open_platform_test_util.h"

namespace ttads::tiktok_sim {
namespace {

using ::testing::HasSubstr;

TEST_F(SimOpenPlatformTest, OEmbedAnswersForPublicPostUrlsOnly) {
  std::string url = absl::StrCat("https://www.tiktok.com/@ttads.demo/video/",
                                 seed::DemoPostId(3));
  auto res = Parse(client_.Get(sim_->root_url() +
                               "/oembed?url=" + http::PercentEncode(url)));
  ASSERT_EQ(res.http_status, 200) << res.body;
  EXPECT_EQ(res.json["type"], "video");
  EXPECT_EQ(res.json["title"], "Demo post #3");
  EXPECT_EQ(res.json["author_name"], "ttads Demo Creator");
  EXPECT_EQ(res.json["provider_name"], "TikTok");
  EXPECT_THAT(res.json["html"].get<std::string>(), HasSubstr(url));
  EXPECT_FALSE(res.json["thumbnail_url"].get<std::string>().empty());

  auto not_video = Parse(
      client_.Get(sim_->root_url() + "/oembed?url=" +
                  http::PercentEncode("https://www.tiktok.com/@ttads.demo")));
  EXPECT_EQ(not_video.http_status, 400);
  auto unknown = Parse(client_.Get(
      sim_->root_url() + "/oembed?url=" +
      http::PercentEncode(
          "https://www.tiktok.com/@ttads.demo/video/7399999999999999999")));
  EXPECT_EQ(unknown.http_status, 404);
}

}  // namespace
}  // namespace ttads::tiktok_sim
