#include "services/gateway/quota.h"

#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "libs/status/status_macros.h"
#include "libs/store/key_schema.h"
#include "libs/store/script.h"

namespace ttads::gateway {
namespace {

// KEYS[1] counter; ARGV[1] limit (0 = none); ARGV[2] units wanted;
// ARGV[3] expire-at (unix s); ARGV[4] unused units given back first.
// Returns {units granted (0 = refused), count after the grant}.
const store::Script& LeaseScript() {
  static const store::Script* script = new store::Script(R"lua(
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
local back = math.min(tonumber(ARGV[4]), count)
if back > 0 then count = redis.call('DECRBY', KEYS[1], back) end
local want = tonumber(ARGV[2])
local limit = tonumber(ARGV[1])
if limit > 0 then
  local room = limit - count
  if room <= 0 then return {0, count} end
  want = math.min(want, math.max(1, math.floor(room / 16)), room)
end
count = redis.call('INCRBY', KEYS[1], want)
if redis.call('TTL', KEYS[1]) < 0 then
  redis.call('EXPIREAT', KEYS[1], ARGV[3])
end
return {want, count}
)lua");
  return *script;
}

}  // namespace

absl::StatusOr<std::map<std::string, int64_t>> ParseQuotaTiers(
    absl::string_view spec) {
  std::map<std::string, int64_t> out;
  for (absl::string_view entry :
       absl::StrSplit(spec, ',', absl::SkipWhitespace())) {
    entry = absl::StripAsciiWhitespace(entry);
    std::vector<absl::string_view> kv = absl::StrSplit(entry, ':');
    int64_t limit;
    if (kv.size() != 2 || kv[0].empty() || !absl::SimpleAtoi(kv[1], &limit) ||
        limit < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("quota tier entry \"", entry,
                       "\" must be <tier>:<calls per month> (0 = unlimited)"));
    }
    out[std::string(absl::StripAsciiWhitespace(kv[0]))] = limit;
  }
  if (out.empty()) {
    return absl::InvalidArgumentError("at least one quota tier is required");
  }
  return out;
}

QuotaCounter::QuotaCounter(store::RedisPool& pool, QuotaConfig config)
    : pool_(pool), config_(std::move(config)) {}

std::string QuotaCounter::EffectiveTier(absl::string_view team_tier) const {
  if (!team_tier.empty() && config_.limits.count(std::string(team_tier))) {
    return std::string(team_tier);
  }
  return config_.default_tier;
}

std::string QuotaCounter::PeriodOf(absl::Time now) {
  return absl::FormatTime("%Y-%m", now, absl::UTCTimeZone());
}

absl::Time QuotaCounter::PeriodEnd(absl::Time now) {
  absl::CivilMonth month = absl::ToCivilMonth(now, absl::UTCTimeZone());
  return absl::FromCivil(month + 1, absl::UTCTimeZone());
}

QuotaUsage QuotaCounter::Describe(absl::string_view tier,
                                  absl::Time now) const {
  QuotaUsage usage;
  usage.tier = EffectiveTier(tier);
  auto it = config_.limits.find(usage.tier);
  usage.limit = it == config_.limits.end() ? 0 : it->second;
  usage.period_end =
      absl::FormatTime("%Y-%m-%d", PeriodEnd(now), absl::UTCTimeZone());
  return usage;
}

std::shared_ptr<QuotaCounter::Lease> QuotaCounter::LeaseOf(
    absl::string_view team_id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = leases_.find(team_id);
  if (it != leases_.end()) return it->second;
  auto lease = std::make_shared<Lease>();
  leases_.emplace(std::string(team_id), lease);
  return lease;
}

std::optional<QuotaUsage> QuotaCounter::TakeLocked(Lease& lease,
                                                   const QuotaUsage& base,
                                                   const std::string& period,
                                                   absl::Time now) {
  if (lease.period != period) {
    // A new month: last month's lease is worthless.
    lease.period = period;
    lease.top = 0;
    lease.left = 0;
    lease.next_size = 1;
    lease.granted = absl::InfinitePast();
    lease.refused_until = absl::InfinitePast();
    return std::nullopt;
  }
  if (now < lease.refused_until) {
    QuotaUsage usage = base;
    usage.used = lease.top;
    usage.allowed = false;
    return usage;
  }
  if (lease.left > 0 && now - lease.granted < config_.lease_ttl) {
    --lease.left;
    QuotaUsage usage = base;
    usage.used = lease.top - lease.left;
    return usage;
  }
  return std::nullopt;
}

