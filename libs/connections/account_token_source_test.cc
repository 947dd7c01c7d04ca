// AccountTokenSource with fakes: refresh before expiry, one refresher among
// concurrent callers (the lease), re-consent on a dead grant, transient
// failures.

#include "libs/connections/account_token_source.h"

#include <atomic>
#include <thread>

#include "absl/synchronization/notification.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/connections/fake_refresh_lease.h"
#include "libs/connections/fake_tiktok_account_store.h"
#include "libs/testing/status_matchers.h"
#include "libs/tiktok_open/fake_login_api.h"

namespace ttads::connections {
namespace {

using ::ttads::testing::IsOk;
using ::ttads::testing::IsOkAndHolds;
using ::ttads::testing::StatusIs;

class AccountTokenSourceTest : public ::testing::Test {
 protected:
  // An account whose access token expires in `left`.
  void Seed(absl::Duration left) {
    TikTokAccount a;
    a.connection_id = "c1";
    a.team_id = "t1";
    a.member_id = "m1";
    a.open_id = "open-1";
    a.scopes = {"video.list"};
    AccountTokens t{"act.old", "rft.old", absl::Now() + left,
                    absl::Now() + absl::Hours(24 * 300)};
    login_.AcceptRefreshToken("rft.old");
    ASSERT_THAT(store_.Create(a, t), IsOk());
  }
  absl::Time Deadline() { return absl::Now() + absl::Seconds(10); }

