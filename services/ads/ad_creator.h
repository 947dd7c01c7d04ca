#ifndef TTADS_SERVICES_ADS_AD_CREATOR_H_
#define TTADS_SERVICES_ADS_AD_CREATOR_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/connections/connection_store.h"
#include "libs/connections/token_resolver.h"
#include "libs/server/call_context.h"
#include "libs/server/work_queue.h"
#include "libs/tiktok/client.h"
#include "services/ads/ad_validation.h"
#include "services/ads/creatives.h"
#include "services/ads/idempotency.h"
#include "ttads/ads/v1/ads_service.pb.h"
#include "ttads/identity/v1/identity_service.grpc.pb.h"
#include "ttads/preflight/v1/preflight_service.grpc.pb.h"

namespace ttads::ads {

struct AdCreatorDeps {
  tiktok::Client* tiktok;
  connections::ConnectionStore* connections;
  connections::TokenResolver* tokens;
  IdempotencyStore* idempotency;
  Creatives* creatives;
  server::WorkQueue* work;
  identity::v1::IdentityService::StubInterface* identity;
  // Null: validate_only skips the preflight (noted in the response).
  preflight::v1::PreflightService::StubInterface* preflight = nullptr;
  // http:// media hosts allowed (the fetch allow-list).
  std::vector<std::string> http_media_hosts;
};

// The marker a created ad's name carries so an ambiguous /ad/create/ can be
// reconciled: " [tt:" + 12 hex of SHA-256(team, request id or nonce, request
// hash) + "]".
std::string AdNameMarker(const std::string& team_id, const std::string& key,
                         const std::string& request_hash);

// Creates ads (docs/ads.md):
//  1. every field is validated (nothing reaches TikTok or another service
//     when one is invalid);
//  2. the advertiser is chosen: the given one, the account's, or the only
//     one the caller reaches — several and none given is INVALID_ARGUMENT
//     listing them by name and id;
//  3. the request id is claimed (replay / conflict / wait for a concurrent
//     duplicate);
//  4. inline Brand Identity and identity resolution go to the identity
//     service over gRPC with the caller's credentials and deadline;
//  5. media from URLs are uploaded; validate_only stops before this, after
//     checking the ad group and running the preflight;
//  6. /ad/create/ is sent asynchronously (no thread waits on TikTok); an
//     ambiguous failure is reconciled by looking the ad up by its name
//     marker before any resend, so no fault yields two ads.
class AdCreator {
 public:
  using Done = std::function<void(absl::Status)>;
  explicit AdCreator(AdCreatorDeps deps) : deps_(std::move(deps)) {}

  // Runs on a work-queue thread; `done` runs exactly once (on a work-queue
  // thread) after `out` is filled.
  void Create(const server::CallContext& call, const v1::CreateAdRequest& req,
              v1::CreateAdResponse* out, Done done);

  // The advertisers the caller may act on (own connections, and teammates'
  // for owners and managers — TokenResolver's rule), deduplicated.
  absl::StatusOr<std::vector<connections::AdvertiserRef>> ReachableAdvertisers(
      const server::CallContext& call);

 private:
  struct Attempt;
  void Send(std::shared_ptr<Attempt> attempt);
  void OnSent(std::shared_ptr<Attempt> attempt,
              absl::StatusOr<tiktok::Envelope> result);
  // Looks the ad up by its marker: the ids found (empty: not created).
  absl::StatusOr<std::vector<std::string>> FindByMarker(const Attempt& attempt);
  void Finish(std::shared_ptr<Attempt> attempt, absl::Status status);

  AdCreatorDeps deps_;
};

}  // namespace ttads::ads

#endif  // TTADS_SERVICES_ADS_AD_CREATOR_H_
