#ifndef TTADS_TOOLS_TTADSCTL_TEAM_ADMIN_H_
#define TTADS_TOOLS_TTADSCTL_TEAM_ADMIN_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/auth/team_store.h"

// What ttadsctl's team, member and key commands need, whichever way they
// reach ttads: StoreTeamAdmin (store_team_admin.h) writes Redis through
// auth::TeamStore, the way to make the first admin; ApiTeamAdmin
// (api_team_admin.h) calls ttads.admin.v1.AdminService with an admin's API
// key. Both answer the store's structs, so the commands print the same
// text and JSON either way. Errors are the store's or the server's
// (INVALID_ARGUMENT, NOT_FOUND, PERMISSION_DENIED, ...).
namespace ttads::ttadsctl {

class TeamAdmin {
 public:
  virtual ~TeamAdmin() = default;

  virtual absl::StatusOr<auth::Team> CreateTeam(const std::string& name,
                                                const std::string& tier,
                                                bool subscription_active) = 0;
  virtual absl::StatusOr<auth::Team> GetTeam(const std::string& team_id) = 0;
  // Every team, oldest first.
  virtual absl::StatusOr<std::vector<auth::Team>> ListTeams() = 0;
  virtual absl::StatusOr<auth::Member> AddMember(const std::string& team_id,
                                                 const std::string& name,
                                                 auth::Role role) = 0;
  // The team's members, oldest first.
  virtual absl::StatusOr<std::vector<auth::Member>> ListMembers(
      const std::string& team_id) = 0;
  virtual absl::StatusOr<auth::IssuedKey> IssueApiKey(
      const std::string& team_id, const std::string& member_id) = 0;
  // The team's keys, oldest first, revoked and rotated ones included.
  virtual absl::StatusOr<std::vector<auth::ApiKeyInfo>> ListApiKeys(
      const std::string& team_id) = 0;
  // `team_id` may be empty where the implementation can do without it
  // (the store); when set, a key of another team is NOT_FOUND.
  virtual absl::Status RevokeApiKey(const std::string& team_id,
                                    const std::string& key_id) = 0;
  // A new key for the key's member; the old one works until now+overlap.
  virtual absl::StatusOr<auth::RotatedKey> RotateApiKey(
      const std::string& team_id, const std::string& key_id,
      absl::Duration overlap) = 0;
};

}  // namespace ttads::ttadsctl

#endif  // TTADS_TOOLS_TTADSCTL_TEAM_ADMIN_H_
