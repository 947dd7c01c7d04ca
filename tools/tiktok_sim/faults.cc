#include "tools/tiktok_sim/faults.h"

#include "absl/strings/str_cat.h"

namespace ttads::tiktok_sim {
namespace {

constexpr char kApiRoot[] = "/open_api/v1.3";

}  // namespace

std::string FaultModeName(FaultMode mode) {
  switch (mode) {
    case FaultMode::kCode:
      return "code";
    case FaultMode::kHttpStatus:
      return "http_status";
    case FaultMode::kLatency:
      return "latency";
    case FaultMode::kDrop:
      return "drop";
    case FaultMode::kApplyThenTimeout:
      return "apply_then_timeout";
  }
  return "code";
}

absl::StatusOr<FaultRule> ParseFaultRule(const nlohmann::json& j) {
  if (!j.is_object()) return absl::InvalidArgumentError("rule: not an object");
  FaultRule r;
  try {
    r.path_prefix = j.value("path_prefix", "");
    std::string mode = j.value("mode", "");
    if (mode == "code") {
      r.mode = FaultMode::kCode;
    } else if (mode == "http_status") {
      r.mode = FaultMode::kHttpStatus;
    } else if (mode == "latency") {
      r.mode = FaultMode::kLatency;
    } else if (mode == "drop") {
      r.mode = FaultMode::kDrop;
    } else if (mode == "apply_then_timeout") {
      r.mode = FaultMode::kApplyThenTimeout;
    } else {
      return absl::InvalidArgumentError(absl::StrCat(
          "mode: must be code|http_status|latency|drop|apply_then_timeout, "
          "got \"",
          mode, "\""));
    }
    r.code = j.value("code", 50000);
    r.http_status = j.value("http_status", 503);
    r.latency_ms = j.value("latency_ms", 0);
    r.rate = j.value("rate", 1.0);
    r.count = j.value("count", -1LL);
  } catch (const nlohmann::json::exception& e) {
    return absl::InvalidArgumentError(absl::StrCat("rule: ", e.what()));
  }
  if (r.rate < 0 || r.rate > 1) {
    return absl::InvalidArgumentError("rate: must be in [0, 1]");
  }
  if (r.latency_ms < 0 || r.latency_ms > 600000) {
    return absl::InvalidArgumentError("latency_ms: must be in [0, 600000]");
  }
  if (r.http_status < 100 || r.http_status > 599) {
    return absl::InvalidArgumentError("http_status: must be in [100, 599]");
  }
  if (r.mode == FaultMode::kLatency && r.latency_ms == 0) {
    return absl::InvalidArgumentError("latency_ms: required for latency mode");
  }
  return r;
}

nlohmann::json FaultRuleToJson(const FaultRule& r) {
  return {{"id", r.id},
          {"path_prefix", r.path_prefix},
          {"mode", FaultModeName(r.mode)},
          {"code", r.code},
          {"http_status", r.http_status},
          {"latency_ms", r.latency_ms},
          {"rate", r.rate},
          {"count", r.count},
          {"fired", r.fired}};
}

int FaultSet::Add(FaultRule rule) {
  rule.id = next_id_++;
  rule.fired = 0;
  rules_.push_back(rule);
  return rule.id;
}

void FaultSet::Clear() {
  rules_.clear();
  rng_.seed(1234567);
}

std::optional<FaultRule> FaultSet::Pick(const std::string& rel_path) {
  const std::string full_path = absl::StrCat(kApiRoot, rel_path);
  for (auto& r : rules_) {
    if (r.count == 0) continue;
    const std::string& path =
        r.path_prefix.rfind("/open_api/", 0) == 0 ? full_path : rel_path;
    if (path.rfind(r.path_prefix, 0) != 0) continue;
    if (r.rate < 1.0) {
      double roll = std::uniform_real_distribution<double>(0.0, 1.0)(rng_);
      if (roll >= r.rate) continue;
    }
    if (r.count > 0) --r.count;
    ++r.fired;
    return r;
  }
  return std::nullopt;
}

nlohmann::json FaultSet::ToJson() const {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& r : rules_) out.push_back(FaultRuleToJson(r));
  return out;
}

}  // namespace ttads::tiktok_sim
