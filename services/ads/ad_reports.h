#ifndef TTADS_SERVICES_ADS_AD_REPORTS_H_
#define TTADS_SERVICES_ADS_AD_REPORTS_H_

#include "absl/status/statusor.h"
#include "libs/server/call_context.h"
#include "services/ads/advertiser_tokens.h"
#include "services/ads/tiktok_ads_api.h"
#include "ttads/ads/v1/ads_service.pb.h"

namespace ttads::ads {

// Synchronous reports (ListAdReports, /report/integrated/get/); blocking.
// The request is validated against TikTok's limits before anything is sent
// (Reports: report_type, service_type AUCTION, data_level; at least one
// dimension and metric; page_size 1–1000; a date range of ≤30 days when split
// by day, ≤1 day by hour, ≤365 otherwise, or `lifetime` without dates or time
// dimensions; `filtering_json` an array of {field_name, filter_type,
// filter_value} strings). Defaults: BASIC, AUCTION, AUCTION_AD, page size
// 10. Metrics TikTok reports as "-" are left out.
class AdReports {
 public:
  AdReports(TikTokAdsApi* tiktok, const AdvertiserTokens* tokens)
      : tiktok_(tiktok), tokens_(tokens) {}

  absl::StatusOr<v1::ListAdReportsResponse> List(
      const server::CallContext& call, const v1::ListAdReportsRequest& req);

 private:
  TikTokAdsApi* tiktok_;
  const AdvertiserTokens* tokens_;
};

}  // namespace ttads::ads

#endif  // TTADS_SERVICES_ADS_AD_REPORTS_H_
