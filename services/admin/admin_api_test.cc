// AdminApi against the in-memory team store and a fake clock: the admin
// role, each workflow, bad input naming its field, and key rotation with
// overlap (old key until the overlap ends, new key at once).
#include "services/admin/admin_api.h"

#include <mutex>

#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "libs/auth/in_memory_team_store.h"
#include "libs/status/status.h"
#include "libs/status/status_macros.h"
#include "libs/testing/field_violations.h"
#include "libs/testing/status_matchers.h"

namespace ttads::admin {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;
using ::ttads::testing::FirstViolatedField;
using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;

class FakeClock {
 public:
  absl::Time Now() {
    std::lock_guard<std::mutex> lock(mu_);
    return now_;
  }
  void Advance(absl::Duration d) {
    std::lock_guard<std::mutex> lock(mu_);
    now_ += d;
  }

 private:
  std::mutex mu_;
  absl::Time now_ = absl::FromUnixSeconds(1800000000);
};

// The field named by the status' BadRequest, or "".
std::string Reason(const absl::Status& status) {
  google::rpc::ErrorInfo info;
  return status::GetDetail(status, &info) ? info.reason() : "";
}

class AdminApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto ops = teams_.CreateTeam("Operators", "enterprise", true);
    ASSERT_THAT(ops, IsOk());
    for (auth::Role role : {auth::Role::kAdmin, auth::Role::kOwner,
                            auth::Role::kManager, auth::Role::kMediaBuyer}) {
      auto m = teams_.AddMember(ops->id, "m", role);
      ASSERT_THAT(m, IsOk());
      server::CallContext call;
      call.caller = {.team_id = ops->id,
                     .member_id = m->id,
                     .role = std::string(auth::RoleName(role))};
      calls_[role] = call;
    }
  }

  const server::CallContext& Admin() { return calls_[auth::Role::kAdmin]; }

  v1::Team NewTeam(const std::string& name = "Acme") {
    v1::CreateTeamRequest req;
    req.mutable_team()->set_display_name(name);
    v1::Team team;
    EXPECT_THAT(api_.CreateTeam(Admin(), req, &team), IsOk());
    return team;
  }

  v1::Member NewMember(const std::string& team_id,
                       common::v1::Role role = common::v1::ROLE_MANAGER) {
    v1::CreateMemberRequest req;
    req.set_team_id(team_id);
    req.mutable_member()->set_display_name("Ann");
    req.mutable_member()->set_role(role);
    v1::Member member;
    EXPECT_THAT(api_.CreateMember(Admin(), req, &member), IsOk());
    return member;
  }

  v1::CreateApiKeyResponse NewKey(const v1::Member& member) {
    v1::CreateApiKeyRequest req;
    req.set_team_id(member.team_id());
    req.set_member_id(member.member_id());
    v1::CreateApiKeyResponse key;
    EXPECT_THAT(api_.CreateApiKey(Admin(), req, &key), IsOk());
    return key;
  }

  absl::StatusOr<v1::RotateApiKeyResponse> Rotate(
      const v1::ApiKey& key, std::optional<absl::Duration> overlap) {
    v1::RotateApiKeyRequest req;
    req.set_team_id(key.team_id());
    req.set_key_id(key.key_id());
    if (overlap.has_value()) {
      req.mutable_overlap()->set_seconds(absl::ToInt64Seconds(*overlap));
    }
    v1::RotateApiKeyResponse out;
    TTADS_RETURN_IF_ERROR(api_.RotateApiKey(Admin(), req, &out));
    return out;
  }

  std::vector<v1::ApiKey> Keys(const std::string& team_id) {
    v1::ListApiKeysRequest req;
    req.set_team_id(team_id);
    v1::ListApiKeysResponse out;
    EXPECT_THAT(api_.ListApiKeys(Admin(), req, &out), IsOk());
    return {out.api_keys().begin(), out.api_keys().end()};
  }

  FakeClock clock_;
  auth::InMemoryTeamStore teams_{[this] { return clock_.Now(); }};
  AdminApi api_{&teams_, nullptr, [this] { return clock_.Now(); }};
  std::map<auth::Role, server::CallContext> calls_;
};

