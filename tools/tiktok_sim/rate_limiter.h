#ifndef TTADS_TOOLS_TIKTOK_SIM_RATE_LIMITER_H_
#define TTADS_TOOLS_TIKTOK_SIM_RATE_LIMITER_H_

// TikTok's per-app request limits, as fixed one-second windows: requests of
// one app within the same wall-clock second beyond the tier's QPS are refused
// (the simulator answers 40100). `/ad/create/` has its own, lower, budget.
// Not thread-safe.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace ttads::tiktok_sim {

enum class Tier { kBasic, kAdvanced, kPremium, kUltimate, kUnlimited };

std::optional<Tier> ParseTier(std::string_view name);
std::string TierName(Tier tier);
// Requests per second per app; 0 = unlimited.
int AppQps(Tier tier);
int AdCreateQps(Tier tier);

class RateLimiter {
 public:
  // Counts one request of `app` in second `now_second` and says whether it
  // fits the budget. Refused requests do not consume budget.
  bool Allow(const std::string& app, bool is_ad_create, Tier tier,
             int64_t now_second);
  void Clear() { windows_.clear(); }

 private:
  struct Window {
    int64_t second = -1;
    int count = 0;
  };
  std::map<std::pair<std::string, bool>, Window> windows_;
};

}  // namespace ttads::tiktok_sim

#endif  // TTADS_TOOLS_TIKTOK_SIM_RATE_LIMITER_H_
