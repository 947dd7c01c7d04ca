#ifndef TTADS_TOOLS_TTADSCTL_STORE_TEAM_ADMIN_H_
#define TTADS_TOOLS_TTADSCTL_STORE_TEAM_ADMIN_H_

#include "libs/auth/team_store.h"
#include "tools/ttadsctl/team_admin.h"

// TeamAdmin straight on the team store (Redis): no API key needed, so it is
// how the first admin is made. Keys of another team than the one named are
// NOT_FOUND, as the admin API answers.
namespace ttads::ttadsctl {

class StoreTeamAdmin final : public TeamAdmin {
 public:
  // `teams` must outlive the object.
  explicit StoreTeamAdmin(auth::TeamStore* teams) : teams_(teams) {}

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
  absl::Status RevokeApiKey(const std::string& team_id,
                            const std::string& key_id) override;
  absl::StatusOr<auth::RotatedKey> RotateApiKey(
      const std::string& team_id, const std::string& key_id,
      absl::Duration overlap) override;

 private:
  // NOT_FOUND unless `key_id` is one of `team_id`'s keys.
  absl::Status CheckKeyOfTeam(const std::string& team_id,
                              const std::string& key_id);

  auth::TeamStore* teams_;
};

}  // namespace ttads::ttadsctl

#endif  // TTADS_TOOLS_TTADSCTL_STORE_TEAM_ADMIN_H_
