#ifndef TTADS_SERVICES_CONTENT_CONTENT_DOMAIN_FIXTURE_H_
#define TTADS_SERVICES_CONTENT_CONTENT_DOMAIN_FIXTURE_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/connections/fake_refresh_lease.h"
#include "libs/connections/fake_tiktok_account_store.h"
#include "libs/server/call_context.h"
#include "libs/server/test_call_context.h"
#include "libs/testing/status_matchers.h"
#include "libs/tiktok_open/fake_display_api.h"
#include "libs/tiktok_open/fake_login_api.h"
#include "services/content/account_access.h"
#include "services/content/video_posts.h"

// The content domain's unit-test environment, shared by video_posts_test.cc
// and post_watch_test.cc: team t1 with two TikTok account connections in a
// FakeTikTokAccountStore (c1 may list videos, c2 lacks video.list), their
// tokens through the real AccountTokenSource, FakeDisplayApi for TikTok's
// posts, and callers of any member, role and team. No I/O.
namespace ttads::content {

// A caller of `team` (t1 unless said) with a 10 s deadline.
using ::ttads::server::testing::Caller;

// c1 (member m1, scopes user.info.basic and video.list, token act.c1) and c2
// (member m1, user.info.basic only).
class ContentDomainTest : public ::testing::Test {
 protected:
  void SetUp() override {
    AddAccount("c1", "m1", {"user.info.basic", "video.list"}, "act.c1");
    AddAccount("c2", "m1", {"user.info.basic"}, "act.c2");
  }
  void AddAccount(const std::string& id, const std::string& member,
                  std::vector<std::string> scopes, const std::string& token) {
    connections::TikTokAccount a;
    a.connection_id = id;
    a.team_id = "t1";
    a.member_id = member;
    a.scopes = std::move(scopes);
    ASSERT_THAT(
        store_.Create(a, {token, "rft." + id, absl::Now() + absl::Hours(20),
                          absl::Now() + absl::Hours(9000)}),
        testing::IsOk());
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

}  // namespace ttads::content

#endif  // TTADS_SERVICES_CONTENT_CONTENT_DOMAIN_FIXTURE_H_
