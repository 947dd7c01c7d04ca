#ifndef TTADS_SERVICES_GATEWAY_QUOTA_ANSWER_H_
#define TTADS_SERVICES_GATEWAY_QUOTA_ANSWER_H_

// How a team's quota (QuotaUsage, quota.h) is shown in answers: the "quota"
// object of a response and the text of a 429.

#include <string>

#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"
#include "services/gateway/quota.h"

namespace ttads::gateway {

// {"used", "limit" (null when unlimited), "tier", "period_end"} plus
// "upgrade_url" when `with_upgrade_url`.
nlohmann::json QuotaJson(const QuotaUsage& usage, bool with_upgrade_url,
                         absl::string_view upgrade_url);

// "Monthly limit reached (150/150 tool calls on Plus tier).\nUpgrade your
// plan at <upgrade_url> to keep building." (`unit` is "tool calls" or "API
// calls"); without an upgrade_url the second line says when the limit
// resets.
std::string LimitReachedMessage(const QuotaUsage& usage, absl::string_view unit,
                                absl::string_view upgrade_url);

}  // namespace ttads::gateway

#endif  // TTADS_SERVICES_GATEWAY_QUOTA_ANSWER_H_
