#ifndef TTADS_SERVICES_GATEWAY_ADMISSION_H_
#define TTADS_SERVICES_GATEWAY_ADMISSION_H_

// Admission, the gateway's first step for a routed request: who is calling
// (the API key → the team) and whether the team's monthly quota has room
// for one more call (the team's tier → its limit → one unit charged).
//
// Each step is first tried from memory (the team store's key cache, a tier
// cache of `tier_ttl`, the quota counter's current lease). With `may_block`
// false a step that needs Redis answers "not ready" (nullopt) without doing
// anything, so HTTP I/O threads never wait on Redis; the caller repeats it
// on a blocking thread with `may_block` true.
//
// Errors: UNAUTHENTICATED for a missing, malformed, unknown or revoked key;
// the team store's error when the tier cannot be read; UNAVAILABLE "quota
// store unavailable: ..." when the quota cannot be counted (calls are never
// served uncounted). A team over its limit is not an error: the returned
// usage has `allowed` false and nothing was charged (quota.h).

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/auth/team_store.h"
#include "services/gateway/quota.h"

namespace ttads::gateway {

// A step's answer when tried without I/O: nullopt = needs a blocking thread.
template <typename T>
using Attempt = std::optional<absl::StatusOr<T>>;

class Admission {
 public:
  Admission(auth::TeamStore& teams, QuotaCounter& quota,
            absl::Duration tier_ttl = absl::Seconds(30));

  Attempt<auth::Principal> Authenticate(const std::string& api_key,
                                        bool may_block);
  // Charges one call to `team_id`'s monthly quota.
  Attempt<QuotaUsage> Charge(const std::string& team_id, bool may_block);

  const QuotaConfig& quota_config() const { return quota_.config(); }

 private:
  std::optional<std::string> CachedTier(const std::string& team_id);
  absl::StatusOr<std::string> TierOf(const std::string& team_id);

  auth::TeamStore& teams_;
  QuotaCounter& quota_;
  const absl::Duration tier_ttl_;

  std::mutex tier_mu_;
  std::map<std::string, std::pair<std::string, absl::Time>> tier_cache_;
};

}  // namespace ttads::gateway

#endif  // TTADS_SERVICES_GATEWAY_ADMISSION_H_
