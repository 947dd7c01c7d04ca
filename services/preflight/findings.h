#ifndef TTADS_SERVICES_PREFLIGHT_FINDINGS_H_
#define TTADS_SERVICES_PREFLIGHT_FINDINGS_H_

#include <array>
#include <string>
#include <vector>

#include "services/preflight/objectives.h"
#include "services/preflight/sources.h"

// What one publish check established about an advertiser, before it is
// shaped into a response per objective (PublishChecker computes it,
// PublishCheckCache keeps it, BuildResponse reads it).
namespace ttads::preflight {

// One prerequisite's finding.
struct Finding {
  bool satisfied = false;
  std::vector<FoundAsset> found;
  std::string reason;
  std::string fix_hint;
  // Set when reason == "api_error".
  int tiktok_code = 0;
  std::string tiktok_message;
  std::string tiktok_request_id;
};

// Every prerequisite's finding for one advertiser. Only the prerequisites in
// `known` were looked at; `cacheable` is false when any finding is
// unverified for a transient reason (an upstream failure, or no token).
struct Findings {
  std::string advertiser_id;
  PrerequisiteSet known;
  std::array<Finding, kPrerequisiteCount> by_prerequisite;
  bool cacheable = true;
};

}  // namespace ttads::preflight

#endif  // TTADS_SERVICES_PREFLIGHT_FINDINGS_H_
