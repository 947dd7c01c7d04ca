#ifndef TTADS_SERVICES_ADS_AD_CREATOR_H_
#define TTADS_SERVICES_ADS_AD_CREATOR_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/connections/connection_store.h"
#include "libs/idempotency/run_once.h"
#include "libs/server/call_context.h"
#include "libs/server/work_queue.h"
#include "services/ads/ad_validation.h"
#include "services/ads/advertiser_tokens.h"
#include "services/ads/creatives.h"
#include "services/ads/identity_client.h"
#include "services/ads/preflight_client.h"
#include "services/ads/tiktok_ads_api.h"
#include "ttads/ads/v1/ads_service.pb.h"

namespace ttads::ads {

struct AdCreatorDeps {
  TikTokAdsApi* tiktok;
  connections::ConnectionStore* connections;
  const AdvertiserTokens* tokens;
  // The request-id records (libs/idempotency); CreateAd and
  // ExecuteAddTikTokAd share the key scope "ads.CreateAd".
  idempotency::IdempotencyStore* idempotency;
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
//  3. RunOnceAsync (libs/idempotency) on the request id: replay / conflict /
//     wait for a concurrent duplicate / take over a dead or unresolved
//     earlier attempt; the rest runs as its `apply`;
//  4. ResolveIdentity: inline Brand Identity, then identity resolution at the
//     identity service with the caller's credentials and deadline; the
//     advertiser's token;
//  5. Preflight (validate_only, which stops there and claims nothing): the
//     ad group exists and its objective passes PublishCheck;
//  6. UploadMedia: media from URLs, covers, slideshows;
//  7. ComposeCreative: the name with its reconciliation marker and every
//     creative field;
//  8. Send: the intent ("<advertiser id> <marker>") is recorded, then
//     /ad/create/ goes out asynchronously (no thread waits on TikTok);
//  9. Reconcile: after an ambiguous failure (and before the first send when
//     the call took over an earlier attempt that recorded an intent) the ad
//     is looked up by its marker before any resend, so no fault yields two
//     ads.
// The outcome is recorded by libs/idempotency: the answer (replayed with
// `replayed` set), a final error, the key left unresolved (an ambiguous
// failure after the intent) or given back (nothing was sent).
class AdCreator {
 public:
  using Done = std::function<void(absl::Status)>;

  // One CreateAd call as it moves through the steps.
  struct Attempt {
    server::CallContext call;
    const v1::AdInput* request = nullptr;
    // The caller's words for the request's enum fields (validation's input).
    AdWords words;
    // What the request-id record and the name marker are keyed on: the
    // seed's request as sent, or the core's KeyedRequest.
    const google::protobuf::Message* sent = nullptr;
    v1::AdCreation* out = nullptr;
    Done done;

    ValidatedAd validated;
    std::string request_hash;
    // PickAdvertiser's choice ("" lets the identity service choose).
    std::string advertiser;
    // The claim on the request id, held while `apply` runs.
    std::shared_ptr<idempotency::Attempt> claim;
    // Reports the outcome of `apply` to libs/idempotency.
    Done applied;
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
  // The core request: its enum fields are validated as their values' short
  // names (CoreWords), and it is keyed as its KeyedRequest.
  void Create(const server::CallContext& call, const v1::AdInput& req,
              v1::AdCreation* out, Done done);
  // A seed's request (compat_service.h), converted to `req`: its enum fields
  // are validated as the seed spelled them (`words`), and `sent`, the
  // seed's message, keys the request-id record and the name marker (as the
  // core's KeyedRequest does: the two shapes share records). `req`, `sent`
  // and `out` must outlive `done`.
  void Create(const server::CallContext& call, const v1::AdInput& req,
              AdWords words, const google::protobuf::Message& sent,
              v1::AdCreation* out, Done done);

  // The advertisers the caller may act on (own connections, and teammates'
  // for owners and managers — TokenResolver's rule), deduplicated.
  absl::StatusOr<std::vector<connections::AdvertiserRef>> ReachableAdvertisers(
      const server::CallContext& call);

  // The steps, in order (each reads and fills `a`).
  absl::Status Validate(Attempt& a);
  // The advertiser to resolve the identity for; "" lets the identity
  // service choose (the account's, or none).
  absl::StatusOr<std::string> PickAdvertiser(Attempt& a);
  absl::Status ResolveIdentity(Attempt& a, const std::string& advertiser_id);
  absl::Status Preflight(Attempt& a);
  absl::StatusOr<Media> UploadMedia(Attempt& a);
  void ComposeCreative(Attempt& a, Media media);
  // Looks the ad up by its marker: the ids found (empty: not created).
  absl::StatusOr<std::vector<std::string>> FindByMarker(const Attempt& a);

 private:
  enum class Next { kReply, kSend };
  // Steps 4–7, once the request id is claimed.
  absl::StatusOr<Next> Prepare(const std::shared_ptr<Attempt>& a);
  // `apply` of RunOnceAsync: steps 4–9.
  void Apply(std::shared_ptr<Attempt> a);
  // Records the intent and sends.
  void SendFirst(std::shared_ptr<Attempt> a);
  void Send(std::shared_ptr<Attempt> a);
  void OnSent(std::shared_ptr<Attempt> a,
              absl::StatusOr<std::vector<std::string>> result);
  // The call took over an earlier attempt that recorded `intent`: look up
  // (25 h back) before the first send.
  void ReconcileFirst(std::shared_ptr<Attempt> a, const std::string& intent);
  // After an ambiguous send: found, sent again, or unresolved.
  void Reconcile(std::shared_ptr<Attempt> a, const absl::Status& send_error);
  // Ends `apply`: OK records the answer for replay; an error is recorded as
  // libs/idempotency decides (final, unresolved after the intent, or the
  // key given back).
  void Finish(const std::shared_ptr<Attempt>& a, absl::Status status);

  AdCreatorDeps deps_;
};

}  // namespace ttads::ads

#endif  // TTADS_SERVICES_ADS_AD_CREATOR_H_
