#ifndef TTADS_SERVICES_ADS_AD_CREATOR_H_
#define TTADS_SERVICES_ADS_AD_CREATOR_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/connections/connection_store.h"
#include "libs/server/call_context.h"
#include "libs/server/work_queue.h"
#include "services/ads/ad_validation.h"
#include "services/ads/advertiser_tokens.h"
#include "services/ads/creatives.h"
#include "services/ads/idempotency.h"
#include "services/ads/identity_client.h"
#include "services/ads/preflight_client.h"
#include "services/ads/tiktok_ads_api.h"
#include "ttads/ads/v1/ads_service.pb.h"

namespace ttads::ads {

struct AdCreatorDeps {
  TikTokAdsApi* tiktok;
  connections::ConnectionStore* connections;
  const AdvertiserTokens* tokens;
  IdempotencyStore* idempotency;
  Creatives* creatives;
  server::WorkQueue* work;
  IdentityClient* identity;
  // Null: validate_only skips the preflight (noted in the response).
  PreflightClient* preflight = nullptr;
  // http:// media hosts allowed (the fetch allow-list).
  std::vector<std::string> http_media_hosts;
};

// Creates ads (docs/ads.md "CreateAd"), one named step after another:
//  1. Validate: every field (nothing reaches TikTok or another service when
//     one is invalid);
//  2. PickAdvertiser: the given one, the account's, or the only one the
//     caller reaches — several and none given is INVALID_ARGUMENT listing
//     them by name and id;
//  3. ClaimRequestId: replay / conflict / wait for a concurrent duplicate;
//  4. ResolveIdentity: inline Brand Identity, then identity resolution at the
//     identity service with the caller's credentials and deadline; the
//     advertiser's token;
//  5. Preflight (validate_only, which stops there): the ad group exists and
//     its objective passes PublishCheck;
//  6. UploadMedia: media from URLs, covers, slideshows;
//  7. ComposeCreative: the name with its reconciliation marker and every
//     creative field;
//  8. Send: /ad/create/ asynchronously (no thread waits on TikTok);
//  9. Reconcile: after an ambiguous failure (and before the first send when
//     an earlier attempt ended unresolved) the ad is looked up by its
//     marker before any resend, so no fault yields two ads.
// A definite failure after the claim gives the request id back.
class AdCreator {
 public:
  using Done = std::function<void(absl::Status)>;

  // One CreateAd call as it moves through the steps.
  struct Attempt {
    server::CallContext call;
    const v1::CreateAdRequest* request = nullptr;
    v1::CreateAdResponse* out = nullptr;
    Done done;

    ValidatedAd validated;
    std::string request_hash;
    // Set by the claim: the key is held until Complete, Release or
    // MarkUnresolved.
    std::string owner;
    bool holds_key = false;
    bool replayed = false;
    // An earlier attempt with this request id ended with its outcome
    // unknown: look the ad up before sending.
    bool reconcile_first = false;
    AdvertiserAccess access;
    common::v1::Identity identity;
    AdCreative creative;
    std::string marker;
    // Ads created after this (minus 10 min) are looked at by Reconcile.
    absl::Time sent_at;
    int sends = 0;
  };

  // Media ready for the creative.
  struct Media {
    std::string video_id;
    std::vector<std::string> image_ids;
  };

  explicit AdCreator(AdCreatorDeps deps) : deps_(std::move(deps)) {}

  // Runs on a work-queue thread; `done` runs exactly once (on a work-queue
  // thread) after `out` is filled. `req` and `out` must outlive `done`.
  void Create(const server::CallContext& call, const v1::CreateAdRequest& req,
              v1::CreateAdResponse* out, Done done);

  // The advertisers the caller may act on (own connections, and teammates'
  // for owners and managers — TokenResolver's rule), deduplicated.
  absl::StatusOr<std::vector<connections::AdvertiserRef>> ReachableAdvertisers(
      const server::CallContext& call);

  // The steps, in order (each reads and fills `a`).
  absl::Status Validate(Attempt& a);
  // The advertiser to resolve the identity for; "" lets the identity
  // service choose (the account's, or none).
  absl::StatusOr<std::string> PickAdvertiser(Attempt& a);
  // Sets `replayed` (with `out` filled from the record) or takes the key.
  absl::Status ClaimRequestId(Attempt& a);
  absl::Status ResolveIdentity(Attempt& a, const std::string& advertiser_id);
  absl::Status Preflight(Attempt& a);
  absl::StatusOr<Media> UploadMedia(Attempt& a);
  void ComposeCreative(Attempt& a, Media media);
  // Looks the ad up by its marker: the ids found (empty: not created).
  absl::StatusOr<std::vector<std::string>> FindByMarker(const Attempt& a);

 private:
  enum class Next { kReply, kSend };
  // Steps 1–7.
  absl::StatusOr<Next> Prepare(const std::shared_ptr<Attempt>& a);
  void Send(std::shared_ptr<Attempt> a);
  void OnSent(std::shared_ptr<Attempt> a,
              absl::StatusOr<std::vector<std::string>> result);
  // An earlier attempt ended unresolved: look up (25 h back) before the
  // first send.
  void ReconcileFirst(std::shared_ptr<Attempt> a);
  // After an ambiguous send: found, sent again, or unresolved.
  void Reconcile(std::shared_ptr<Attempt> a, const absl::Status& send_error);
  // Records the answer for replay (when the key is held) and replies.
  void Succeed(const std::shared_ptr<Attempt>& a);
  // Gives the key back (nothing was created) and replies with `status`.
  void Fail(const std::shared_ptr<Attempt>& a, absl::Status status);
  // Keeps the key as unresolved (a retry looks up first) and replies.
  void Unresolved(const std::shared_ptr<Attempt>& a, absl::Status status);

  AdCreatorDeps deps_;
};

}  // namespace ttads::ads

#endif  // TTADS_SERVICES_ADS_AD_CREATOR_H_