std::optional<QuotaUsage> QuotaCounter::TryChargeFromLease(
    absl::string_view team_id, absl::string_view tier, absl::Time now) {
  QuotaUsage base = Describe(tier, now);
  std::string period = PeriodOf(now);
  std::lock_guard<std::mutex> lock(mu_);
  auto it = leases_.find(team_id);
  if (it == leases_.end()) return std::nullopt;
  return TakeLocked(*it->second, base, period, now);
}

absl::StatusOr<QuotaUsage> QuotaCounter::Charge(absl::string_view team_id,
                                                absl::string_view tier,
                                                absl::Time now) {
  QuotaUsage base = Describe(tier, now);
  std::string period = PeriodOf(now);
  std::shared_ptr<Lease> lease = LeaseOf(team_id);
  std::lock_guard<std::mutex> refill(lease->refill_mu);
  int64_t give_back;
  int64_t want;
  {
    std::lock_guard<std::mutex> lock(mu_);
    // Another thread may have refilled while this one waited.
    if (auto usage = TakeLocked(*lease, base, period, now)) return *usage;
    give_back = lease->left;
    const bool used_up_in_time =
        lease->left == 0 && now - lease->granted < config_.lease_ttl;
    if (used_up_in_time) {
      lease->next_size = std::min(lease->next_size * 2, config_.max_lease);
    } else if (lease->left > 0) {
      lease->next_size = 1;  // Expired half-used: the team went quiet.
    } else {
      lease->next_size = std::max<int64_t>(1, lease->next_size / 2);
    }
    want = std::max<int64_t>(1, std::min(lease->next_size, config_.max_lease));
    lease->left = 0;  // Given back (or lost if the script fails).
    ++redis_calls_;
  }
  std::string key =
      store::TeamKey(std::string(team_id), absl::StrCat("quota:", period));
  TTADS_ASSIGN_OR_RETURN(
      store::RedisReply reply,
      LeaseScript().Run(
          pool_, {key},
          {absl::StrCat(base.limit), absl::StrCat(want),
           absl::StrCat(absl::ToUnixSeconds(PeriodEnd(now) + absl::Hours(24))),
           absl::StrCat(give_back)}));
  if (reply.type != store::RedisReply::Type::kArray ||
      reply.elements.size() != 2) {
    return absl::InternalError("unexpected reply from the quota script");
  }
  const int64_t granted = reply.elements[0].integer;
  const int64_t count = reply.elements[1].integer;
  std::lock_guard<std::mutex> lock(mu_);
  lease->top = count;
  lease->left = granted;
  lease->granted = now;
  if (granted == 0) lease->refused_until = now + config_.lease_ttl;
  auto usage = TakeLocked(*lease, base, period, now);
  if (!usage.has_value()) {
    return absl::InternalError("quota lease could not be used");
  }
  return *usage;
}

void QuotaCounter::ReleaseLeases() {
  std::vector<std::pair<std::string, std::shared_ptr<Lease>>> all;
  {
    std::lock_guard<std::mutex> lock(mu_);
    all.assign(leases_.begin(), leases_.end());
  }
  for (auto& [team_id, lease] : all) {
    std::lock_guard<std::mutex> refill(lease->refill_mu);
    int64_t give_back;
    std::string period;
    {
      std::lock_guard<std::mutex> lock(mu_);
      give_back = lease->left;
      period = lease->period;
      lease->left = 0;
      if (give_back > 0) ++redis_calls_;
    }
    if (give_back == 0) continue;
    std::string key = store::TeamKey(team_id, absl::StrCat("quota:", period));
    // Limit 0 and nothing wanted: only the give-back.
    (void)LeaseScript().Run(pool_, {key},
                            {"0", "0", "0", absl::StrCat(give_back)});
  }
}

int64_t QuotaCounter::redis_calls() const {
  std::lock_guard<std::mutex> lock(mu_);
  return redis_calls_;
}

}  // namespace ttads::gateway
