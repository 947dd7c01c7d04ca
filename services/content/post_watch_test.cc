// PostWatchHub with fakes: one poller per account however many watchers,
// the per-cycle limit, cursors that resume without repeating a post and
// that must be ours, and which upstream errors fail the watchers.

#include "services/content/post_watch.h"

#include <optional>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/testing/status_matchers.h"
#include "services/content/content_domain_fixture.h"

namespace ttads::content {
namespace {

using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;

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
