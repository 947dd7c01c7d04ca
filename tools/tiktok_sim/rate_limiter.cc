#include "tools/tiktok_sim/rate_limiter.h"

namespace ttads::tiktok_sim {

std::optional<Tier> ParseTier(std::string_view name) {
  if (name == "basic") return Tier::kBasic;
  if (name == "advanced") return Tier::kAdvanced;
  if (name == "premium") return Tier::kPremium;
  if (name == "ultimate") return Tier::kUltimate;
  if (name == "unlimited") return Tier::kUnlimited;
  return std::nullopt;
}

std::string TierName(Tier tier) {
  switch (tier) {
    case Tier::kBasic:
      return "basic";
    case Tier::kAdvanced:
      return "advanced";
    case Tier::kPremium:
      return "premium";
    case Tier::kUltimate:
      return "ultimate";
    case Tier::kUnlimited:
      return "unlimited";
  }
  return "basic";
}

int AppQps(Tier tier) {
  switch (tier) {
    case Tier::kBasic:
      return 10;
    case Tier::kAdvanced:
      return 20;
    case Tier::kPremium:
      return 30;
    case Tier::kUltimate:
      return 50;
    case Tier::kUnlimited:
      return 0;
  }
  return 0;
}

int AdCreateQps(Tier tier) {
  // Basic is documented (5 QPS); higher tiers keep the same ratio.
  return AppQps(tier) / 2;
}

bool RateLimiter::Allow(const std::string& app, bool is_ad_create, Tier tier,
                        int64_t now_second) {
  int limit = is_ad_create ? AdCreateQps(tier) : AppQps(tier);
  if (limit <= 0) return true;
  Window& w = windows_[{app, is_ad_create}];
  if (w.second != now_second) {
    w.second = now_second;
    w.count = 0;
  }
  if (w.count >= limit) return false;
  ++w.count;
  return true;
}

}  // namespace ttads::tiktok_sim
