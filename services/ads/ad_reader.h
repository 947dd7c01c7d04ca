#ifndef TTADS_SERVICES_ADS_AD_READER_H_
#define TTADS_SERVICES_ADS_AD_READER_H_

#include <string>

#include "absl/status/statusor.h"
#include "libs/server/call_context.h"
#include "services/ads/advertiser_tokens.h"
#include "services/ads/tiktok_ads_api.h"
#include "ttads/ads/v1/ads_service.pb.h"

namespace ttads::ads {

// An ad found by id, and the access it was found with.
struct FoundAd {
  TikTokAd ad;
  AdvertiserAccess access;
};

// Reads ads (GetAd, ListAds) with the caller's token; blocking.
class AdReader {
 public:
  AdReader(TikTokAdsApi* tiktok, const AdvertiserTokens* tokens)
      : tiktok_(tiktok), tokens_(tokens) {}

  // One ad by id, deleted ones included. INVALID_ARGUMENT without ad_id;
  // NOT_FOUND when the advertiser has no such ad.
  absl::StatusOr<FoundAd> Find(const server::CallContext& call,
                               const std::string& advertiser_id,
                               const std::string& ad_id);
  absl::StatusOr<v1::Ad> Get(const server::CallContext& call,
                             const v1::GetAdRequest& req);
  // Validates the whole request first (page_size 1–1000, ≤100 ids per list,
  // a known primary_status, end not before start, a page token of ours);
  // every violation is reported together and nothing is sent then.
  absl::StatusOr<v1::ListAdsResponse> List(const server::CallContext& call,
                                               const v1::ListAdsRequest& req);

 private:
  TikTokAdsApi* tiktok_;
  const AdvertiserTokens* tokens_;
};

}  // namespace ttads::ads

#endif  // TTADS_SERVICES_ADS_AD_READER_H_
