#include "services/gateway/quota_answer.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace ttads::gateway {

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
