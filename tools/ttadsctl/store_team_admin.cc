#include "tools/ttadsctl/store_team_admin.h"

#include "libs/status/status_macros.h"

namespace ttads::ttadsctl {

absl::StatusOr<auth::Team> StoreTeamAdmin::CreateTeam(
    const std::string& name, const std::string& tier,
    bool subscription_active) {
  return teams_->CreateTeam(name, tier, subscription_active);
}

absl::StatusOr<auth::Team> StoreTeamAdmin::GetTeam(const std::string& team_id) {
  return teams_->GetTeam(team_id);
}

absl::StatusOr<std::vector<auth::Team>> StoreTeamAdmin::ListTeams() {
  return teams_->ListTeams();
}

absl::StatusOr<auth::Member> StoreTeamAdmin::AddMember(
    const std::string& team_id, const std::string& name, auth::Role role) {
  return teams_->AddMember(team_id, name, role);
}

absl::StatusOr<std::vector<auth::Member>> StoreTeamAdmin::ListMembers(
    const std::string& team_id) {
  return teams_->ListMembers(team_id);
}

absl::StatusOr<auth::IssuedKey> StoreTeamAdmin::IssueApiKey(
    const std::string& team_id, const std::string& member_id) {
  return teams_->IssueApiKey(team_id, member_id);
}

absl::StatusOr<std::vector<auth::ApiKeyInfo>> StoreTeamAdmin::ListApiKeys(
    const std::string& team_id) {
  return teams_->ListApiKeys(team_id);
}

absl::Status StoreTeamAdmin::CheckKeyOfTeam(const std::string& team_id,
                                            const std::string& key_id) {
  TTADS_ASSIGN_OR_RETURN(std::vector<auth::ApiKeyInfo> keys,
                         teams_->ListApiKeys(team_id));
  for (const auth::ApiKeyInfo& key : keys) {
    if (key.key_id == key_id) return absl::OkStatus();
  }
  return absl::NotFoundError("API key " + key_id + " not found in team " +
                             team_id);
}

absl::Status StoreTeamAdmin::RevokeApiKey(const std::string& team_id,
                                          const std::string& key_id) {
  if (!team_id.empty()) TTADS_RETURN_IF_ERROR(CheckKeyOfTeam(team_id, key_id));
  return teams_->RevokeApiKey(key_id);
}

absl::StatusOr<auth::RotatedKey> StoreTeamAdmin::RotateApiKey(
    const std::string& team_id, const std::string& key_id,
    absl::Duration overlap) {
  if (!team_id.empty()) TTADS_RETURN_IF_ERROR(CheckKeyOfTeam(team_id, key_id));
  return teams_->RotateApiKey(key_id, overlap);
}

}  // namespace ttads::ttadsctl
