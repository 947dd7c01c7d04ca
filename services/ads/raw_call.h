#ifndef TTADS_SERVICES_ADS_RAW_CALL_H_
#define TTADS_SERVICES_ADS_RAW_CALL_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/server/call_context.h"
#include "services/ads/advertiser_tokens.h"
#include "services/ads/tiktok_ads_api.h"
#include "ttads/ads/v1/ads_service.pb.h"

namespace ttads::ads {

// The guarded raw call (CallTikTokApi, Ibexa's "Make an API Call");
// blocking. The path is canonicalised first (raw_call_path.h):
// INVALID_ARGUMENT for a path that is not one plain TikTok path or a method
// other than GET/POST (empty: GET); PERMISSION_DENIED outside the
// allow-list. Nothing is sent then, and no token is looked up.
class RawCaller {
 public:
  RawCaller(TikTokAdsApi* tiktok, const AdvertiserTokens* tokens,
            std::vector<std::string> allowlist)
      : tiktok_(tiktok), tokens_(tokens), allowlist_(std::move(allowlist)) {}

  absl::StatusOr<v1::CallTikTokApiResponse> Call(
      const server::CallContext& call, const v1::CallTikTokApiRequest& req);

 private:
  TikTokAdsApi* tiktok_;
  const AdvertiserTokens* tokens_;
  std::vector<std::string> allowlist_;
};

}  // namespace ttads::ads

#endif  // TTADS_SERVICES_ADS_RAW_CALL_H_
