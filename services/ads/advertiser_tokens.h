#ifndef TTADS_SERVICES_ADS_ADVERTISER_TOKENS_H_
#define TTADS_SERVICES_ADS_ADVERTISER_TOKENS_H_

#include <string>

#include "absl/status/statusor.h"
#include "libs/connections/token_resolver.h"
#include "libs/server/call_context.h"
#include "services/ads/tiktok_ads_api.h"

namespace ttads::ads {

// The advertiser and token a call acts with, by the shared rule
// (TokenResolver: own connection; owners and managers may borrow a
// teammate's). An empty `advertiser_id` means the caller's first one.
class AdvertiserTokens {
 public:
  explicit AdvertiserTokens(connections::TokenResolver* tokens)
      : tokens_(tokens) {}

  absl::StatusOr<AdvertiserAccess> For(const server::CallContext& call,
                                       const std::string& advertiser_id) const;

 private:
  connections::TokenResolver* tokens_;
};

}  // namespace ttads::ads

#endif  // TTADS_SERVICES_ADS_ADVERTISER_TOKENS_H_
