#include "libs/auth/team_store.h"

#include <cctype>

namespace ttads::auth {

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kAdmin:
      return "admin";
    case Role::kOwner:
      return "owner";
    case Role::kManager:
      return "manager";
    case Role::kMediaBuyer:
      return "mediabuyer";
    case Role::kUnspecified:
      break;
  }
  return "unspecified";
}

absl::StatusOr<Role> ParseRole(std::string_view name) {
  std::string lower(name);
  for (char& c : lower) c = static_cast<char>(std::tolower(c));
  if (lower == "admin") return Role::kAdmin;
  if (lower == "owner") return Role::kOwner;
  if (lower == "manager") return Role::kManager;
  if (lower == "mediabuyer") return Role::kMediaBuyer;
  return absl::InvalidArgumentError(
      "role must be one of admin, owner, manager, mediabuyer; got \"" +
      std::string(name) + "\"");
}

bool RoleAtLeast(Role have, Role need) {
  return have != Role::kUnspecified &&
         static_cast<int>(have) >= static_cast<int>(need);
}

absl::Status ValidateTier(std::string_view tier) {
  if (tier == kTierFree || tier == kTierStandard || tier == kTierEnterprise) {
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(
      "tier must be one of free, standard, enterprise; got \"" +
      std::string(tier) + "\"");
}

}  // namespace ttads::auth
