// TikTokAccounts with fakes: the authorization URL and state, the code
// exchange with scopes recorded, single-use and member-bound states,
// listing by role, revocation.

#include "services/identity/tiktok_accounts.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/connections/fake_tiktok_account_store.h"
#include "libs/http/query.h"
#include "libs/server/test_call_context.h"
#include "libs/status/status_macros.h"
#include "libs/testing/status_matchers.h"
#include "libs/tiktok_open/fake_login_api.h"
#include "services/identity/fake_oauth_state_store.h"

namespace ttads::identity {
namespace {

using connections::TikTokAccount;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;
using ::ttads::server::testing::Caller;
using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;

class TikTokAccountsTest : public ::testing::Test {
 protected:
  TikTokAccountsTest()
      : accounts_(&states_, &store_, &login_,
                  {.authorize_url = "https://www.tiktok.com/v2/auth/authorize/",
                   .client_key = "ck",
                   .default_redirect_uri = "https://app.example/cb"}) {}

  // Starts and completes a connection for `member`.
  absl::StatusOr<TikTokAccount> Connect(const std::string& member,
                                        const std::string& role = "owner") {
    TTADS_ASSIGN_OR_RETURN(auto started,
                           accounts_.Start(Caller(member, role), "", {}));
    login_.AddCode("code-" + member, "https://app.example/cb",
                   {"user.info.basic", "video.list"});
    return accounts_.Complete(Caller(member, role), started.state,
                              "code-" + member);
  }

  FakeOAuthStateStore states_;
  connections::FakeTikTokAccountStore store_;
  tiktok_open::FakeLoginApi login_;
  TikTokAccounts accounts_;
};

TEST_F(TikTokAccountsTest, StartBuildsTheLoginKitAuthorizationUrl) {
  auto started = accounts_.Start(Caller("m1"), "https://x.example/cb",
                                 {"video.list", "share.sound.create"});
  ASSERT_THAT(started, IsOk());
  EXPECT_THAT(started->authorization_url,
              StartsWith("https://www.tiktok.com/v2/auth/authorize/?"));
  std::string_view path, query;
  http::SplitTarget(started->authorization_url, &path, &query);
  auto q = http::ParseQuery(query);
  EXPECT_EQ(q.find("client_key")->second, "ck");
  EXPECT_EQ(q.find("response_type")->second, "code");
  EXPECT_EQ(q.find("scope")->second, "video.list,share.sound.create");
  EXPECT_EQ(q.find("redirect_uri")->second, "https://x.example/cb");
  EXPECT_EQ(q.find("state")->second, started->state);
  EXPECT_GE(started->state.size(), 40u);
}

TEST_F(TikTokAccountsTest, StartRefusesBadScopesAndRedirects) {
  auto res = accounts_.Start(Caller("m1"), "ftp://x", {"video.list", "nope"});
  EXPECT_THAT(res, StatusIs(absl::StatusCode::kInvalidArgument,
                            HasSubstr("bad TikTok account")));
  TikTokAccounts no_default(&states_, &store_, &login_, {.client_key = "ck"});
  EXPECT_THAT(no_default.Start(Caller("m1"), "", {}),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(TikTokAccountsTest, CompleteRecordsScopesAndTokens) {
  auto account = Connect("m1");
  ASSERT_THAT(account, IsOk());
  EXPECT_EQ(account->open_id, "open-1");
  EXPECT_THAT(account->scopes, ElementsAre("user.info.basic", "video.list"));
  EXPECT_EQ(account->state, TikTokAccount::State::kActive);
  auto tokens = store_.Tokens("t1", account->connection_id);
  ASSERT_THAT(tokens, IsOk());
  EXPECT_THAT(tokens->access_token, StartsWith("act."));
  EXPECT_THAT(tokens->refresh_token, StartsWith("rft."));
}

TEST_F(TikTokAccountsTest, StateIsSingleUseAndBoundToTheMember) {
  auto started = accounts_.Start(Caller("m1"), "", {});
  ASSERT_THAT(started, IsOk());
  login_.AddCode("c", "https://app.example/cb", {"video.list"});
  // Another member cannot use it (and it is spent).
  EXPECT_THAT(accounts_.Complete(Caller("m2"), started->state, "c"),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(accounts_.Complete(Caller("m1"), started->state, "c"),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(accounts_.Complete(Caller("m1"), "", ""),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_TRUE(store_.List("t1")->empty());
}

TEST_F(TikTokAccountsTest, RefusedCodeStoresNothing) {
  auto started = accounts_.Start(Caller("m1"), "", {});
  ASSERT_THAT(started, IsOk());
  auto res = accounts_.Complete(Caller("m1"), started->state, "unknown-code");
  EXPECT_THAT(res, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(tiktok_open::ErrorReason(res.status()), tiktok_open::kGrantInvalid);
  EXPECT_TRUE(store_.List("t1")->empty());
}

TEST_F(TikTokAccountsTest, MediabuyersSeeAndRevokeTheirOwnOnly) {
  auto owners = Connect("owner1");
  auto buyers = Connect("buyer1", "mediabuyer");
  ASSERT_THAT(owners, IsOk());
  ASSERT_THAT(buyers, IsOk());
  EXPECT_EQ(accounts_.List(Caller("owner1"))->size(), 2u);
  auto mine = accounts_.List(Caller("buyer1", "mediabuyer"));
  ASSERT_THAT(mine, IsOk());
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ((*mine)[0].member_id, "buyer1");
  EXPECT_THAT(
      accounts_.Revoke(Caller("buyer1", "mediabuyer"), owners->connection_id),
      StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(
      accounts_.Revoke(Caller("x", "owner", "t2"), owners->connection_id),
      StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(TikTokAccountsTest, RevokeAtTikTokThenLocally) {
  auto account = Connect("m1");
  ASSERT_THAT(account, IsOk());
  std::string access =
      store_.Tokens("t1", account->connection_id)->access_token;
  // TikTok unreachable: nothing changes.
  login_.revoke_error = absl::UnavailableError("down");
  EXPECT_THAT(accounts_.Revoke(Caller("m1"), account->connection_id),
              StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_EQ(store_.Get("t1", account->connection_id)->state,
            TikTokAccount::State::kActive);
  login_.revoke_error = absl::OkStatus();
  auto revoked = accounts_.Revoke(Caller("m1"), account->connection_id);
  ASSERT_THAT(revoked, IsOk());
  EXPECT_EQ(revoked->state, TikTokAccount::State::kRevoked);
  EXPECT_TRUE(login_.revoked(access));
  EXPECT_THAT(store_.Tokens("t1", account->connection_id),
              StatusIs(absl::StatusCode::kNotFound));
  // Again: the revoked connection, no error.
  EXPECT_THAT(accounts_.Revoke(Caller("m1"), account->connection_id), IsOk());
}

}  // namespace
}  // namespace ttads::identity