TEST_F(AdminApiTest, OnlyAdminsMayCallIt) {
  for (auth::Role role :
       {auth::Role::kOwner, auth::Role::kManager, auth::Role::kMediaBuyer}) {
    v1::CreateTeamRequest create;
    create.mutable_team()->set_display_name("Nope");
    v1::Team team;
    absl::Status s = api_.CreateTeam(calls_[role], create, &team);
    EXPECT_THAT(s, StatusIs(absl::StatusCode::kPermissionDenied));
    EXPECT_EQ(Reason(s), "ADMIN_ROLE_REQUIRED");
    v1::ListTeamsResponse teams;
    EXPECT_THAT(api_.ListTeams(calls_[role], {}, &teams),
                StatusIs(absl::StatusCode::kPermissionDenied));
    v1::RotateApiKeyRequest rotate;
    v1::RotateApiKeyResponse rotated;
    EXPECT_THAT(api_.RotateApiKey(calls_[role], rotate, &rotated),
                StatusIs(absl::StatusCode::kPermissionDenied));
  }
  // Nothing was created by the refused calls.
  auto all = teams_.ListTeams();
  ASSERT_THAT(all, IsOk());
  EXPECT_THAT(*all, SizeIs(1));
}

TEST_F(AdminApiTest, TeamsCreateGetAndListInPages) {
  v1::Team acme = NewTeam("Acme");
  EXPECT_THAT(acme.team_id(), ::testing::StartsWith("tm_"));
  EXPECT_EQ(acme.tier(), v1::TIER_STANDARD);
  // The record keeps the tier's name as it always did.
  auto stored = teams_.GetTeam(acme.team_id());
  ASSERT_THAT(stored, IsOk());
  EXPECT_EQ(stored->tier, "standard");
  v1::Team beta = NewTeam("Beta");

  v1::GetTeamRequest get;
  get.set_team_id(acme.team_id());
  v1::Team got;
  ASSERT_THAT(api_.GetTeam(Admin(), get, &got), IsOk());
  EXPECT_EQ(got.display_name(), "Acme");
  get.set_team_id("tm_missing");
  EXPECT_THAT(api_.GetTeam(Admin(), get, &got),
              StatusIs(absl::StatusCode::kNotFound));

  v1::ListTeamsRequest list;
  list.set_page_size(2);
  v1::ListTeamsResponse page;
  ASSERT_THAT(api_.ListTeams(Admin(), list, &page), IsOk());
  ASSERT_THAT(page.teams(), SizeIs(2));  // Operators, Acme
  EXPECT_EQ(page.teams(1).team_id(), acme.team_id());
  ASSERT_EQ(page.next_page_token(), "2");
  list.set_page_token(page.next_page_token());
  v1::ListTeamsResponse last;
  ASSERT_THAT(api_.ListTeams(Admin(), list, &last), IsOk());
  ASSERT_THAT(last.teams(), SizeIs(1));
  EXPECT_EQ(last.teams(0).team_id(), beta.team_id());
  EXPECT_EQ(last.next_page_token(), "");
}

TEST_F(AdminApiTest, BadInputNamesTheFieldAndChangesNothing) {
  v1::CreateTeamRequest create;
  v1::Team team;
  absl::Status s = api_.CreateTeam(Admin(), create, &team);
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(FirstViolatedField(s), "team.display_name");
  create.mutable_team()->set_display_name(std::string(101, 'x'));
  EXPECT_EQ(FirstViolatedField(api_.CreateTeam(Admin(), create, &team)),
            "team.display_name");
  create.mutable_team()->set_display_name("ok");
  create.mutable_team()->set_tier(static_cast<v1::Tier>(99));
  EXPECT_EQ(FirstViolatedField(api_.CreateTeam(Admin(), create, &team)),
            "team.tier");

  v1::Team acme = NewTeam();
  v1::CreateMemberRequest member;
  member.set_team_id(acme.team_id());
  member.mutable_member()->set_display_name("Ann");
  v1::Member m;
  EXPECT_EQ(FirstViolatedField(api_.CreateMember(Admin(), member, &m)),
            "member.role");
  // A number ttads.common.v1.Role does not define (proto3 keeps it).
  member.mutable_member()->set_role(static_cast<common::v1::Role>(42));
  EXPECT_EQ(FirstViolatedField(api_.CreateMember(Admin(), member, &m)),
            "member.role");
  member.set_team_id("bad}id");
  member.mutable_member()->set_role(common::v1::ROLE_OWNER);
  EXPECT_EQ(FirstViolatedField(api_.CreateMember(Admin(), member, &m)),
            "team_id");

  v1::Member ann = NewMember(acme.team_id());
  v1::CreateApiKeyResponse key = NewKey(ann);
  for (absl::Duration bad : {absl::Seconds(-1), absl::Hours(24 * 30 + 1)}) {
    auto rotated = Rotate(key.api_key(), bad);
    EXPECT_THAT(rotated, StatusIs(absl::StatusCode::kInvalidArgument));
    EXPECT_EQ(FirstViolatedField(rotated.status()), "overlap");
  }
  v1::RevokeApiKeyRequest revoke;
  revoke.set_team_id(acme.team_id());
  v1::RevokeApiKeyResponse revoked;
  EXPECT_EQ(FirstViolatedField(api_.RevokeApiKey(Admin(), revoke, &revoked)),
            "key_id");

  auto teams = teams_.ListTeams();
  ASSERT_THAT(teams, IsOk());
  EXPECT_THAT(*teams, SizeIs(2));  // Operators, Acme
  auto members = teams_.ListMembers(acme.team_id());
  ASSERT_THAT(members, IsOk());
  EXPECT_THAT(*members, SizeIs(1));
  EXPECT_THAT(Keys(acme.team_id()),
              ElementsAre(::testing::Property(&v1::ApiKey::state,
                                              v1::API_KEY_STATE_ACTIVE)));
}

