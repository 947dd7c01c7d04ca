#include "services/admin/tier_proto.h"

#include "absl/status/status.h"
#include "libs/auth/team_store.h"

namespace ttads::admin {

absl::StatusOr<std::string> TierName(v1::Tier tier) {
  switch (tier) {
    case v1::TIER_FREE:
      return std::string(auth::kTierFree);
    case v1::TIER_STANDARD:
      return std::string(auth::kTierStandard);
    case v1::TIER_ENTERPRISE:
      return std::string(auth::kTierEnterprise);
    default:
      return absl::InvalidArgumentError(
          "tier must be TIER_FREE, TIER_STANDARD or TIER_ENTERPRISE");
  }
}

v1::Tier TierFromName(std::string_view name) {
  if (name == auth::kTierFree) return v1::TIER_FREE;
  if (name == auth::kTierStandard) return v1::TIER_STANDARD;
  if (name == auth::kTierEnterprise) return v1::TIER_ENTERPRISE;
  return v1::TIER_UNSPECIFIED;
}

}  // namespace ttads::admin
