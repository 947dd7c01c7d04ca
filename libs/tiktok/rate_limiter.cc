#include "libs/tiktok/rate_limiter.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace ttads::tiktok {
namespace {

double AppQps(Tier tier) {
  switch (tier) {
    case Tier::kBasic:
      return 10;
    case Tier::kAdvanced:
      return 20;
    case Tier::kPremium:
      return 30;
    case Tier::kUltimate:
      return 50;
    case Tier::kSandbox:
      return 1;
  }
  return 10;
}

absl::Duration Interval(double qps, double headroom) {
  headroom = std::clamp(headroom, 0.05, 1.0);
  return absl::Seconds(1.0 / (qps * headroom));
}

constexpr double kAdCreateBasicQps = 150.0 / 60.0;  // min(5 QPS, 150 QPM)
constexpr double kSandboxQps = 30.0 / 60.0;         // min(1 QPS, 30 QPM)

}  // namespace

absl::StatusOr<Tier> ParseTier(absl::string_view text) {
  std::string lower = absl::AsciiStrToLower(text);
  if (lower == "basic") return Tier::kBasic;
  if (lower == "advanced") return Tier::kAdvanced;
  if (lower == "premium") return Tier::kPremium;
  if (lower == "ultimate") return Tier::kUltimate;
  if (lower == "sandbox") return Tier::kSandbox;
  return absl::InvalidArgumentError(absl::StrCat(
      "TTADS_TIKTOK_TIER: must be one of basic, advanced, premium, ultimate, "
      "sandbox, got \"",
      text, "\""));
}

absl::string_view WorkClassName(WorkClass work_class) {
  switch (work_class) {
    case WorkClass::kInteractive:
      return "interactive";
    case WorkClass::kBackground:
      return "background";
    case WorkClass::kBulk:
      return "bulk";
  }
  return "interactive";
}

absl::string_view TierName(Tier tier) {
  switch (tier) {
    case Tier::kBasic:
      return "basic";
    case Tier::kAdvanced:
      return "advanced";
    case Tier::kPremium:
      return "premium";
    case Tier::kUltimate:
      return "ultimate";
    case Tier::kSandbox:
      return "sandbox";
  }
  return "basic";
}

std::vector<Bucket> BucketsFor(const RateLimitPolicy& policy,
                               const RateLimitRequest& request) {
  absl::string_view path = request.path;
  absl::ConsumePrefix(&path, "/");
  std::vector<Bucket> buckets;
  if (policy.tier == Tier::kSandbox) {
    buckets.push_back({absl::StrCat("endpoint:", path),
                       Interval(kSandboxQps, policy.headroom)});
  } else {
    double app_qps = AppQps(policy.tier);
    buckets.push_back({"app", Interval(app_qps, policy.headroom)});
    if (path == "ad/create/") {
      double qps = kAdCreateBasicQps * app_qps / AppQps(Tier::kBasic);
      buckets.push_back(
          {"endpoint:ad/create/", Interval(qps, policy.headroom)});
    }
  }
  if (policy.advertiser_qps > 0 && !request.advertiser_id.empty()) {
    buckets.push_back({absl::StrCat("advertiser:", request.advertiser_id),
                       Interval(policy.advertiser_qps, policy.headroom)});
  }
  return buckets;
}

std::string BucketKey(absl::string_view app_id, absl::string_view bucket) {
  return absl::StrCat("ttads:ratelimit:{app:", app_id, "}:", bucket);
}

std::string LaneKey(absl::string_view app_id, WorkClass work_class,
                    absl::string_view part) {
  return BucketKey(app_id,
                   absl::StrCat("lane:", WorkClassName(work_class), ":", part));
}

}  // namespace ttads::tiktok
