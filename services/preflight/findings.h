#ifndef TTADS_SERVICES_PREFLIGHT_FINDINGS_H_
#define TTADS_SERVICES_PREFLIGHT_FINDINGS_H_

#include <array>
#include <string>
#include <vector>

#include "services/preflight/objectives.h"
#include "services/preflight/sources.h"

// What one publish check established about an advertiser, before it is
// shaped into a response per objective (PublishChecker computes it,
// PublishCheckCache keeps it, BuildResponse in publish_response.h reads it).
namespace ttads::preflight {

// Finding::reason when a prerequisite is not satisfied (the contract's
// Prerequisite.reason, proto/ttads/preflight/v1/preflight_service.proto).
inline constexpr char kReasonNoToken[] = "no_token";
inline constexpr char kReasonNoTtUser[] = "no_tt_user";
inline constexpr char kReasonNotFound[] = "not_found";
inline constexpr char kReasonNoBusinessCenter[] = "no_business_center";
inline constexpr char kReasonPolicyRejected[] = "policy_rejected";
inline constexpr char kReasonApiError[] = "api_error";

// One prerequisite's finding.
struct Finding {
  bool satisfied = false;
  std::vector<FoundAsset> found;
  std::string reason;  // why it is not satisfied: a kReason* above
  std::string fix_hint;
  // Set when reason == kReasonApiError.
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
