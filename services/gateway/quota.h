#ifndef TTADS_SERVICES_GATEWAY_QUOTA_H_
#define TTADS_SERVICES_GATEWAY_QUOTA_H_

// Monthly call budgets per team (Adspirer's "150/150 tool calls on Plus
// tier"). The tier comes from the team record (libs/auth); each tier has a
// configurable monthly limit (0 = unlimited).
//
// Counting is one atomic Lua script on the team's key
// `ttads:{team:<id>}:quota:<YYYY-MM>` (UTC month): INCR; on the first call of
// the month EXPIREAT the end of the month (plus a day of grace so the last
// second's count is still readable); when the new count exceeds a non-zero
// limit the increment is undone and the call is refused. So a refused call
// does NOT count: `used` never exceeds `limit`, and a team that stops at the
// limit sees "150/150" until the period ends. Calls that were forwarded count
// whatever the backend answered (the work was attempted).
//
// The period ends at 00:00 UTC on the first day of the next month;
// `period_end` is that day as "YYYY-MM-DD".

#include <cstdint>
#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "libs/store/redis.h"
#include "nlohmann/json.hpp"

namespace ttads::gateway {

struct QuotaConfig {
  // Tier name -> calls per month; 0 = unlimited.
  std::map<std::string, int64_t> limits;
  // Applied to a team whose tier is empty or not in `limits`.
  std::string default_tier = "free";
  // Where the 429 sends people.
  std::string upgrade_url;
};

// Parses "free:100,plus:150,pro:5000,enterprise:0". INVALID_ARGUMENT naming
// the bad entry.
absl::StatusOr<std::map<std::string, int64_t>> ParseQuotaTiers(
    absl::string_view spec);

struct QuotaUsage {
  int64_t used = 0;
  int64_t limit = 0;  // 0 = unlimited
  std::string tier;
  std::string period_end;  // "YYYY-MM-DD"
  bool allowed = true;
};

class QuotaCounter {
 public:
  QuotaCounter(store::RedisPool& pool, QuotaConfig config);

  // Counts one call of `team_id` on `tier` at `now`; when it would exceed the
  // limit nothing is counted and `allowed` is false. UNAVAILABLE when Redis
  // is (the gateway then refuses the call rather than serve it uncounted).
  absl::StatusOr<QuotaUsage> Charge(absl::string_view team_id,
                                    absl::string_view tier, absl::Time now);

  // The tier whose limit applies to a team record's tier.
  std::string EffectiveTier(absl::string_view team_tier) const;
  const QuotaConfig& config() const { return config_; }

  // "YYYY-MM" of `now` (UTC) and the first day of the next month.
  static std::string PeriodOf(absl::Time now);
  static absl::Time PeriodEnd(absl::Time now);

 private:
  store::RedisPool& pool_;
  QuotaConfig config_;
};

// {"used", "limit" (null when unlimited), "tier", "period_end"} plus
// "upgrade_url" when `with_upgrade_url`.
nlohmann::json QuotaJson(const QuotaUsage& usage, bool with_upgrade_url,
                         absl::string_view upgrade_url);

// "Monthly limit reached (150/150 tool calls on Plus tier).\nUpgrade at
// <url> to keep building." (`unit` is "tool calls" or "API calls").
std::string LimitReachedMessage(const QuotaUsage& usage, absl::string_view unit,
                                absl::string_view upgrade_url);

}  // namespace ttads::gateway

#endif  // TTADS_SERVICES_GATEWAY_QUOTA_H_
