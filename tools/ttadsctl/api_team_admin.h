#ifndef TTADS_TOOLS_TTADSCTL_API_TEAM_ADMIN_H_
#define TTADS_TOOLS_TTADSCTL_API_TEAM_ADMIN_H_

#include <memory>

#include "tools/ttadsctl/api_connection.h"
#include "tools/ttadsctl/team_admin.h"
#include "ttads/admin/v1/admin_service.grpc.pb.h"

// TeamAdmin over ttads.admin.v1.AdminService (docs/admin.md), with the API
// key of a member whose role is admin: how operators manage teams from
// inside the cluster without Redis credentials. Lists follow
// next_page_token to the end. The server's refusals come back as they are
// (PERMISSION_DENIED with reason ADMIN_ROLE_REQUIRED for a non-admin key,
// INVALID_ARGUMENT with the field violation, ...).
namespace ttads::ttadsctl {

class ApiTeamAdmin final : public TeamAdmin {
 public:
  explicit ApiTeamAdmin(ApiConnection api);

  absl::StatusOr<auth::Team> CreateTeam(const std::string& name,
                                        const std::string& tier,
                                        bool subscription_active) override;
  absl::StatusOr<auth::Team> GetTeam(const std::string& team_id) override;
  absl::StatusOr<std::vector<auth::Team>> ListTeams() override;
  absl::StatusOr<auth::Member> AddMember(const std::string& team_id,
                                         const std::string& name,
                                         auth::Role role) override;
  absl::StatusOr<std::vector<auth::Member>> ListMembers(
      const std::string& team_id) override;
  absl::StatusOr<auth::IssuedKey> IssueApiKey(
      const std::string& team_id, const std::string& member_id) override;
  absl::StatusOr<std::vector<auth::ApiKeyInfo>> ListApiKeys(
      const std::string& team_id) override;
  // INVALID_ARGUMENT (naming --team) when `team_id` is empty: the API
  // addresses a key within its team.
  absl::Status RevokeApiKey(const std::string& team_id,
                            const std::string& key_id) override;
  absl::StatusOr<auth::RotatedKey> RotateApiKey(
      const std::string& team_id, const std::string& key_id,
      absl::Duration overlap) override;

 private:
  ApiConnection api_;
  std::unique_ptr<admin::v1::AdminService::Stub> stub_;
};

}  // namespace ttads::ttadsctl

#endif  // TTADS_TOOLS_TTADSCTL_API_TEAM_ADMIN_H_
