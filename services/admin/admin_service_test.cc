// AdminService through gRPC, served by the real identity server in-process
// (private Redis, the simulator): the admin role at the pipeline, the
// workflows end to end, request ids, and keys that the identity service
// itself accepts or refuses across its authentication cache.
#include <memory>
#include <string>

#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "libs/auth/team_store.h"
#include "libs/testing/grpc_status_matchers.h"
#include "libs/testing/status_matchers.h"
#include "services/identity/identity_config.h"
#include "services/identity/identity_server.h"
#include "tests/support/service_start.h"
#include "tests/support/suite_fixture.h"
#include "ttads/admin/v1/admin_service.grpc.pb.h"
#include "ttads/identity/v1/tiktok_account_service.grpc.pb.h"

namespace ttads::admin {
namespace {

using ::testing::SizeIs;
using ::ttads::testing::GrpcIsOk;
using ::ttads::testing::GrpcStatusIs;
using ::ttads::testing::IsOk;

class AdminServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto fixture = testing::SuiteFixture::Start();
    ASSERT_THAT(fixture, IsOk());
    fixture_ = *std::move(fixture);
    auto server = testing::StartService<identity::IdentityServer>(
        identity::IdentitySchema(), fixture_->ServiceEnv());
    ASSERT_THAT(server, IsOk());
    identity_ = *std::move(server);
    admin_ = testing::StubOf<v1::AdminService>(*identity_);
    accounts_ = testing::StubOf<identity::v1::TikTokAccountService>(*identity_);

    auto team = fixture_->CreateTeam();
    ASSERT_THAT(team, IsOk());
    customer_ = *team;
    auto ops = fixture_->teams().CreateTeam("Operators", "enterprise", true);
    ASSERT_THAT(ops, IsOk());
    auto op = fixture_->teams().AddMember(ops->id, "Ops", auth::Role::kAdmin);
    ASSERT_THAT(op, IsOk());
    auto key = fixture_->teams().IssueApiKey(ops->id, op->id);
    ASSERT_THAT(key, IsOk());
    admin_key_ = key->plaintext;
  }

  void TearDown() override {
    if (identity_) identity_->kit().runner().Shutdown();
  }

  // A call to the identity service with `key` (any authenticated RPC).
  grpc::Status IdentityCallWith(const std::string& key) {
    grpc::ClientContext ctx;
    testing::Authorize(&ctx, key);
    identity::v1::ListTikTokAccountConnectionsResponse resp;
    return accounts_->ListTikTokAccountConnections(&ctx, {}, &resp);
  }

  std::unique_ptr<testing::SuiteFixture> fixture_;
  std::unique_ptr<identity::IdentityServer> identity_;
  std::unique_ptr<v1::AdminService::Stub> admin_;
  std::unique_ptr<identity::v1::TikTokAccountService::Stub> accounts_;
  testing::TestTeam customer_;
  std::string admin_key_;
};

TEST_F(AdminServiceTest, OnlyAdminKeysAreServed) {
  for (const std::string& key :
       {customer_.owner_key, customer_.manager_key, customer_.mediabuyer_key}) {
    grpc::ClientContext ctx;
    testing::Authorize(&ctx, key);
    v1::ListTeamsResponse resp;
    EXPECT_THAT(admin_->ListTeams(&ctx, {}, &resp),
                GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
  }
  grpc::ClientContext anonymous;
  v1::ListTeamsResponse resp;
  EXPECT_THAT(admin_->ListTeams(&anonymous, {}, &resp),
              GrpcStatusIs(grpc::StatusCode::UNAUTHENTICATED));
  grpc::ClientContext ctx;
  testing::Authorize(&ctx, admin_key_);
  ASSERT_THAT(admin_->ListTeams(&ctx, {}, &resp), GrpcIsOk());
  EXPECT_THAT(resp.teams(), SizeIs(2));  // the customer, the operators
}

TEST_F(AdminServiceTest, CreateTeamHonoursItsRequestIdAndChecksInput) {
  v1::CreateTeamRequest req;
  req.mutable_team()->set_display_name("Acme");
  req.set_request_id("create-acme-1");
  v1::Team first, again;
  grpc::ClientContext c1, c2, c3;
  testing::Authorize(&c1, admin_key_);
  testing::Authorize(&c2, admin_key_);
  ASSERT_THAT(admin_->CreateTeam(&c1, req, &first), GrpcIsOk());
  ASSERT_THAT(admin_->CreateTeam(&c2, req, &again), GrpcIsOk());
  EXPECT_EQ(again.team_id(), first.team_id());
  auto teams = fixture_->teams().ListTeams();
  ASSERT_THAT(teams, IsOk());
  EXPECT_THAT(*teams, SizeIs(3));

  v1::CreateTeamRequest unnamed;
  v1::Team none;
  testing::Authorize(&c3, admin_key_);
  grpc::Status s = admin_->CreateTeam(&c3, unnamed, &none);
  EXPECT_THAT(s, GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                              ::testing::HasSubstr("team")));
}

