#ifndef TTADS_SERVICES_IDENTITY_IDENTITY_MUTATIONS_H_
#define TTADS_SERVICES_IDENTITY_IDENTITY_MUTATIONS_H_

#include "absl/status/statusor.h"
#include "libs/idempotency/idempotency_store.h"
#include "libs/server/call_context.h"
#include "services/identity/ads_accounts.h"
#include "services/identity/brand_identity.h"
#include "services/identity/identity_catalog.h"
#include "ttads/identity/v1/identity_service.pb.h"

namespace ttads::identity {

// The identity mutations that declare a `request_id` (AIP-155), each
// honouring it through libs/idempotency (RunOnce, key scope
// "identity.<Rpc>"): the same request again within 24 h gets the first
// answer and changes nothing, another request under the key is
// ALREADY_EXISTS naming it, a duplicate while the first runs waits for it.
// Without a request id each call simply applies. What a call that takes
// over an earlier attempt (its owner died, or its outcome was unknown) does:
//  - ConnectAdsAccount: applies again; the (advertiser, posting account)
//    slot makes it find the account the earlier attempt created, answered
//    with already_connected.
//  - CreateAccount: the account id is the intent, recorded before the
//    write; the earlier attempt's account is answered when it exists, else
//    created under that id (never a second account).
//  - CreateIdentity: TikTok's /identity/create/ has no key and an identity
//    list has no creation time, so before it sends, the call records the
//    advertiser and the ids of the CUSTOMIZED_USER identities that already
//    carry the (truncated) display name; taking over, it lists them afresh
//    and adopts the one that is new, and creates only when there is none.
//    A definite refusal gives the key back.
//  - ConfigureBrandIdentity: applies again; an unchanged name and image
//    return the cached identity. Only an owner that died between TikTok's
//    create and the account write leaves one more CUSTOMIZED_USER behind,
//    orphaned like every superseded Brand Identity; the account holds one.
class IdentityMutations {
 public:
  IdentityMutations(store::RedisPool* redis, AdsAccounts* accounts,
                    IdentityCatalog* catalog, BrandIdentityManager* brand)
      : store_(redis), accounts_(accounts), catalog_(catalog), brand_(brand) {}

  absl::StatusOr<v1::ConnectAdsAccountResponse> ConnectAdsAccount(
      const server::CallContext& call, const v1::ConnectAdsAccountRequest& req);
  absl::StatusOr<v1::Account> CreateAccount(
      const server::CallContext& call, const v1::CreateAccountRequest& req);
  absl::StatusOr<common::v1::Identity> CreateIdentity(
      const server::CallContext& call, const v1::CreateIdentityRequest& req);
  absl::StatusOr<v1::ConfigureBrandIdentityResponse> ConfigureBrandIdentity(
      const server::CallContext& call,
      const v1::ConfigureBrandIdentityRequest& req);

 private:
  idempotency::IdempotencyStore store_;
  AdsAccounts* accounts_;
  IdentityCatalog* catalog_;
  BrandIdentityManager* brand_;
};

}  // namespace ttads::identity

#endif  // TTADS_SERVICES_IDENTITY_IDENTITY_MUTATIONS_H_
