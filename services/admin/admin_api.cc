#include "services/admin/admin_api.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "libs/auth/role_proto.h"
#include "libs/idempotency/request_digest.h"
#include "libs/idempotency/run_once.h"
#include "libs/status/status.h"
#include "libs/status/status_macros.h"
#include "libs/store/key_schema.h"
#include "services/admin/tier_proto.h"

namespace ttads::admin {
namespace {

void SetTime(absl::Time t, google::protobuf::Timestamp* ts) {
  ts->set_seconds(absl::ToUnixSeconds(t));
  ts->set_nanos(static_cast<int32_t>(
      absl::ToInt64Nanoseconds(t - absl::FromUnixSeconds(ts->seconds()))));
}

absl::Status RequireAdmin(const server::CallContext& call) {
  if (call.caller.role == auth::RoleName(auth::Role::kAdmin)) {
    return absl::OkStatus();
  }
  return status::WithErrorInfo(
      absl::PermissionDeniedError(
          "the admin API needs an API key of a member with the admin role"),
      "ADMIN_ROLE_REQUIRED");
}

absl::Status CheckId(const std::string& field, const std::string& id) {
  if (id.empty()) {
    return status::InvalidArgument(field + " is required",
                                   {{field, "required"}});
  }
  if (!store::IsValidKeyId(id)) {
    return status::InvalidArgument(field + " is malformed",
                                   {{field, "not an id ttads issued"}});
  }
  return absl::OkStatus();
}

// Names: 1-100 bytes, no control characters (the store's rule, checked
// here so the refusal names the request field).
absl::Status CheckDisplayName(const std::string& field,
                              const std::string& name) {
  bool control = false;
  for (char c : name) {
    control |= static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
  }
  if (name.empty() || name.size() > 100 || control) {
    return status::InvalidArgument(
        field + " must be 1-100 characters without control characters",
        {{field, "must be 1-100 characters without control characters"}});
  }
  return absl::OkStatus();
}

absl::StatusOr<auth::Role> RoleFrom(common::v1::Role role) {
  absl::StatusOr<auth::Role> parsed = auth::RoleFromProto(role);
  if (parsed.ok()) return parsed;
  return status::InvalidArgument(
      "member.role is required",
      {{"member.role",
        "one of ROLE_ADMIN, ROLE_OWNER, ROLE_MANAGER, "
        "ROLE_MEDIABUYER"}});
}

void TeamToProto(const auth::Team& team, v1::Team* out) {
  out->set_team_id(team.id);
  out->set_display_name(team.name);
  out->set_tier(TierFromName(team.tier));
  out->set_subscription_active(team.subscription_active);
  SetTime(team.create_time, out->mutable_create_time());
}

void MemberToProto(const auth::Member& member, v1::Member* out) {
  out->set_member_id(member.id);
  out->set_team_id(member.team_id);
  out->set_display_name(member.name);
  out->set_role(auth::RoleToProto(member.role));
  SetTime(member.create_time, out->mutable_create_time());
}

// Calls `add` for the items of `all` on the page that `page_token` (an
// offset, libs/validate checked its shape) and `page_size` select, and sets
// `next` when more follow.
template <typename T, typename Add>
void Page(const std::vector<T>& all, int32_t page_size,
          const std::string& page_token, Add add, std::string* next) {
  const size_t size = page_size > 0 ? page_size : kDefaultPageSize;
  size_t start = 0;
  if (!page_token.empty()) (void)absl::SimpleAtoi(page_token, &start);
  for (size_t i = start; i < all.size() && i < start + size; ++i) add(all[i]);
  if (start < all.size() && start + size < all.size()) {
    *next = absl::StrCat(start + size);
  }
}

}  // namespace

v1::ApiKeyState AdminApi::StateOf(const auth::ApiKeyInfo& key, absl::Time now) {
  if (key.revoked) return v1::API_KEY_STATE_REVOKED;
  if (key.expire_time.has_value()) {
    return *key.expire_time <= now ? v1::API_KEY_STATE_EXPIRED
                                   : v1::API_KEY_STATE_EXPIRING;
  }
  return v1::API_KEY_STATE_ACTIVE;
}

v1::ApiKey AdminApi::ToProto(const auth::ApiKeyInfo& key, absl::Time now) {
  v1::ApiKey out;
  out.set_key_id(key.key_id);
  out.set_team_id(key.team_id);
  out.set_member_id(key.member_id);
  out.set_state(StateOf(key, now));
  SetTime(key.create_time, out.mutable_create_time());
  if (key.expire_time.has_value()) {
    SetTime(*key.expire_time, out.mutable_expire_time());
  }
  if (key.revoke_time.has_value()) {
    SetTime(*key.revoke_time, out.mutable_revoke_time());
  }
  out.set_successor_key_id(key.successor_key_id);
  return out;
}

absl::Status AdminApi::CreateTeam(const server::CallContext& call,
                                  const v1::CreateTeamRequest& request,
                                  v1::Team* out) {
  TTADS_RETURN_IF_ERROR(RequireAdmin(call));
  TTADS_RETURN_IF_ERROR(
      CheckDisplayName("team.display_name", request.team().display_name()));
  // Unset: standard.
  absl::StatusOr<std::string> tier = std::string(auth::kTierStandard);
  if (request.team().tier() != v1::TIER_UNSPECIFIED) {
    tier = TierName(request.team().tier());
  }
  if (!tier.ok()) {
    return status::InvalidArgument(
        "team.tier must be TIER_FREE, TIER_STANDARD or TIER_ENTERPRISE",
        {{"team.tier", "one of FREE, STANDARD, ENTERPRISE"}});
  }
  TTADS_RETURN_IF_ERROR(idempotency::ValidateRequestId(request.request_id()));
  idempotency::Operation op;
  op.apply = [&](idempotency::Attempt&,
                 google::protobuf::Message* response) -> absl::Status {
    TTADS_ASSIGN_OR_RETURN(
        auth::Team team,
        teams_->CreateTeam(request.team().display_name(), *tier,
                           request.team().subscription_active()));
    TeamToProto(team, static_cast<v1::Team*>(response));
    return absl::OkStatus();
  };
  return idempotency::RunOnce(
      idempotency_,
      {call.caller.team_id, "admin.CreateTeam", request.request_id()},
      idempotency::RequestDigest(request), call.deadline, out, op);
}

absl::Status AdminApi::GetTeam(const server::CallContext& call,
                               const v1::GetTeamRequest& request,
                               v1::Team* out) {
  TTADS_RETURN_IF_ERROR(RequireAdmin(call));
  TTADS_RETURN_IF_ERROR(CheckId("team_id", request.team_id()));
  TTADS_ASSIGN_OR_RETURN(auth::Team team, teams_->GetTeam(request.team_id()));
  TeamToProto(team, out);
  return absl::OkStatus();
}

absl::Status AdminApi::ListTeams(const server::CallContext& call,
                                 const v1::ListTeamsRequest& request,
                                 v1::ListTeamsResponse* out) {
  TTADS_RETURN_IF_ERROR(RequireAdmin(call));
  TTADS_ASSIGN_OR_RETURN(std::vector<auth::Team> all, teams_->ListTeams());
  Page(
      all, request.page_size(), request.page_token(),
      [&](const auth::Team& t) { TeamToProto(t, out->add_teams()); },
      out->mutable_next_page_token());
  return absl::OkStatus();
}

absl::Status AdminApi::CreateMember(const server::CallContext& call,
                                    const v1::CreateMemberRequest& request,
                                    v1::Member* out) {
  TTADS_RETURN_IF_ERROR(RequireAdmin(call));
  TTADS_RETURN_IF_ERROR(CheckId("team_id", request.team_id()));
  TTADS_RETURN_IF_ERROR(
      CheckDisplayName("member.display_name", request.member().display_name()));
  TTADS_ASSIGN_OR_RETURN(auth::Role role, RoleFrom(request.member().role()));
  TTADS_RETURN_IF_ERROR(idempotency::ValidateRequestId(request.request_id()));
  idempotency::Operation op;
  op.apply = [&](idempotency::Attempt&,
                 google::protobuf::Message* response) -> absl::Status {
    TTADS_ASSIGN_OR_RETURN(
        auth::Member member,
        teams_->AddMember(request.team_id(), request.member().display_name(),
                          role));
    MemberToProto(member, static_cast<v1::Member*>(response));
    return absl::OkStatus();
  };
  return idempotency::RunOnce(
      idempotency_,
      {call.caller.team_id, "admin.CreateMember", request.request_id()},
      idempotency::RequestDigest(request), call.deadline, out, op);
}

absl::Status AdminApi::ListMembers(const server::CallContext& call,
                                   const v1::ListMembersRequest& request,
                                   v1::ListMembersResponse* out) {
  TTADS_RETURN_IF_ERROR(RequireAdmin(call));
  TTADS_RETURN_IF_ERROR(CheckId("team_id", request.team_id()));
  TTADS_ASSIGN_OR_RETURN(std::vector<auth::Member> all,
                         teams_->ListMembers(request.team_id()));
  Page(
      all, request.page_size(), request.page_token(),
      [&](const auth::Member& m) { MemberToProto(m, out->add_members()); },
      out->mutable_next_page_token());
  return absl::OkStatus();
}

absl::Status AdminApi::DeleteMember(const server::CallContext& call,
                                    const v1::DeleteMemberRequest& request,
                                    v1::DeleteMemberResponse* out) {
  TTADS_RETURN_IF_ERROR(RequireAdmin(call));
  TTADS_RETURN_IF_ERROR(CheckId("team_id", request.team_id()));
  TTADS_RETURN_IF_ERROR(CheckId("member_id", request.member_id()));
  TTADS_RETURN_IF_ERROR(
      teams_->GetMember(request.team_id(), request.member_id()).status());
  TTADS_ASSIGN_OR_RETURN(std::vector<auth::ApiKeyInfo> keys,
                         teams_->ListApiKeys(request.team_id()));
  const absl::Time now = clock_();
  std::vector<std::string> working;
  for (const auth::ApiKeyInfo& key : keys) {
    const v1::ApiKeyState state = StateOf(key, now);
    if (key.member_id == request.member_id() &&
        (state == v1::API_KEY_STATE_ACTIVE ||
         state == v1::API_KEY_STATE_EXPIRING)) {
      working.push_back(key.key_id);
    }
  }
  TTADS_RETURN_IF_ERROR(
      teams_->DeleteMember(request.team_id(), request.member_id()));
  for (const std::string& id : working) out->add_revoked_key_ids(id);
  return absl::OkStatus();
}

absl::Status AdminApi::CreateApiKey(const server::CallContext& call,
                                    const v1::CreateApiKeyRequest& request,
                                    v1::CreateApiKeyResponse* out) {
  TTADS_RETURN_IF_ERROR(RequireAdmin(call));
  TTADS_RETURN_IF_ERROR(CheckId("team_id", request.team_id()));
  TTADS_RETURN_IF_ERROR(CheckId("member_id", request.member_id()));
  TTADS_ASSIGN_OR_RETURN(
      auth::IssuedKey issued,
      teams_->IssueApiKey(request.team_id(), request.member_id()));
  TTADS_ASSIGN_OR_RETURN(auth::ApiKeyInfo info,
                         FindKey(request.team_id(), issued.key_id));
  *out->mutable_api_key() = ToProto(info, clock_());
  out->set_secret(issued.plaintext);
  return absl::OkStatus();
}

absl::Status AdminApi::ListApiKeys(const server::CallContext& call,
                                   const v1::ListApiKeysRequest& request,
                                   v1::ListApiKeysResponse* out) {
  TTADS_RETURN_IF_ERROR(RequireAdmin(call));
  TTADS_RETURN_IF_ERROR(CheckId("team_id", request.team_id()));
  if (!request.member_id().empty()) {
    TTADS_RETURN_IF_ERROR(CheckId("member_id", request.member_id()));
  }
  TTADS_ASSIGN_OR_RETURN(std::vector<auth::ApiKeyInfo> all,
                         teams_->ListApiKeys(request.team_id()));
  if (!request.member_id().empty()) {
    std::erase_if(all, [&](const auth::ApiKeyInfo& k) {
      return k.member_id != request.member_id();
    });
  }
  const absl::Time now = clock_();
  Page(
      all, request.page_size(), request.page_token(),
      [&](const auth::ApiKeyInfo& k) {
        *out->add_api_keys() = ToProto(k, now);
      },
      out->mutable_next_page_token());
  return absl::OkStatus();
}

absl::StatusOr<auth::ApiKeyInfo> AdminApi::FindKey(const std::string& team_id,
                                                   const std::string& key_id) {
  TTADS_ASSIGN_OR_RETURN(std::vector<auth::ApiKeyInfo> keys,
                         teams_->ListApiKeys(team_id));
  for (auth::ApiKeyInfo& key : keys) {
    if (key.key_id == key_id) return std::move(key);
  }
  return absl::NotFoundError(
      absl::StrCat("API key ", key_id, " not found in team ", team_id));
}

absl::Status AdminApi::RevokeApiKey(const server::CallContext& call,
                                    const v1::RevokeApiKeyRequest& request,
                                    v1::RevokeApiKeyResponse* out) {
  TTADS_RETURN_IF_ERROR(RequireAdmin(call));
  TTADS_RETURN_IF_ERROR(CheckId("team_id", request.team_id()));
  TTADS_RETURN_IF_ERROR(CheckId("key_id", request.key_id()));
  TTADS_RETURN_IF_ERROR(FindKey(request.team_id(), request.key_id()).status());
  TTADS_RETURN_IF_ERROR(teams_->RevokeApiKey(request.key_id()));
  TTADS_ASSIGN_OR_RETURN(auth::ApiKeyInfo info,
                         FindKey(request.team_id(), request.key_id()));
  *out->mutable_api_key() = ToProto(info, clock_());
  return absl::OkStatus();
}

absl::Status AdminApi::RotateApiKey(const server::CallContext& call,
                                    const v1::RotateApiKeyRequest& request,
                                    v1::RotateApiKeyResponse* out) {
  TTADS_RETURN_IF_ERROR(RequireAdmin(call));
  TTADS_RETURN_IF_ERROR(CheckId("team_id", request.team_id()));
  TTADS_RETURN_IF_ERROR(CheckId("key_id", request.key_id()));
  absl::Duration overlap = kDefaultOverlap;
  if (request.has_overlap()) {
    overlap = absl::Seconds(request.overlap().seconds()) +
              absl::Nanoseconds(request.overlap().nanos());
  }
  if (overlap < absl::ZeroDuration() || overlap > auth::kMaxRotationOverlap) {
    return status::InvalidArgument(
        "overlap must be between 0s and 30 days",
        {{"overlap", "must be between 0s and 2592000s (30 days)"}});
  }
  TTADS_RETURN_IF_ERROR(FindKey(request.team_id(), request.key_id()).status());
  TTADS_ASSIGN_OR_RETURN(auth::RotatedKey rotated,
                         teams_->RotateApiKey(request.key_id(), overlap));
  TTADS_ASSIGN_OR_RETURN(auth::ApiKeyInfo successor,
                         FindKey(request.team_id(), rotated.successor.key_id));
  const absl::Time now = clock_();
  *out->mutable_api_key() = ToProto(successor, now);
  out->set_secret(rotated.successor.plaintext);
  *out->mutable_previous_api_key() = ToProto(rotated.previous, now);
  return absl::OkStatus();
}

}  // namespace ttads::admin
