// The content domain with fakes: account access rules, ListVideoPosts
// paging over TikTok's 20-per-page maximum, and the watch hub (one poller
// per account, per-cycle limits, cursors that resume without repeating a
// post, failures).

#include <set>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/connections/fake_tiktok_account_store.h"
#include "libs/testing/status_matchers.h"
#include "libs/tiktok_open/fake_display_api.h"
#include "libs/tiktok_open/fake_login_api.h"
#include "services/content/post_watch.h"
#include "services/content/video_posts.h"

namespace ttads::content {
namespace {

using connections::TikTokAccount;
using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;

server::CallContext Caller(const std::string& member,
                           const std::string& role = "owner",
                           const std::string& team = "t1") {
  server::CallContext c;
  c.caller.team_id = team;
  c.caller.member_id = member;
  c.caller.role = role;
  c.deadline = absl::Now() + absl::Seconds(10);
  return c;
}

class ContentDomainTest : public ::testing::Test {
 protected:
  void SetUp() override {
    AddAccount("c1", "m1", {"user.info.basic", "video.list"}, "act.c1");
    AddAccount("c2", "m1", {"user.info.basic"}, "act.c2");
  }
  void AddAccount(const std::string& id, const std::string& member,
                  std::vector<std::string> scopes, const std::string& token) {
    TikTokAccount a;
    a.connection_id = id;
    a.team_id = "t1";
    a.member_id = member;
    a.scopes = std::move(scopes);
    ASSERT_THAT(
        store_.Create(a, {token, "rft." + id, absl::Now() + absl::Hours(20),
                          absl::Now() + absl::Hours(9000)}),
        IsOk());
  }
  // `n` posts one second apart, the newest at `last`.
  std::vector<tiktok_open::VideoPost> Publish(int n,
                                              int64_t last = 1767225600) {
    std::vector<tiktok_open::VideoPost> out;
    for (int i = n - 1; i >= 0; --i) {
      out.push_back(api_.Publish("act.c1", last - i));
    }
    return out;
  }

  connections::FakeTikTokAccountStore store_;
  connections::FakeRefreshLease lease_;
  tiktok_open::FakeLoginApi login_;
  tiktok_open::FakeDisplayApi api_;
  connections::AccountTokenSource tokens_{&store_, &lease_, &login_};
  AccountAccess access_{&store_, &tokens_};
  VideoPostLister lister_{&access_, &api_};
};

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

class Collector : public PostEventSink {
 public:
  void Deliver(const v1::VideoPostEvent& e) override { events.push_back(e); }
  void Fail(const absl::Status& s) override { failure = s; }
  std::vector<std::string> Ids() const {
    std::vector<std::string> out;
    for (const auto& e : events) out.push_back(e.post().post_id());
    return out;
  }
  std::vector<v1::VideoPostEvent> events;
  absl::Status failure;
};

class PostWatchTest : public ContentDomainTest {
 protected:
  PostWatchHub::TokenProvider Tokens() {
    return [this](const std::string& team, const std::string& conn,
                  absl::Time deadline) {
      return tokens_.AccessToken(team, conn, deadline);
    };
  }
  PostWatchHub hub_{&api_, Tokens(), {.manual = true}};
};

TEST_F(PostWatchTest, OnePollerPerAccountAndLimitPerCycle) {
  Publish(3);  // Before the watch: not delivered.
  Collector a, b, c;
  int ha = hub_.Add("t1", "c1", std::nullopt, 0, &a);
  int hb = hub_.Add("t1", "c1", std::nullopt, 0, &b);
  int hc = hub_.Add("t1", "c1", std::nullopt, 2, &c);
  EXPECT_EQ(hub_.pollers(), 1u);
  EXPECT_EQ(hub_.watchers(), 3u);
  auto posts = Publish(7, absl::ToUnixSeconds(absl::Now()) + 100);
  hub_.PollOnce("t1", "c1");
  EXPECT_EQ(a.events.size(), 5u);  // Ibexa's default 5 per cycle.
  EXPECT_EQ(c.events.size(), 2u);
  hub_.PollOnce("t1", "c1");
  EXPECT_EQ(a.events.size(), 7u);
  EXPECT_EQ(b.Ids(), a.Ids());
  std::vector<std::string> want;
  for (const auto& p : posts) want.push_back(p.id);  // Oldest first.
  EXPECT_EQ(a.Ids(), want);
  hub_.PollOnce("t1", "c1");
  EXPECT_EQ(a.events.size(), 7u);  // Nothing new: nothing repeated.
  EXPECT_EQ(c.events.size(), 6u);
  hub_.Remove("t1", "c1", ha);
  hub_.Remove("t1", "c1", hb);
  EXPECT_EQ(hub_.pollers(), 1u);
  hub_.Remove("t1", "c1", hc);
  EXPECT_EQ(hub_.pollers(), 0u);
}

TEST_F(PostWatchTest, ResumingWithACursorNeverRepeatsAPost) {
  Collector first;
  int h = hub_.Add("t1", "c1", std::nullopt, 0, &first);
  auto posts = Publish(4, absl::ToUnixSeconds(absl::Now()) + 100);
  hub_.PollOnce("t1", "c1");
  ASSERT_EQ(first.events.size(), 4u);
  hub_.Remove("t1", "c1", h);
  // The caller handled two events, then its stream broke.
  auto mark = DecodeWatchCursor(first.events[1].cursor());
  ASSERT_THAT(mark, IsOk());
  Collector resumed;
  hub_.Add("t1", "c1", *mark, 0, &resumed);
  auto later = Publish(1, absl::ToUnixSeconds(absl::Now()) + 200);
  hub_.PollOnce("t1", "c1");
  EXPECT_EQ(resumed.Ids(),
            (std::vector<std::string>{posts[2].id, posts[3].id, later[0].id}));
  hub_.PollOnce("t1", "c1");
  EXPECT_EQ(resumed.events.size(), 3u);
}

TEST_F(PostWatchTest, CursorsMustBeOurs) {
  EXPECT_THAT(DecodeWatchCursor("nope"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  PostMark m{1767225600, "7300000000000000001"};
  auto back = DecodeWatchCursor(EncodeWatchCursor(m));
  ASSERT_THAT(back, IsOk());
  EXPECT_EQ(back->create_time, m.create_time);
  EXPECT_EQ(back->post_id, m.post_id);
}

TEST_F(PostWatchTest, TerminalErrorsFailTheWatchersTransientOnesDoNot) {
  Collector w;
  hub_.Add("t1", "c1", std::nullopt, 0, &w);
  api_.error = absl::UnavailableError("TikTok is down");
  hub_.PollOnce("t1", "c1");
  EXPECT_THAT(w.failure, IsOk());
  api_.error = absl::PermissionDeniedError("scope_not_authorized");
  hub_.PollOnce("t1", "c1");
  EXPECT_THAT(w.failure, StatusIs(absl::StatusCode::kPermissionDenied));
}

}  // namespace
}  // namespace ttads::content
