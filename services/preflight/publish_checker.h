#ifndef TTADS_SERVICES_PREFLIGHT_PUBLISH_CHECKER_H_
#define TTADS_SERVICES_PREFLIGHT_PUBLISH_CHECKER_H_

#include <cstddef>
#include <functional>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "libs/connections/token_resolver.h"
#include "libs/server/call_context.h"
#include "services/preflight/findings.h"
#include "services/preflight/objectives.h"
#include "services/preflight/publish_check_cache.h"
#include "services/preflight/single_flight.h"
#include "services/preflight/sources.h"
#include "ttads/preflight/v1/preflight_service.pb.h"

namespace ttads::preflight {

struct CheckerOptions {
  // How long a computed answer is reused for the same caller (team, member,
  // role) and advertiser, without touching Redis, the identity service or
  // TikTok. Answers with an upstream failure or `no_token` are never reused.
  // Zero disables the in-process cache.
  absl::Duration result_ttl = absl::Seconds(2);
  // Bound on cached answers (expired ones are swept when it is reached).
  size_t max_cached_results = 10000;
  // Most objectives one BatchPublishCheck may carry.
  int max_batch = 20;
  std::function<absl::Time()> clock = [] { return absl::Now(); };
};

// Wevion's publish preflight: does the advertiser have what each requested
// objective needs (objectives.h)?
//
// - The token and advertiser follow the shared token resolution
//   (libs/connections/token_resolver.h): no advertiser id → the first
//   advertiser of the resolved token.
// - Nothing connected → `ready: false`, identity missing with reason
//   `no_token` (other required prerequisites are reported unverified with the
//   same reason, not missing).
// - An upstream failure (TikTok, or the identity service) is reported on the
//   prerequisite as `api_error` with TikTok's code and request id, never as a
//   missing asset, and the answer is not cached.
// - Several objectives share one look-up per asset type; an asset list is
//   asked for only when some objective needs it (TRAFFIC asks for none).
// - Concurrent identical checks are coalesced (single flight), and answers
//   are reused for CheckerOptions::result_ttl (publish_check_cache.h).
//
// Errors: INVALID_ARGUMENT (BadRequest on `objective` / `objectives`) for
// an empty or unknown objective or too many objectives; PERMISSION_DENIED
// (ADVERTISER_NOT_REACHABLE) when no usable token reaches the advertiser;
// UNAUTHENTICATED / PERMISSION_DENIED passed through from the identity
// service; UNAVAILABLE when Redis is.
class PublishChecker {
 public:
  PublishChecker(const connections::TokenResolver* tokens, AssetSource* assets,
                 IdentitySource* identities, CheckerOptions options = {});

  absl::StatusOr<v1::PublishCheckResponse> Check(
      const server::CallContext& call, const v1::PublishCheckRequest& request);

  // The same answer as Check() when it can be given from memory alone (a
  // fresh cached answer, or a request that is invalid on its face); nullopt
  // when computing it would need Redis, identity or TikTok. Never blocks:
  // the server calls it on gRPC's own thread to skip the work-queue hop.
  std::optional<absl::StatusOr<v1::PublishCheckResponse>> TryCheckFromCache(
      const server::CallContext& call, const v1::PublishCheckRequest& request);

  absl::StatusOr<v1::BatchPublishCheckResponse> CheckBatch(
      const server::CallContext& call,
      const v1::BatchPublishCheckRequest& request);

  // What a check established (findings.h).
  using Finding = preflight::Finding;
  using Findings = preflight::Findings;

 private:
  absl::StatusOr<Findings> Gather(const server::CallContext& call,
                                  const std::string& advertiser_id,
                                  const std::string& business_center_id,
                                  PrerequisiteSet needs);
  absl::StatusOr<Findings> Compute(const server::CallContext& call,
                                   const std::string& advertiser_id,
                                   const std::string& business_center_id,
                                   PrerequisiteSet needs);

  const connections::TokenResolver* tokens_;
  AssetSource* assets_;
  IdentitySource* identities_;
  const CheckerOptions options_;
  PublishCheckCache cache_;
  SingleFlight<absl::StatusOr<Findings>> flights_;
};

}  // namespace ttads::preflight

#endif  // TTADS_SERVICES_PREFLIGHT_PUBLISH_CHECKER_H_
