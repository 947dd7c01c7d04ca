#include "libs/auth/role_proto.h"

namespace ttads::auth {

common::v1::Role RoleToProto(Role role) {
  switch (role) {
    case Role::kMediaBuyer:
      return common::v1::ROLE_MEDIABUYER;
    case Role::kManager:
      return common::v1::ROLE_MANAGER;
    case Role::kOwner:
      return common::v1::ROLE_OWNER;
    case Role::kAdmin:
      return common::v1::ROLE_ADMIN;
    case Role::kUnspecified:
      break;
  }
  return common::v1::ROLE_UNSPECIFIED;
}

absl::StatusOr<Role> RoleFromProto(common::v1::Role role) {
  switch (role) {
    case common::v1::ROLE_MEDIABUYER:
      return Role::kMediaBuyer;
    case common::v1::ROLE_MANAGER:
      return Role::kManager;
    case common::v1::ROLE_OWNER:
      return Role::kOwner;
    case common::v1::ROLE_ADMIN:
      return Role::kAdmin;
    default:
      break;
  }
  return absl::InvalidArgumentError(
      "role must be one of ROLE_ADMIN, ROLE_OWNER, ROLE_MANAGER, "
      "ROLE_MEDIABUYER");
}

}  // namespace ttads::auth
