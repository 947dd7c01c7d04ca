#ifndef TTADS_SERVICES_ADMIN_TIER_PROTO_H_
#define TTADS_SERVICES_ADMIN_TIER_PROTO_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "ttads/admin/v1/admin_service.pb.h"

// The one mapping between the tier a team record stores (auth::kTierFree,
// kTierStandard, kTierEnterprise: "free", "standard", "enterprise") and the
// contracts' ttads.admin.v1.Tier. The stored names do not change with the
// enum, so team records written before it read unchanged.
namespace ttads::admin {

// The stored name of `tier`. INVALID_ARGUMENT for TIER_UNSPECIFIED and for
// numbers the enum does not declare (proto3 keeps unknown numbers); callers
// choose the default and add the field violation.
absl::StatusOr<std::string> TierName(v1::Tier tier);

// The contract's value of a stored name; TIER_UNSPECIFIED for a name it does
// not know (a record of a later version), so a listing never fails on it.
v1::Tier TierFromName(std::string_view name);

}  // namespace ttads::admin

#endif  // TTADS_SERVICES_ADMIN_TIER_PROTO_H_
