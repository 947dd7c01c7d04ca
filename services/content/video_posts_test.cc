// VideoPostLister with fakes: every post listed once, newest first, in
// pages of the asked size filled from TikTok's 20-per-page maximum; bad
// input and AccountAccess's rules refused before TikTok is asked.

#include "services/content/video_posts.h"

#include <set>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/testing/status_matchers.h"
#include "services/content/content_domain_fixture.h"

namespace ttads::content {
namespace {

using connections::TikTokAccount;
using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;

TEST_F(ContentDomainTest, ListPagesEveryPostOnceNewestFirst) {
  Publish(45);
  std::vector<std::string> ids;
  std::string token;
  int pages = 0;
  do {
    auto page = lister_.List(Caller("m1"), "c1", 0, token);
    ASSERT_THAT(page, IsOk());
    EXPECT_LE(page->posts.size(), 10u);  // Ibexa's default limit.
    for (const auto& p : page->posts) ids.push_back(p.id);
    token = page->next_page_token;
    ++pages;
  } while (!token.empty());
  EXPECT_EQ(pages, 5);
  EXPECT_EQ(ids.size(), 45u);
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), 45u);
}

TEST_F(ContentDomainTest, LargePagesAreFilledFromSeveralTikTokPages) {
  Publish(45);
  auto page = lister_.List(Caller("m1"), "c1", 30, "");
  ASSERT_THAT(page, IsOk());
  EXPECT_EQ(page->posts.size(), 30u);
  EXPECT_EQ(api_.calls(), 2);  // 20 + 10: TikTok's maximum is 20.
  auto rest = lister_.List(Caller("m1"), "c1", 500, page->next_page_token);
  ASSERT_THAT(rest, IsOk());
  EXPECT_EQ(rest->posts.size(), 15u);
  EXPECT_TRUE(rest->next_page_token.empty());
  EXPECT_LT(rest->posts.front().create_time, page->posts.back().create_time);
}

TEST_F(ContentDomainTest, BadInputAndAccessRules) {
  EXPECT_THAT(lister_.List(Caller("m1"), "c1", -1, ""),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(lister_.List(Caller("m1"), "c1", 0, "bogus"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(lister_.List(Caller("m1"), "", 0, ""),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(lister_.List(Caller("m1", "owner", "t2"), "c1", 0, ""),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(lister_.List(Caller("m2", "mediabuyer"), "c1", 0, ""),
              StatusIs(absl::StatusCode::kPermissionDenied));
  // c2 lacks video.list: refused before TikTok is asked.
  EXPECT_THAT(lister_.List(Caller("m1"), "c2", 0, ""),
              StatusIs(absl::StatusCode::kPermissionDenied));
  ASSERT_THAT(store_.SetState("t1", "c1", TikTokAccount::State::kNeedsReconsent,
                              absl::Now()),
              IsOk());
  EXPECT_THAT(lister_.List(Caller("m1"), "c1", 0, ""),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(api_.calls(), 0);
}

}  // namespace
}  // namespace ttads::content
