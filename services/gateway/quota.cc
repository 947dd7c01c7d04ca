#include "services/gateway/quota.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "libs/store/key_schema.h"
#include "libs/store/script.h"

namespace ttads::gateway {
namespace {

// KEYS[1] counter; ARGV[1] limit (0 = none); ARGV[2] expire-at (unix s).
// Returns {allowed (1/0), used}.
const store::Script& ChargeScript() {
  static const store::Script* script = new store::Script(R"lua(
local used = redis.call('INCR', KEYS[1])
if used == 1 then redis.call('EXPIREAT', KEYS[1], ARGV[2]) end
local limit = tonumber(ARGV[1])
if limit > 0 and used > limit then
  redis.call('DECR', KEYS[1])
  return {0, used - 1}
end
return {1, used}
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

absl::StatusOr<QuotaUsage> QuotaCounter::Charge(absl::string_view team_id,
                                                absl::string_view tier,
                                                absl::Time now) {
  QuotaUsage usage;
  usage.tier = EffectiveTier(tier);
  auto it = config_.limits.find(usage.tier);
  usage.limit = it == config_.limits.end() ? 0 : it->second;
  absl::Time end = PeriodEnd(now);
  usage.period_end = absl::FormatTime("%Y-%m-%d", end, absl::UTCTimeZone());
  std::string key = store::TeamKey(std::string(team_id),
                                   absl::StrCat("quota:", PeriodOf(now)));
  auto reply = ChargeScript().Run(
      pool_, {key},
      {absl::StrCat(usage.limit),
       absl::StrCat(absl::ToUnixSeconds(end + absl::Hours(24)))});
  if (!reply.ok()) return reply.status();
  if (reply->type != store::RedisReply::Type::kArray ||
      reply->elements.size() != 2) {
    return absl::InternalError("unexpected reply from the quota script");
  }
  usage.allowed = reply->elements[0].integer == 1;
  usage.used = reply->elements[1].integer;
  return usage;
}

nlohmann::json QuotaJson(const QuotaUsage& usage, bool with_upgrade_url,
                         absl::string_view upgrade_url) {
  nlohmann::json j = {{"used", usage.used},
                      {"limit", usage.limit == 0 ? nlohmann::json(nullptr)
                                                 : nlohmann::json(usage.limit)},
                      {"tier", usage.tier},
                      {"period_end", usage.period_end}};
  if (with_upgrade_url) j["upgrade_url"] = std::string(upgrade_url);
  return j;
}

std::string LimitReachedMessage(const QuotaUsage& usage, absl::string_view unit,
                                absl::string_view upgrade_url) {
  std::string tier = usage.tier;
  if (!tier.empty()) tier[0] = absl::ascii_toupper(tier[0]);
  std::string out =
      absl::StrCat("Monthly limit reached (", usage.used, "/", usage.limit, " ",
                   unit, " on ", tier, " tier).");
  if (!upgrade_url.empty()) {
    absl::StrAppend(&out, "\nUpgrade your plan at ", upgrade_url,
                    " to keep building.");
  } else {
    absl::StrAppend(&out, "\nThe limit resets on ", usage.period_end, ".");
  }
  return out;
}

}  // namespace ttads::gateway
