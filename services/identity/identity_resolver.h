#ifndef TTADS_SERVICES_IDENTITY_IDENTITY_RESOLVER_H_
#define TTADS_SERVICES_IDENTITY_IDENTITY_RESOLVER_H_

#include <string>

#include "absl/status/statusor.h"
#include "services/identity/account_store.h"
#include "services/identity/identity_catalog.h"
#include "ttads/identity/v1/identity_service.pb.h"

namespace ttads::identity {

// When a new ad may run under a CUSTOMIZED_USER identity.
enum class CustomIdentityPolicy {
  // Wevion: a fallback when no TT_USER / BC_AUTH_TT exists.
  kAllow,
  // Zernio (default): only when the caller opts in for the ad.
  kOptIn,
  // Adspirer: never (TikTok retires Custom Identity for new campaigns, 2026).
  kReject,
};

absl::StatusOr<CustomIdentityPolicy> ParseCustomIdentityPolicy(
    const std::string& text);

// Decides which identity an ad runs under.
//   1. An explicit identity wins if it is one of the advertiser's; a
//      CUSTOMIZED_USER chosen explicitly is an opt-in, and still refused
//      under `reject` and for Spark Ads.
//   2. Else the linked posting account's TT_USER (account_id given and
//      LINKED), then any available TT_USER, then BC_AUTH_TT (Spark Ads may
//      also use AUTH_CODE).
//   3. Else CUSTOMIZED_USER per policy: the account's Brand Identity first,
//      then any CUSTOMIZED_USER — never for Spark Ads.
// Errors: INVALID_ARGUMENT (identity_id / identity_type) for an explicit
// identity that is not the advertiser's or not allowed; FAILED_PRECONDITION
// "NO_USABLE_IDENTITY" saying how to get one; token errors.
class IdentityResolver {
 public:
  IdentityResolver(IdentityCatalog* catalog, AccountStore* accounts,
                   CustomIdentityPolicy policy)
      : catalog_(catalog), accounts_(accounts), policy_(policy) {}

  absl::StatusOr<v1::ResolveIdentityResponse> Resolve(
      const server::CallContext& call, const v1::ResolveIdentityRequest& req);

  CustomIdentityPolicy policy() const { return policy_; }

 private:
  IdentityCatalog* catalog_;
  AccountStore* accounts_;
  CustomIdentityPolicy policy_;
};

}  // namespace ttads::identity

#endif  // TTADS_SERVICES_IDENTITY_IDENTITY_RESOLVER_H_
