#ifndef TTADS_LIBS_AUTH_ROLE_PROTO_H_
#define TTADS_LIBS_AUTH_ROLE_PROTO_H_

#include "absl/status/statusor.h"
#include "libs/auth/team_store.h"
#include "ttads/common/v1/common.pb.h"

// The one mapping between the store's auth::Role and the contracts'
// ttads.common.v1.Role (every API that carries a role uses that enum).
// The numbers are the same on both sides (MEDIABUYER 1 ... ADMIN 4), but
// the mapping is spelled out so neither side can drift silently.
namespace ttads::auth {

// ROLE_UNSPECIFIED for Role::kUnspecified.
common::v1::Role RoleToProto(Role role);

// INVALID_ARGUMENT for ROLE_UNSPECIFIED and for numbers the enum does not
// define (proto3 keeps unknown enum numbers). The message names the values
// that are accepted; callers add the field violation.
absl::StatusOr<Role> RoleFromProto(common::v1::Role role);

}  // namespace ttads::auth

#endif  // TTADS_LIBS_AUTH_ROLE_PROTO_H_
