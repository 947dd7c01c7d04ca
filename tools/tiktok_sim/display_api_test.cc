// The Display API's video list (display_api.h) over real HTTP: paging,
// per-page maximum, fields, scopes, token expiry and the error envelope.

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "libs/testing/status_matchers.h"
#include "tools/tiktok_sim/open_platform_test_util.h"

namespace ttads::tiktok_sim {
namespace {

using ::ttads::testing::IsOk;

TEST_F(SimOpenPlatformTest, ListWithoutVideoListScopeIsNotAuthorized) {
  // The user agreed to user.info.basic only.
  auto params = Consent("user.info.basic,video.list", "&grant=user.info.basic");
  EXPECT_EQ(params.find("scopes")->second, "user.info.basic");
  auto tokens = Exchange(params.find("code")->second);
  auto res = List(tokens.json["access_token"], {});
  EXPECT_EQ(res.http_status, 401);
  EXPECT_EQ(res.json["error"]["code"], "scope_not_authorized");
  EXPECT_FALSE(res.json["error"]["log_id"].get<std::string>().empty());
}

TEST_F(SimOpenPlatformTest, CursorPagesEveryPostOnceNewestFirst) {
  std::string token = UserToken();
  std::vector<std::string> ids;
  std::vector<int64_t> times;
  std::vector<bool> more;
  nlohmann::json body = {{"max_count", 20}};
  for (int page = 0; page < 5; ++page) {
    auto res = List(token, body);
    ASSERT_EQ(res.http_status, 200) << res.body;
    EXPECT_EQ(res.json["error"]["code"], "ok");
    for (const auto& v : res.data()["videos"]) {
      ids.push_back(v["id"]);
      times.push_back(v["create_time"]);
      EXPECT_FALSE(v.contains("share_url"));  // Only the fields asked for.
    }
    more.push_back(res.data()["has_more"]);
    if (!res.data()["has_more"]) break;
    body["cursor"] = res.data()["cursor"];
  }
  EXPECT_EQ(more, (std::vector<bool>{true, true, false}));
  ASSERT_EQ(ids.size(), static_cast<size_t>(seed::kDemoUserPosts));
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), ids.size());
  EXPECT_EQ(ids.front(), seed::DemoPostId(seed::kDemoUserPosts));
  EXPECT_EQ(ids.back(), seed::DemoPostId(1));
  EXPECT_TRUE(std::is_sorted(times.rbegin(), times.rend()));

  // Default page size is 10; a post published now comes first.
  auto post = sim_->PublishVideoPost(seed::kTikTokUserDemo, "Fresh");
  ASSERT_THAT(post, IsOk());
  auto first = List(token, nlohmann::json::object(), "id,title,share_url");
  ASSERT_EQ(first.data()["videos"].size(), 10u);
  EXPECT_EQ(first.data()["videos"][0]["id"], post->id);
  EXPECT_EQ(
      first.data()["videos"][0]["share_url"],
      absl::StrCat("https://www.tiktok.com/@ttads.demo/video/", post->id));
}

TEST_F(SimOpenPlatformTest, BadListRequestsAreInvalidParams) {
  std::string token = UserToken();
  for (const auto& body :
       {nlohmann::json{{"max_count", 21}}, nlohmann::json{{"max_count", 0}},
        nlohmann::json{{"max_count", "5"}}, nlohmann::json{{"cursor", -1}}}) {
    auto res = List(token, body);
    EXPECT_EQ(res.http_status, 400) << body;
    EXPECT_EQ(res.json["error"]["code"], "invalid_params") << body;
  }
  EXPECT_EQ(List(token, {}, "id,nope").json["error"]["code"], "invalid_params");
  EXPECT_EQ(List(token, {}, "").json["error"]["code"], "invalid_params");
  auto anonymous = List("", {});
  EXPECT_EQ(anonymous.http_status, 401);
  EXPECT_EQ(anonymous.json["error"]["code"], "access_token_invalid");
}

TEST_F(SimOpenPlatformTest, ExpiredAccessTokenIsInvalid) {
  sim_->WithState([](SimState& s) {
    s.open.access_token_ttl = std::chrono::seconds(0);
    return 0;
  });
  auto res = List(UserToken(), {});
  EXPECT_EQ(res.http_status, 401);
  EXPECT_EQ(res.json["error"]["code"], "access_token_invalid");
}

}  // namespace
}  // namespace ttads::tiktok_sim
