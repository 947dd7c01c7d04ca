#include "services/identity/connection_manager.h"

#include "absl/strings/match.h"
#include "libs/status/status_macros.h"
#include "libs/testing/field_violations.h"
#include "services/identity/identity_domain_fixture.h"

namespace ttads::identity {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::SizeIs;
using ::ttads::testing::FirstViolatedField;
using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;

class ConnectionManagerTest : public IdentityDomainTest {
 protected:
  void SetUp() override {
    IdentityDomainTest::SetUp();
    manager_obj_ = std::make_unique<ConnectionManager>(
        redis_, connections_.get(), &tiktok_,
        ConnectionManagerOptions{
            .consent_base_url = "https://tiktok.test/portal/auth",
            .app_id = "app 1",
            .default_redirect_uri = "https://app.example.com/cb"});
  }

  absl::StatusOr<connections::Connection> Complete(
      const server::CallContext& call, const std::string& auth_code) {
    TTADS_ASSIGN_OR_RETURN(auto started, manager_obj_->Start(call, ""));
    return manager_obj_->Complete(call, started.state, auth_code);
  }

  std::vector<connections::Connection> Stored(const server::CallContext& c) {
    auto list = connections_->List(c.caller.team_id);
    EXPECT_THAT(list, IsOk());
    return list.ok() ? *list : std::vector<connections::Connection>{};
  }

