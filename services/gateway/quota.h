#ifndef TTADS_SERVICES_GATEWAY_QUOTA_H_
#define TTADS_SERVICES_GATEWAY_QUOTA_H_

// Monthly call budgets per team (Adspirer's "150/150 tool calls on Plus
// tier"). The tier comes from the team record (libs/auth); each tier has a
// configurable monthly limit (0 = unlimited).
//
// The month's count lives in Redis at `ttads:{team:<id>}:quota:<YYYY-MM>`
// (UTC month) and expires a day after the period ends. A gateway does not
// call Redis for every request: it LEASES a block of units with one atomic
// Lua script (return the unused part of the previous lease, then INCRBY the
// grant, capped so the count never passes a non-zero limit) and hands the
// units out from memory. Rules that keep the figures honest:
// - Leases start at one unit and double (up to `max_lease`) only while a
//   team uses each lease up within `lease_ttl`; a quiet team is counted one
//   Redis call per request, exactly as before.
// - With a limit, a grant is at most 1/16 of what is left (at least 1), so
//   near the limit every unit is leased singly and the limit is exact across
//   any number of gateways.
// - A lease not used up within `lease_ttl` is returned (its unused units are
//   given back) the next time the team calls; ReleaseLeases() gives back
//   every lease (call it on shutdown). A crashed gateway over-counts at most
//   its outstanding leases.
// - A refused call does NOT count: `used` never exceeds `limit`, and a team
//   that stops at the limit sees "150/150" until the period ends. A refusal
//   is remembered for `lease_ttl`, so a team hammering at its limit costs
//   Redis one call per `lease_ttl`, not one per request.
// - `used` is the Redis count after this process's last lease minus the
//   units it has not handed out yet: exact with one gateway; with several it
//   may run ahead by the other gateways' unused leases (bounded as above).
// Calls that were forwarded count whatever the backend answered (the work
// was attempted).
//
// The period ends at 00:00 UTC on the first day of the next month;
// `period_end` is that day as "YYYY-MM-DD".

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
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
  // Largest block of units leased from Redis at once (1 = count every call
  // in Redis).
  int64_t max_lease = 256;
  // A lease older than this is given back and replaced; a refusal is
  // remembered this long.
  absl::Duration lease_ttl = absl::Seconds(1);
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

  // Counts one call of `team_id` on `tier` at `now` from this process's
  // lease, without I/O. nullopt when that needs Redis (no lease, lease used
  // up or expired): then call Charge().
  std::optional<QuotaUsage> TryChargeFromLease(absl::string_view team_id,
                                               absl::string_view tier,
                                               absl::Time now);

  // Counts one call, leasing from Redis when needed (blocking). When it
  // would exceed the limit nothing is counted and `allowed` is false.
  // UNAVAILABLE when Redis is (the gateway then refuses the call rather than
  // serve it uncounted).
  absl::StatusOr<QuotaUsage> Charge(absl::string_view team_id,
                                    absl::string_view tier, absl::Time now);

  // Gives every unused leased unit back to Redis (blocking). For shutdown.
  void ReleaseLeases();

  // How many lease scripts ran against Redis (for tests and metrics).
  int64_t redis_calls() const;

  // The tier whose limit applies to a team record's tier.
  std::string EffectiveTier(absl::string_view team_tier) const;
  const QuotaConfig& config() const { return config_; }

  // "YYYY-MM" of `now` (UTC) and the first day of the next month.
  static std::string PeriodOf(absl::Time now);
  static absl::Time PeriodEnd(absl::Time now);

 private:
  // One team's lease in the current period.
  struct Lease {
    std::mutex refill_mu;   // One Redis refill per team at a time.
    std::string period;     // "YYYY-MM" the lease belongs to.
    int64_t top = 0;        // Redis count right after our last grant.
    int64_t left = 0;       // Units of the lease not handed out yet.
    int64_t next_size = 1;  // What the next lease asks for.
    absl::Time granted;     // When the current lease was granted.
    absl::Time refused_until = absl::InfinitePast();
  };

  QuotaUsage Describe(absl::string_view tier, absl::Time now) const;
  std::shared_ptr<Lease> LeaseOf(absl::string_view team_id);
  // Under mu_: hands out one unit of `lease` or reports the refusal; nullopt
  // when Redis is needed.
  std::optional<QuotaUsage> TakeLocked(Lease& lease, const QuotaUsage& base,
                                       const std::string& period,
                                       absl::Time now);

  store::RedisPool& pool_;
  QuotaConfig config_;
  mutable std::mutex mu_;
  std::map<std::string, std::shared_ptr<Lease>, std::less<>> leases_;
  int64_t redis_calls_ = 0;
};

}  // namespace ttads::gateway

#endif  // TTADS_SERVICES_GATEWAY_QUOTA_H_
