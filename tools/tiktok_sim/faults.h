#ifndef TTADS_TOOLS_TIKTOK_SIM_FAULTS_H_
#define TTADS_TOOLS_TIKTOK_SIM_FAULTS_H_

// Fault injection rules for the simulator. A rule matches requests whose path
// starts with `path_prefix` (either the full path, "/open_api/v1.3/ad/create/",
// or the API-relative one, "/ad/create/"; empty matches every API path).
// Rules are tried in the order added; the first one that matches, still has
// budget (`count`) and wins its `rate` roll is applied. Rolls use a seeded
// generator, so a run is reproducible. Not thread-safe.

#include <optional>
#include <random>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"

namespace ttads::tiktok_sim {

enum class FaultMode {
  kCode,              // Envelope with `code` (HTTP 200); nothing applied.
  kHttpStatus,        // HTTP `http_status`; nothing applied.
  kLatency,           // Wait `latency_ms` (timer), then process normally.
  kDrop,              // Close the connection without a response.
  kApplyThenTimeout,  // Process (the write happens), then hold the answer
                      // for `latency_ms`, or drop it when latency_ms is 0.
};

struct FaultRule {
  std::string path_prefix;
  FaultMode mode = FaultMode::kCode;
  int code = 50000;
  int http_status = 503;
  int latency_ms = 0;
  double rate = 1.0;     // Probability in [0, 1].
  long long count = -1;  // Times it may still fire; -1 = unlimited.
  int id = 0;            // Assigned by FaultSet::Add.
  long long fired = 0;
};

// Parses the control-API JSON form; INVALID_ARGUMENT names the bad field.
absl::StatusOr<FaultRule> ParseFaultRule(const nlohmann::json& j);
nlohmann::json FaultRuleToJson(const FaultRule& rule);
std::string FaultModeName(FaultMode mode);

class FaultSet {
 public:
  int Add(FaultRule rule);
  void Clear();
  // The rule to apply to a request for `rel_path` ("/ad/create/"), if any;
  // consumes one unit of its count.
  std::optional<FaultRule> Pick(const std::string& rel_path);
  nlohmann::json ToJson() const;

 private:
  std::vector<FaultRule> rules_;
  int next_id_ = 1;
  std::mt19937_64 rng_{1234567};
};

}  // namespace ttads::tiktok_sim

#endif  // TTADS_TOOLS_TIKTOK_SIM_FAULTS_H_
