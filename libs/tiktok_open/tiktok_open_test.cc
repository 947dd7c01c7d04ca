// The Login Kit and Display API clients against the simulator (real HTTP):
// code exchange, refresh, revoke, paging, and the error mapping.

#include <set>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/http/query.h"
#include "libs/http/test_client.h"
#include "libs/testing/status_matchers.h"
#include "libs/tiktok_open/display_api.h"
#include "libs/tiktok_open/login_api.h"
#include "tools/tiktok_sim/seed.h"
#include "tools/tiktok_sim/sim.h"

namespace ttads::tiktok_open {
namespace {

using ::testing::SizeIs;
using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;

constexpr char kRedirect[] = "https://app.example/cb";

class TikTokOpenTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto sim = tiktok_sim::TikTokSim::Start({});
    ASSERT_THAT(sim, IsOk());
    sim_ = std::move(*sim);
    login_ = std::make_unique<HttpLoginApi>(LoginApiOptions{
        sim_->root_url(), "ttads-local-app", "local-sim-secret"});
    display_ = std::make_unique<HttpDisplayApi>(sim_->root_url());
  }

  std::string Code(const std::string& scope) {
    http::TestClient client;
    auto res = client.Get(
        sim_->root_url() +
        "/v2/auth/authorize/?client_key=ttads-local-app&response_type=code"
        "&scope=" +
        scope + "&redirect_uri=" + http::PercentEncode(kRedirect));
    std::string_view path, query;
    http::SplitTarget(res.Header("location"), &path, &query);
    auto params = http::ParseQuery(query);
    auto it = params.find("code");
    return it == params.end() ? "" : it->second;
  }

  absl::Time Deadline() { return absl::Now() + absl::Seconds(10); }

  std::unique_ptr<tiktok_sim::TikTokSim> sim_;
  std::unique_ptr<HttpLoginApi> login_;
  std::unique_ptr<HttpDisplayApi> display_;
};

TEST_F(TikTokOpenTest, ExchangeRefreshRevoke) {
  auto tokens = login_->ExchangeCode(Code("user.info.basic,video.list"),
                                     kRedirect, Deadline());
  ASSERT_THAT(tokens, IsOk());
  EXPECT_EQ(tokens->open_id, tiktok_sim::seed::kTikTokUserDemo);
  EXPECT_EQ(tokens->scopes,
            (std::vector<std::string>{"user.info.basic", "video.list"}));
  EXPECT_GT(tokens->access_expire_time, absl::Now() + absl::Hours(23));
  EXPECT_GT(tokens->refresh_expire_time, absl::Now() + absl::Hours(24 * 364));

  auto refreshed = login_->Refresh(tokens->refresh_token, Deadline());
  ASSERT_THAT(refreshed, IsOk());
  EXPECT_NE(refreshed->access_token, tokens->access_token);
  // The spent refresh token is TikTok's invalid_grant.
  auto again = login_->Refresh(tokens->refresh_token, Deadline());
  EXPECT_THAT(again, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(ErrorReason(again.status()), kGrantInvalid);

  EXPECT_THAT(login_->Revoke(refreshed->access_token, Deadline()), IsOk());
  auto list = display_->ListVideos(refreshed->access_token, 0, 5, Deadline());
  EXPECT_THAT(list, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(ErrorReason(list.status()), kTokenInvalid);
}

TEST_F(TikTokOpenTest, WrongSecretIsClientInvalid) {
  HttpLoginApi wrong(
      LoginApiOptions{sim_->root_url(), "ttads-local-app", "not-the-secret"});
  auto res = wrong.ExchangeCode(Code("video.list"), kRedirect, Deadline());
  EXPECT_THAT(res, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(ErrorReason(res.status()), kClientInvalid);
}

TEST_F(TikTokOpenTest, ListVideosPagesToTheEnd) {
  std::string token = sim_->IssueUserAccessToken(
      tiktok_sim::seed::kTikTokUserDemo, {"video.list"});
  std::set<std::string> ids;
  int64_t cursor = 0;
  int pages = 0;
  for (bool more = true; more; ++pages) {
    auto page =
        display_->ListVideos(token, cursor, kMaxVideosPerPage, Deadline());
    ASSERT_THAT(page, IsOk());
    for (const auto& v : page->videos) {
      EXPECT_TRUE(ids.insert(v.id).second) << v.id;
      EXPECT_FALSE(v.share_url.empty());
      EXPECT_GT(v.create_time, 0);
    }
    cursor = page->cursor;
    more = page->has_more;
  }
  EXPECT_EQ(pages, 3);
  EXPECT_THAT(ids, SizeIs(tiktok_sim::seed::kDemoUserPosts));
}

TEST_F(TikTokOpenTest, ListVideosErrors) {
  std::string no_scope = sim_->IssueUserAccessToken(
      tiktok_sim::seed::kTikTokUserDemo, {"user.info.basic"});
  auto denied = display_->ListVideos(no_scope, 0, 5, Deadline());
  EXPECT_THAT(denied, StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_EQ(ErrorReason(denied.status()), kScopeMissing);

  std::string token = sim_->IssueUserAccessToken(
      tiktok_sim::seed::kTikTokUserDemo, {"video.list"});
  sim_->AddFault({.path_prefix = "/v2/video/list/",
                  .mode = tiktok_sim::FaultMode::kCode,
                  .code = tiktok_sim::kRateLimited,
                  .count = 1});
  EXPECT_THAT(display_->ListVideos(token, 0, 5, Deadline()),
              StatusIs(absl::StatusCode::kResourceExhausted));
  sim_->AddFault({.path_prefix = "/v2/video/list/",
                  .mode = tiktok_sim::FaultMode::kDrop,
                  .count = 1});
  EXPECT_THAT(display_->ListVideos(token, 0, 5, Deadline()),
              StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(display_->ListVideos(token, 0, 5, Deadline()), IsOk());
}

TEST(ParseVideoListAnswerTest, MalformedAnswersAreUnavailable) {
  EXPECT_THAT(ParseVideoListAnswer(200, "not json"),
              StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(ParseVideoListAnswer(502, "<html>"),
              StatusIs(absl::StatusCode::kUnavailable));
  auto empty = ParseVideoListAnswer(
      200, R"({"data":{"videos":[],"cursor":0,"has_more":false},)"
           R"("error":{"code":"ok","message":"","log_id":"x"}})");
  ASSERT_THAT(empty, IsOk());
  EXPECT_TRUE(empty->videos.empty());
}

TEST(ParseTokenAnswerTest, MissingFieldsAreUnavailable) {
  EXPECT_THAT(ParseTokenAnswer("{}", absl::Now()),
              StatusIs(absl::StatusCode::kUnavailable));
}

}  // namespace
}  // namespace ttads::tiktok_open