// A member's key from the admin API works on the identity service at once;
// rotated without overlap, the old key is refused on the next call even
// though identity had cached it; revoked, the new one is refused too.
TEST_F(AdminServiceTest, KeysIssuedRotatedAndRevokedTakeEffectAtOnce) {
  v1::CreateMemberRequest add;
  add.set_team_id(customer_.team_id);
  add.mutable_member()->set_display_name("Robot");
  add.mutable_member()->set_role(common::v1::ROLE_MANAGER);
  v1::Member member;
  grpc::ClientContext c1;
  testing::Authorize(&c1, admin_key_);
  ASSERT_THAT(admin_->CreateMember(&c1, add, &member), GrpcIsOk());

  v1::CreateApiKeyRequest create;
  create.set_team_id(customer_.team_id);
  create.set_member_id(member.member_id());
  v1::CreateApiKeyResponse key;
  grpc::ClientContext c2;
  testing::Authorize(&c2, admin_key_);
  ASSERT_THAT(admin_->CreateApiKey(&c2, create, &key), GrpcIsOk());
  EXPECT_THAT(IdentityCallWith(key.secret()), GrpcIsOk());

  // With an overlap the old key keeps working.
  v1::RotateApiKeyRequest rotate;
  rotate.set_team_id(customer_.team_id);
  rotate.set_key_id(key.api_key().key_id());
  rotate.mutable_overlap()->set_seconds(3600);
  v1::RotateApiKeyResponse overlapping;
  grpc::ClientContext c3;
  testing::Authorize(&c3, admin_key_);
  ASSERT_THAT(admin_->RotateApiKey(&c3, rotate, &overlapping), GrpcIsOk());
  EXPECT_EQ(overlapping.previous_api_key().state(), v1::API_KEY_STATE_EXPIRING);
  EXPECT_THAT(IdentityCallWith(key.secret()), GrpcIsOk());
  EXPECT_THAT(IdentityCallWith(overlapping.secret()), GrpcIsOk());

  // Without one, the old key is refused at once.
  rotate.set_key_id(overlapping.api_key().key_id());
  rotate.mutable_overlap()->set_seconds(0);
  v1::RotateApiKeyResponse at_once;
  grpc::ClientContext c4;
  testing::Authorize(&c4, admin_key_);
  ASSERT_THAT(admin_->RotateApiKey(&c4, rotate, &at_once), GrpcIsOk());
  EXPECT_THAT(IdentityCallWith(overlapping.secret()),
              GrpcStatusIs(grpc::StatusCode::UNAUTHENTICATED));
  EXPECT_THAT(IdentityCallWith(at_once.secret()), GrpcIsOk());

  v1::RevokeApiKeyRequest revoke;
  revoke.set_team_id(customer_.team_id);
  revoke.set_key_id(at_once.api_key().key_id());
  v1::RevokeApiKeyResponse revoked;
  grpc::ClientContext c5;
  testing::Authorize(&c5, admin_key_);
  ASSERT_THAT(admin_->RevokeApiKey(&c5, revoke, &revoked), GrpcIsOk());
  EXPECT_THAT(IdentityCallWith(at_once.secret()),
              GrpcStatusIs(grpc::StatusCode::UNAUTHENTICATED));

  v1::ListApiKeysRequest list;
  list.set_team_id(customer_.team_id);
  list.set_member_id(member.member_id());
  v1::ListApiKeysResponse keys;
  grpc::ClientContext c6;
  testing::Authorize(&c6, admin_key_);
  ASSERT_THAT(admin_->ListApiKeys(&c6, list, &keys), GrpcIsOk());
  ASSERT_THAT(keys.api_keys(), SizeIs(3));
  EXPECT_EQ(keys.api_keys(0).state(), v1::API_KEY_STATE_EXPIRING);
  EXPECT_EQ(keys.api_keys(1).state(), v1::API_KEY_STATE_EXPIRED);
  EXPECT_EQ(keys.api_keys(2).state(), v1::API_KEY_STATE_REVOKED);
}

}  // namespace
}  // namespace ttads::admin