  std::unique_ptr<ConnectionManager> manager_obj_;
};

TEST_F(ConnectionManagerTest, ConsentUrlCarriesAppStateAndRedirect) {
  auto started = manager_obj_->Start(owner_, "");
  ASSERT_THAT(started, IsOk());
  EXPECT_EQ(started->state.size(), 43u);
  EXPECT_TRUE(absl::StartsWith(
      started->consent_url, "https://tiktok.test/portal/auth?app_id=app%201"))
      << started->consent_url;
  EXPECT_THAT(started->consent_url, HasSubstr("state=" + started->state));
  EXPECT_THAT(started->consent_url,
              HasSubstr("redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb"));
  EXPECT_GT(started->expire_time, absl::Now() + absl::Minutes(9));

  auto bad = manager_obj_->Start(owner_, "javascript:alert(1)");
  EXPECT_THAT(bad, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(FirstViolatedField(bad), "redirect_uri");
}

TEST_F(ConnectionManagerTest, CompleteExchangesOnceAndStoresTheNamedGrant) {
  auto connection =
      Complete(owner_, tiktok_.MintAuthCode({kAdvertiser, kOtherAdvertiser}));
  ASSERT_THAT(connection, IsOk());
  EXPECT_TRUE(connection->active());
  EXPECT_EQ(connection->member_id, owner_.caller.member_id);
  ASSERT_THAT(connection->advertisers, SizeIs(2));
  EXPECT_EQ(connection->advertisers[0].advertiser_id, kAdvertiser);
  EXPECT_EQ(connection->advertisers[0].advertiser_name, "Acme Ads");
  EXPECT_THAT(connection->scopes, ElementsAre(1, 2, 4));
  EXPECT_EQ(tiktok_.Calls("ExchangeAuthCode"), 1);
  // The token is stored (encrypted) with the connection.
  auto token = connections_->AccessToken(owner_.caller.team_id,
                                         connection->connection_id);
  ASSERT_THAT(token, IsOk());
  EXPECT_TRUE(absl::StartsWith(*token, "act.fake-"));
  EXPECT_THAT(Stored(owner_), SizeIs(1));
}

// Advertiser names are a nicety: without them the grant is still stored.
TEST_F(ConnectionManagerTest, CompleteStoresTheGrantWhenNamesFail) {
  tiktok_.FailNext("GetAdvertisers", absl::UnavailableError("down"));
  auto connection = Complete(owner_, tiktok_.MintAuthCode({kAdvertiser}));
  ASSERT_THAT(connection, IsOk());
  EXPECT_EQ(connection->advertisers[0].advertiser_name, "");
}

TEST_F(ConnectionManagerTest, CompleteRequiresStateAndCode) {
  auto both = manager_obj_->Complete(owner_, "", "");
  EXPECT_THAT(both, StatusIs(absl::StatusCode::kInvalidArgument));
  google::rpc::BadRequest bad_request;
  ASSERT_TRUE(status::GetDetail(both.status(), &bad_request));
  ASSERT_EQ(bad_request.field_violations_size(), 2);
  EXPECT_EQ(bad_request.field_violations(0).field(), "state");
  EXPECT_EQ(bad_request.field_violations(1).field(), "auth_code");
  EXPECT_EQ(tiktok_.Calls("ExchangeAuthCode"), 0);
}

TEST_F(ConnectionManagerTest, UnknownUsedOrOthersStateIsRefusedBeforeTikTok) {
  const std::string code = tiktok_.MintAuthCode({kAdvertiser});
  for (const std::string& state :
       {std::string("not-a-state"), std::string("bad state!")}) {
    auto s = manager_obj_->Complete(owner_, state, code);
    EXPECT_THAT(s, StatusIs(absl::StatusCode::kFailedPrecondition));
    EXPECT_EQ(status::ReasonOf(s.status()), "OAUTH_STATE_INVALID");
    EXPECT_EQ(FirstViolatedField(s), "state");
  }
  // A state belongs to the member who started it, and works once.
  auto started = manager_obj_->Start(owner_, "");
  ASSERT_THAT(started, IsOk());
  EXPECT_EQ(
      status::ReasonOf(
          manager_obj_->Complete(manager_, started->state, code).status()),
      "OAUTH_STATE_INVALID");
  // The manager's attempt consumed it: the owner cannot use it either.
  EXPECT_EQ(status::ReasonOf(
                manager_obj_->Complete(owner_, started->state, code).status()),
            "OAUTH_STATE_INVALID");
  // Another team never sees the state.
  started = manager_obj_->Start(owner_, "");
  EXPECT_EQ(
      status::ReasonOf(
          manager_obj_->Complete(stranger_, started->state, code).status()),
      "OAUTH_STATE_INVALID");
  EXPECT_EQ(tiktok_.Calls("ExchangeAuthCode"), 0);
  EXPECT_THAT(Stored(owner_), SizeIs(0));
}

TEST_F(ConnectionManagerTest, ReusedCodeIsAuthCodeInvalidAndStoresNothing) {
  const std::string code = tiktok_.MintAuthCode({kAdvertiser});
  ASSERT_THAT(Complete(owner_, code), IsOk());
  auto again = Complete(owner_, code);
  EXPECT_THAT(again, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(status::ReasonOf(again.status()), "AUTH_CODE_INVALID");
  EXPECT_EQ(FirstViolatedField(again), "auth_code");
  EXPECT_THAT(Stored(owner_), SizeIs(1));
}

TEST_F(ConnectionManagerTest, ZeroAdvertisersAndTikTokFailuresStoreNothing) {
  auto zero = Complete(owner_, tiktok_.MintAuthCode({}));
  EXPECT_THAT(zero, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(status::ReasonOf(zero.status()), "NO_ADVERTISERS");

  tiktok_.FailNext("ExchangeAuthCode", absl::UnavailableError("down"));
  EXPECT_THAT(Complete(owner_, tiktok_.MintAuthCode({kAdvertiser})),
              StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(Stored(owner_), SizeIs(0));
}

TEST_F(ConnectionManagerTest, ListAllOrMine) {
  ASSERT_THAT(Complete(owner_, tiktok_.MintAuthCode({kAdvertiser})), IsOk());
  ASSERT_THAT(Complete(buyer_, tiktok_.MintAuthCode({kAdvertiser})), IsOk());
  EXPECT_THAT(*manager_obj_->List(owner_, false), SizeIs(2));
  auto mine = manager_obj_->List(buyer_, true);
  ASSERT_THAT(mine, IsOk());
  ASSERT_THAT(*mine, SizeIs(1));
  EXPECT_EQ((*mine)[0].member_id, buyer_.caller.member_id);
  EXPECT_THAT(*manager_obj_->List(stranger_, false), SizeIs(0));
}

// Revoke sends the connection's own token to TikTok (which kills it), then
// marks the connection revoked; a second revoke changes nothing.
TEST_F(ConnectionManagerTest, RevokeKillsTheTokenAtTikTokAndMarksRevoked) {
  auto connection = Complete(owner_, tiktok_.MintAuthCode({kAdvertiser}));
  ASSERT_THAT(connection, IsOk());
  const std::string token = *connections_->AccessToken(
      owner_.caller.team_id, connection->connection_id);
  auto revoked = manager_obj_->Revoke(owner_, connection->connection_id);
  ASSERT_THAT(revoked, IsOk());
  EXPECT_FALSE(revoked->active());
  EXPECT_THAT(tiktok_.revoke_requests(), ElementsAre(token));
  EXPECT_TRUE(tiktok_.IsRevoked(token));
  ASSERT_THAT(manager_obj_->Revoke(owner_, connection->connection_id), IsOk());
  EXPECT_THAT(tiktok_.revoke_requests(), SizeIs(1));
}

TEST_F(ConnectionManagerTest, RevokeRulesForCallers) {
  auto connection = Complete(owner_, tiktok_.MintAuthCode({kAdvertiser}));
  ASSERT_THAT(connection, IsOk());
  auto empty = manager_obj_->Revoke(owner_, "");
  EXPECT_THAT(empty, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(FirstViolatedField(empty), "connection_id");
  EXPECT_THAT(manager_obj_->Revoke(buyer_, connection->connection_id),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(manager_obj_->Revoke(stranger_, connection->connection_id),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(tiktok_.revoke_requests(), SizeIs(0));
  // A manager may revoke a teammate's connection.
  EXPECT_THAT(manager_obj_->Revoke(manager_, connection->connection_id),
              IsOk());
}

// A token TikTok already considers dead (40105) or a final refusal still
// marks the connection; an unreachable TikTok changes nothing (retry).
TEST_F(ConnectionManagerTest, RevokeWhenTikTokFailsOrTheTokenIsDead) {
  auto first = Complete(owner_, tiktok_.MintAuthCode({kAdvertiser}));
  ASSERT_THAT(first, IsOk());
  tiktok_.FailNext("RevokeToken", absl::UnavailableError("unreachable"));
  EXPECT_THAT(manager_obj_->Revoke(owner_, first->connection_id),
              StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_TRUE(Stored(owner_)[0].active());

  tiktok_.FailNext("RevokeToken",
                   FakeTikTokIdentityApi::TikTokError(40100, "Too many"));
  EXPECT_THAT(manager_obj_->Revoke(owner_, first->connection_id),
              StatusIs(absl::StatusCode::kResourceExhausted));
  EXPECT_TRUE(Stored(owner_)[0].active());

  tiktok_.RevokeBehindOurBack(
      *connections_->AccessToken(owner_.caller.team_id, first->connection_id));
  auto dead = manager_obj_->Revoke(owner_, first->connection_id);
  ASSERT_THAT(dead, IsOk());
  EXPECT_FALSE(dead->active());

  auto second = Complete(owner_, tiktok_.MintAuthCode({kAdvertiser}));
  ASSERT_THAT(second, IsOk());
  tiktok_.FailNext("RevokeToken",
                   FakeTikTokIdentityApi::TikTokError(40001, "No permission"));
  auto refused = manager_obj_->Revoke(owner_, second->connection_id);
  ASSERT_THAT(refused, IsOk());
  EXPECT_FALSE(refused->active());
}

}  // namespace
}  // namespace ttads::identity
