#include "services/gateway/admission.h"

#include "absl/strings/str_cat.h"
#include "libs/status/status_macros.h"

namespace ttads::gateway {

Admission::Admission(auth::TeamStore& teams, QuotaCounter& quota,
                     absl::Duration tier_ttl)
    : teams_(teams), quota_(quota), tier_ttl_(tier_ttl) {}

Attempt<auth::Principal> Admission::Authenticate(const std::string& api_key,
                                                 bool may_block) {
  if (std::optional<auth::Principal> known =
          teams_.AuthenticateWithoutIo(api_key)) {
    return *std::move(known);
  }
  if (!may_block) return std::nullopt;
  return teams_.Authenticate(api_key);
}

Attempt<QuotaUsage> Admission::Charge(const std::string& team_id,
                                      bool may_block) {
  std::optional<std::string> tier = CachedTier(team_id);
  if (!tier.has_value()) {
    if (!may_block) return std::nullopt;
    TTADS_ASSIGN_OR_RETURN(tier, TierOf(team_id));
  }
  absl::Time now = absl::Now();
  if (std::optional<QuotaUsage> usage =
          quota_.TryChargeFromLease(team_id, *tier, now)) {
    return *std::move(usage);
  }
  if (!may_block) return std::nullopt;
  absl::StatusOr<QuotaUsage> charged = quota_.Charge(team_id, *tier, now);
  if (!charged.ok()) {
    return absl::UnavailableError(
        absl::StrCat("quota store unavailable: ", charged.status().message()));
  }
  return *std::move(charged);
}

std::optional<std::string> Admission::CachedTier(const std::string& team_id) {
  std::lock_guard<std::mutex> lock(tier_mu_);
  auto it = tier_cache_.find(team_id);
  if (it != tier_cache_.end() && it->second.second > absl::Now()) {
    return it->second.first;
  }
  return std::nullopt;
}

absl::StatusOr<std::string> Admission::TierOf(const std::string& team_id) {
  TTADS_ASSIGN_OR_RETURN(auth::Team team, teams_.GetTeam(team_id));
  std::lock_guard<std::mutex> lock(tier_mu_);
  if (tier_cache_.size() > 100000) tier_cache_.clear();
  tier_cache_[team_id] = {team.tier, absl::Now() + tier_ttl_};
  return team.tier;
}

}  // namespace ttads::gateway
