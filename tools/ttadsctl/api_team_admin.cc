#include "tools/ttadsctl/api_team_admin.h"

#include <utility>

#include "libs/auth/role_proto.h"
#include "libs/status/status.h"
#include "libs/status/status_macros.h"
#include "services/admin/tier_proto.h"

namespace ttads::ttadsctl {
namespace {

namespace v1 = ::ttads::admin::v1;

absl::Time TimeOf(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

auth::Team TeamOf(const v1::Team& t) {
  return {.id = t.team_id(),
          .name = t.display_name(),
          // The stored name ("standard"), as the store-direct commands
          // print it; a tier this client does not know yet: "unspecified".
          .tier = admin::TierName(t.tier()).value_or("unspecified"),
          .subscription_active = t.subscription_active(),
          .create_time = TimeOf(t.create_time())};
}

auth::Member MemberOf(const v1::Member& m) {
  auth::Member out{.id = m.member_id(),
                   .team_id = m.team_id(),
                   .name = m.display_name(),
                   .create_time = TimeOf(m.create_time())};
  // A role this client does not know yet stays unspecified ("unspecified"
  // in the output) rather than failing the whole listing.
  out.role = auth::RoleFromProto(m.role()).value_or(auth::Role::kUnspecified);
  return out;
}

auth::ApiKeyInfo KeyOf(const v1::ApiKey& k) {
  auth::ApiKeyInfo out{.key_id = k.key_id(),
                       .team_id = k.team_id(),
                       .member_id = k.member_id(),
                       .create_time = TimeOf(k.create_time()),
                       .revoked = k.state() == v1::API_KEY_STATE_REVOKED};
  if (k.has_revoke_time()) out.revoke_time = TimeOf(k.revoke_time());
  if (k.has_expire_time()) out.expire_time = TimeOf(k.expire_time());
  out.successor_key_id = k.successor_key_id();
  return out;
}

}  // namespace

ApiTeamAdmin::ApiTeamAdmin(ApiConnection api)
    : api_(std::move(api)),
      stub_(v1::AdminService::NewStub(ApiChannel(api_.address))) {}

// One unary call: the key, the deadline, the server's status.
#define TTADSCTL_CALL(method, request, response)                       \
  do {                                                                 \
    grpc::ClientContext context;                                       \
    PrepareCall(api_, /*unary=*/true, &context);                       \
    TTADS_RETURN_IF_ERROR(                                             \
        FromServer(api_, stub_->method(&context, request, response))); \
  } while (false)

absl::StatusOr<auth::Team> ApiTeamAdmin::CreateTeam(const std::string& name,
                                                    const std::string& tier,
                                                    bool subscription_active) {
  v1::CreateTeamRequest request;
  request.mutable_team()->set_display_name(name);
  const v1::Tier contract_tier = admin::TierFromName(tier);
  if (contract_tier == v1::TIER_UNSPECIFIED) {
    return status::InvalidArgument(
        "tier must be free, standard or enterprise",
        {{"tier", "one of free, standard, enterprise"}});
  }
  request.mutable_team()->set_tier(contract_tier);
  request.mutable_team()->set_subscription_active(subscription_active);
  v1::Team team;
  TTADSCTL_CALL(CreateTeam, request, &team);
  return TeamOf(team);
}

absl::StatusOr<auth::Team> ApiTeamAdmin::GetTeam(const std::string& team_id) {
  v1::GetTeamRequest request;
  request.set_team_id(team_id);
  v1::Team team;
  TTADSCTL_CALL(GetTeam, request, &team);
  return TeamOf(team);
}

absl::StatusOr<std::vector<auth::Team>> ApiTeamAdmin::ListTeams() {
  std::vector<auth::Team> all;
  v1::ListTeamsRequest request;
  request.set_page_size(1000);
  do {
    v1::ListTeamsResponse page;
    TTADSCTL_CALL(ListTeams, request, &page);
    for (const v1::Team& t : page.teams()) all.push_back(TeamOf(t));
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  return all;
}

absl::StatusOr<auth::Member> ApiTeamAdmin::AddMember(const std::string& team_id,
                                                     const std::string& name,
                                                     auth::Role role) {
  v1::CreateMemberRequest request;
  request.set_team_id(team_id);
  request.mutable_member()->set_display_name(name);
  request.mutable_member()->set_role(auth::RoleToProto(role));
  v1::Member member;
  TTADSCTL_CALL(CreateMember, request, &member);
  return MemberOf(member);
}

absl::StatusOr<std::vector<auth::Member>> ApiTeamAdmin::ListMembers(
    const std::string& team_id) {
  std::vector<auth::Member> all;
  v1::ListMembersRequest request;
  request.set_team_id(team_id);
  request.set_page_size(1000);
  do {
    v1::ListMembersResponse page;
    TTADSCTL_CALL(ListMembers, request, &page);
    for (const v1::Member& m : page.members()) all.push_back(MemberOf(m));
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  return all;
}

absl::StatusOr<auth::IssuedKey> ApiTeamAdmin::IssueApiKey(
    const std::string& team_id, const std::string& member_id) {
  v1::CreateApiKeyRequest request;
  request.set_team_id(team_id);
  request.set_member_id(member_id);
  v1::CreateApiKeyResponse response;
  TTADSCTL_CALL(CreateApiKey, request, &response);
  return auth::IssuedKey{.key_id = response.api_key().key_id(),
                         .plaintext = response.secret()};
}

absl::StatusOr<std::vector<auth::ApiKeyInfo>> ApiTeamAdmin::ListApiKeys(
    const std::string& team_id) {
  std::vector<auth::ApiKeyInfo> all;
  v1::ListApiKeysRequest request;
  request.set_team_id(team_id);
  request.set_page_size(1000);
  do {
    v1::ListApiKeysResponse page;
    TTADSCTL_CALL(ListApiKeys, request, &page);
    for (const v1::ApiKey& k : page.api_keys()) all.push_back(KeyOf(k));
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  return all;
}

absl::Status ApiTeamAdmin::RevokeApiKey(const std::string& team_id,
                                        const std::string& key_id) {
  if (team_id.empty()) {
    return status::InvalidArgument(
        "--team is required with the admin API (it names a key within its "
        "team)",
        {{"team_id", "required"}});
  }
  v1::RevokeApiKeyRequest request;
  request.set_team_id(team_id);
  request.set_key_id(key_id);
  v1::RevokeApiKeyResponse response;
  TTADSCTL_CALL(RevokeApiKey, request, &response);
  return absl::OkStatus();
}

absl::StatusOr<auth::RotatedKey> ApiTeamAdmin::RotateApiKey(
    const std::string& team_id, const std::string& key_id,
    absl::Duration overlap) {
  if (team_id.empty()) {
    return status::InvalidArgument(
        "--team is required with the admin API (it names a key within its "
        "team)",
        {{"team_id", "required"}});
  }
  v1::RotateApiKeyRequest request;
  request.set_team_id(team_id);
  request.set_key_id(key_id);
  const int64_t seconds =
      absl::IDivDuration(overlap, absl::Seconds(1), &overlap);
  request.mutable_overlap()->set_seconds(seconds);
  request.mutable_overlap()->set_nanos(
      static_cast<int32_t>(absl::ToInt64Nanoseconds(overlap)));
  v1::RotateApiKeyResponse response;
  TTADSCTL_CALL(RotateApiKey, request, &response);
  return auth::RotatedKey{.successor = {.key_id = response.api_key().key_id(),
                                        .plaintext = response.secret()},
                          .previous = KeyOf(response.previous_api_key())};
}

#undef TTADSCTL_CALL

}  // namespace ttads::ttadsctl