  FakeTikTokAccountStore store_;
  FakeRefreshLease lease_;
  tiktok_open::FakeLoginApi login_;
  // Two replicas: separate sources over the shared store and lease.
  AccountTokenSource replica_a_{&store_, &lease_, &login_};
  AccountTokenSource replica_b_{&store_, &lease_, &login_};
};

TEST_F(AccountTokenSourceTest, FreshTokenIsUsedAsIs) {
  Seed(absl::Hours(5));
  EXPECT_THAT(replica_a_.AccessToken("t1", "c1", Deadline()),
              IsOkAndHolds("act.old"));
  EXPECT_EQ(login_.refresh_calls(), 0);
}

TEST_F(AccountTokenSourceTest, TokenNearExpiryIsRefreshedAndStored) {
  Seed(absl::Minutes(5));  // Inside the 10-minute margin.
  auto token = replica_a_.AccessToken("t1", "c1", Deadline());
  ASSERT_THAT(token, IsOk());
  EXPECT_NE(*token, "act.old");
  EXPECT_EQ(login_.refresh_calls(), 1);
  auto stored = store_.Tokens("t1", "c1");
  ASSERT_THAT(stored, IsOk());
  EXPECT_EQ(stored->access_token, *token);
  EXPECT_NE(stored->refresh_token, "rft.old");  // The rotated one.
  // Now fresh: no second refresh.
  EXPECT_THAT(replica_b_.AccessToken("t1", "c1", Deadline()),
              IsOkAndHolds(*token));
  EXPECT_EQ(login_.refresh_calls(), 1);
}

TEST_F(AccountTokenSourceTest, TwoReplicasAtOnceRefreshOnceWhileValid) {
  Seed(absl::Minutes(5));
  std::atomic<bool> a_in_refresh{false};
  absl::Notification release_a;
  // Replica A's refresh is held in flight while replica B asks.
  login_.before_refresh = [&] {
    a_in_refresh = true;
    release_a.WaitForNotification();
  };
  absl::StatusOr<std::string> a_token;
  std::thread a(
      [&] { a_token = replica_a_.AccessToken("t1", "c1", Deadline()); });
  while (!a_in_refresh) absl::SleepFor(absl::Milliseconds(1));
  // B finds the lease taken and uses the still-valid token.
  EXPECT_THAT(replica_b_.AccessToken("t1", "c1", Deadline()),
              IsOkAndHolds("act.old"));
  EXPECT_EQ(lease_.refused(), 1);
  release_a.Notify();
  a.join();
  ASSERT_THAT(a_token, IsOk());
  EXPECT_NE(*a_token, "act.old");
  EXPECT_EQ(login_.refresh_calls(), 1);
}

TEST_F(AccountTokenSourceTest, ExpiredTokenWaitsForTheOtherRefresher) {
  Seed(-absl::Minutes(1));  // Already expired: B must wait for A's result.
  std::atomic<bool> a_in_refresh{false};
  absl::Notification release_a;
  login_.before_refresh = [&] {
    a_in_refresh = true;
    release_a.WaitForNotification();
  };
  absl::StatusOr<std::string> a_token, b_token;
  std::thread a(
      [&] { a_token = replica_a_.AccessToken("t1", "c1", Deadline()); });
  while (!a_in_refresh) absl::SleepFor(absl::Milliseconds(1));
  std::thread b(
      [&] { b_token = replica_b_.AccessToken("t1", "c1", Deadline()); });
  while (lease_.refused() == 0) absl::SleepFor(absl::Milliseconds(1));
  release_a.Notify();
  a.join();
  b.join();
  ASSERT_THAT(a_token, IsOk());
  EXPECT_THAT(b_token, IsOkAndHolds(*a_token));
  EXPECT_EQ(login_.refresh_calls(), 1);
}

TEST_F(AccountTokenSourceTest, DeadGrantMarksTheConnectionForReconsent) {
  Seed(absl::Minutes(5));
  login_.refresh_error =
      status::WithErrorInfo(absl::FailedPreconditionError("invalid_grant"),
                            tiktok_open::kGrantInvalid);
  EXPECT_THAT(replica_a_.AccessToken("t1", "c1", Deadline()),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  auto account = store_.Get("t1", "c1");
  ASSERT_THAT(account, IsOk());
  EXPECT_EQ(account->state, TikTokAccount::State::kNeedsReconsent);
  // Later calls do not try TikTok again.
  EXPECT_THAT(replica_b_.AccessToken("t1", "c1", Deadline()),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(login_.refresh_calls(), 1);
}

TEST_F(AccountTokenSourceTest, TransientFailureKeepsAValidToken) {
  Seed(absl::Minutes(5));
  login_.refresh_error = absl::UnavailableError("TikTok is down");
  EXPECT_THAT(replica_a_.AccessToken("t1", "c1", Deadline()),
              IsOkAndHolds("act.old"));
  EXPECT_EQ(store_.Get("t1", "c1")->state, TikTokAccount::State::kActive);
}

TEST_F(AccountTokenSourceTest, TransientFailureWithAnExpiredTokenIsAnError) {
  Seed(-absl::Minutes(1));
  login_.refresh_error = absl::UnavailableError("TikTok is down");
  EXPECT_THAT(replica_a_.AccessToken("t1", "c1", Deadline()),
              StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_EQ(store_.Get("t1", "c1")->state, TikTokAccount::State::kActive);
}

// RefreshIfDue: the background refresher's path through the same lease.
using Outcome = AccountTokenSource::RefreshOutcome;

TEST_F(AccountTokenSourceTest, RefreshIfDueRefreshesWithinItsMarginOnly) {
  Seed(absl::Minutes(50));  // Beyond the on-use margin, inside an hour.
  EXPECT_THAT(
      replica_a_.RefreshIfDue("t1", "c1", absl::Minutes(30), Deadline()),
      IsOkAndHolds(Outcome::kNotDue));
  EXPECT_EQ(login_.refresh_calls(), 0);
  EXPECT_THAT(replica_a_.RefreshIfDue("t1", "c1", absl::Hours(1), Deadline()),
              IsOkAndHolds(Outcome::kRefreshed));
  EXPECT_EQ(login_.refresh_calls(), 1);
  EXPECT_NE(store_.Tokens("t1", "c1")->access_token, "act.old");
  // Done once: a second background pass finds nothing to do.
  EXPECT_THAT(replica_b_.RefreshIfDue("t1", "c1", absl::Hours(1), Deadline()),
              IsOkAndHolds(Outcome::kNotDue));
  EXPECT_EQ(login_.refresh_calls(), 1);
}

TEST_F(AccountTokenSourceTest, RefreshIfDueDoesNotWaitForTheLeaseHolder) {
  Seed(absl::Minutes(5));
  std::atomic<bool> a_in_refresh{false};
  absl::Notification release_a;
  login_.before_refresh = [&] {
    a_in_refresh = true;
    release_a.WaitForNotification();
  };
  absl::StatusOr<std::string> a_token;
  std::thread a(
      [&] { a_token = replica_a_.AccessToken("t1", "c1", Deadline()); });
  while (!a_in_refresh) absl::SleepFor(absl::Milliseconds(1));
  EXPECT_THAT(replica_b_.RefreshIfDue("t1", "c1", absl::Hours(1), Deadline()),
              IsOkAndHolds(Outcome::kBusy));
  release_a.Notify();
  a.join();
  EXPECT_THAT(a_token, IsOk());
  EXPECT_EQ(login_.refresh_calls(), 1);
}

TEST_F(AccountTokenSourceTest, RefreshIfDueMarksADeadGrantAndSkipsInactive) {
  Seed(absl::Minutes(5));
  login_.refresh_error =
      status::WithErrorInfo(absl::FailedPreconditionError("invalid_grant"),
                            tiktok_open::kGrantInvalid);
  EXPECT_THAT(replica_a_.RefreshIfDue("t1", "c1", absl::Hours(1), Deadline()),
              IsOkAndHolds(Outcome::kNeedsReconsent));
  EXPECT_EQ(store_.Get("t1", "c1")->state,
            TikTokAccount::State::kNeedsReconsent);
  EXPECT_THAT(replica_a_.RefreshIfDue("t1", "c1", absl::Hours(1), Deadline()),
              IsOkAndHolds(Outcome::kInactive));
  EXPECT_EQ(login_.refresh_calls(), 1);
}

TEST_F(AccountTokenSourceTest, RefreshIfDueReturnsATransientFailure) {
  Seed(absl::Minutes(5));
  login_.refresh_error = absl::UnavailableError("TikTok is down");
  EXPECT_THAT(replica_a_.RefreshIfDue("t1", "c1", absl::Hours(1), Deadline()),
              StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_EQ(store_.Get("t1", "c1")->state, TikTokAccount::State::kActive);
  EXPECT_EQ(store_.Tokens("t1", "c1")->access_token, "act.old");
  // The lease was given back: the next try reaches TikTok again.
  login_.refresh_error = absl::OkStatus();
  EXPECT_THAT(replica_b_.RefreshIfDue("t1", "c1", absl::Hours(1), Deadline()),
              IsOkAndHolds(Outcome::kRefreshed));
}

TEST_F(AccountTokenSourceTest, OtherTeamIsNotFound) {
  Seed(absl::Hours(5));
  EXPECT_THAT(replica_a_.AccessToken("t2", "c1", Deadline()),
              StatusIs(absl::StatusCode::kNotFound));
}

}  // namespace
}  // namespace ttads::connections