TEST_F(AdminApiTest, MembersAddListAndDelete) {
  v1::Team acme = NewTeam();
  v1::Member admin = NewMember(acme.team_id(), common::v1::ROLE_ADMIN);
  v1::Member buyer = NewMember(acme.team_id(), common::v1::ROLE_MEDIABUYER);
  EXPECT_EQ(admin.role(), common::v1::ROLE_ADMIN);
  EXPECT_EQ(buyer.team_id(), acme.team_id());

  v1::ListMembersRequest list;
  list.set_team_id(acme.team_id());
  v1::ListMembersResponse members;
  ASSERT_THAT(api_.ListMembers(Admin(), list, &members), IsOk());
  ASSERT_THAT(members.members(), SizeIs(2));
  EXPECT_EQ(members.members(1).role(), common::v1::ROLE_MEDIABUYER);

  v1::CreateApiKeyResponse k1 = NewKey(buyer);
  v1::CreateApiKeyResponse k2 = NewKey(buyer);
  v1::CreateApiKeyResponse kept = NewKey(admin);
  v1::RevokeApiKeyRequest revoke;
  revoke.set_team_id(acme.team_id());
  revoke.set_key_id(k2.api_key().key_id());
  v1::RevokeApiKeyResponse revoked;
  ASSERT_THAT(api_.RevokeApiKey(Admin(), revoke, &revoked), IsOk());

  v1::DeleteMemberRequest del;
  del.set_team_id(acme.team_id());
  del.set_member_id(buyer.member_id());
  v1::DeleteMemberResponse deleted;
  ASSERT_THAT(api_.DeleteMember(Admin(), del, &deleted), IsOk());
  // Only the key that still worked is reported.
  EXPECT_THAT(deleted.revoked_key_ids(), ElementsAre(k1.api_key().key_id()));
  EXPECT_THAT(teams_.Authenticate(k1.secret()),
              StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_THAT(teams_.Authenticate(kept.secret()), IsOk());
  EXPECT_THAT(api_.DeleteMember(Admin(), del, &deleted),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(AdminApiTest, KeysAreShownOnceAndListedWithoutTheirText) {
  v1::Team acme = NewTeam();
  v1::Member ann = NewMember(acme.team_id(), common::v1::ROLE_OWNER);
  v1::CreateApiKeyResponse key = NewKey(ann);
  EXPECT_THAT(key.secret(), ::testing::StartsWith("ttads_"));
  EXPECT_EQ(key.api_key().state(), v1::API_KEY_STATE_ACTIVE);
  EXPECT_EQ(key.api_key().member_id(), ann.member_id());
  auto principal = teams_.Authenticate(key.secret());
  ASSERT_THAT(principal, IsOk());
  EXPECT_EQ(principal->team_id, acme.team_id());
  EXPECT_EQ(principal->role, auth::Role::kOwner);

  std::vector<v1::ApiKey> keys = Keys(acme.team_id());
  ASSERT_THAT(keys, SizeIs(1));
  EXPECT_EQ(keys[0].key_id(), key.api_key().key_id());
  EXPECT_THAT(keys[0].DebugString(),
              ::testing::Not(HasSubstr(key.secret().substr(6))));

  // Filtered by member; another team's key is not found through this team.
  v1::Team other = NewTeam("Other");
  v1::ListApiKeysRequest by_member;
  by_member.set_team_id(acme.team_id());
  by_member.set_member_id(ann.member_id());
  v1::ListApiKeysResponse mine;
  ASSERT_THAT(api_.ListApiKeys(Admin(), by_member, &mine), IsOk());
  EXPECT_THAT(mine.api_keys(), SizeIs(1));
  v1::RevokeApiKeyRequest revoke;
  revoke.set_team_id(other.team_id());
  revoke.set_key_id(key.api_key().key_id());
  v1::RevokeApiKeyResponse revoked;
  EXPECT_THAT(api_.RevokeApiKey(Admin(), revoke, &revoked),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(teams_.Authenticate(key.secret()), IsOk());

  revoke.set_team_id(acme.team_id());
  ASSERT_THAT(api_.RevokeApiKey(Admin(), revoke, &revoked), IsOk());
  EXPECT_EQ(revoked.api_key().state(), v1::API_KEY_STATE_REVOKED);
  EXPECT_TRUE(revoked.api_key().has_revoke_time());
  EXPECT_THAT(teams_.Authenticate(key.secret()),
              StatusIs(absl::StatusCode::kUnauthenticated));
  ASSERT_THAT(api_.RevokeApiKey(Admin(), revoke, &revoked), IsOk());
}

TEST_F(AdminApiTest, RotationKeepsTheOldKeyUntilTheOverlapEnds) {
  v1::Team acme = NewTeam();
  v1::CreateApiKeyResponse old = NewKey(NewMember(acme.team_id()));
  auto rotated = Rotate(old.api_key(), absl::Hours(2));
  ASSERT_THAT(rotated, IsOk());
  EXPECT_EQ(rotated->api_key().state(), v1::API_KEY_STATE_ACTIVE);
  EXPECT_EQ(rotated->api_key().member_id(), old.api_key().member_id());
  EXPECT_THAT(rotated->secret(), ::testing::StartsWith("ttads_"));
  const v1::ApiKey& previous = rotated->previous_api_key();
  EXPECT_EQ(previous.state(), v1::API_KEY_STATE_EXPIRING);
  EXPECT_EQ(previous.successor_key_id(), rotated->api_key().key_id());
  EXPECT_EQ(previous.expire_time().seconds(),
            absl::ToUnixSeconds(clock_.Now() + absl::Hours(2)));

  EXPECT_THAT(teams_.Authenticate(rotated->secret()), IsOk());
  EXPECT_THAT(teams_.Authenticate(old.secret()), IsOk());
  clock_.Advance(absl::Hours(2) - absl::Seconds(1));
  EXPECT_THAT(teams_.Authenticate(old.secret()), IsOk());
  clock_.Advance(absl::Seconds(1));
  EXPECT_THAT(teams_.Authenticate(old.secret()),
              StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_THAT(teams_.Authenticate(rotated->secret()), IsOk());

  std::vector<v1::ApiKey> keys = Keys(acme.team_id());
  ASSERT_THAT(keys, SizeIs(2));
  EXPECT_EQ(keys[0].state(), v1::API_KEY_STATE_EXPIRED);
  EXPECT_EQ(keys[1].state(), v1::API_KEY_STATE_ACTIVE);
  // An expired key cannot be rotated again; its successor can.
  EXPECT_THAT(Rotate(keys[0], absl::Hours(1)),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(Rotate(keys[1], absl::Hours(1)), IsOk());
}

TEST_F(AdminApiTest, RotationDefaultsToADayAndZeroRefusesAtOnce) {
  v1::Team acme = NewTeam();
  v1::CreateApiKeyResponse a = NewKey(NewMember(acme.team_id()));
  auto by_default = Rotate(a.api_key(), std::nullopt);
  ASSERT_THAT(by_default, IsOk());
  EXPECT_EQ(by_default->previous_api_key().expire_time().seconds(),
            absl::ToUnixSeconds(clock_.Now() + kDefaultOverlap));

  v1::CreateApiKeyResponse b = NewKey(NewMember(acme.team_id()));
  auto at_once = Rotate(b.api_key(), absl::ZeroDuration());
  ASSERT_THAT(at_once, IsOk());
  EXPECT_EQ(at_once->previous_api_key().state(), v1::API_KEY_STATE_EXPIRED);
  EXPECT_THAT(teams_.Authenticate(b.secret()),
              StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_THAT(teams_.Authenticate(at_once->secret()), IsOk());
  EXPECT_THAT(Rotate(b.api_key(), absl::Hours(1)),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

}  // namespace
}  // namespace ttads::admin
