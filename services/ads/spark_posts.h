#ifndef TTADS_SERVICES_ADS_SPARK_POSTS_H_
#define TTADS_SERVICES_ADS_SPARK_POSTS_H_

#include "absl/status/statusor.h"
#include "libs/server/call_context.h"
#include "services/ads/advertiser_tokens.h"
#include "services/ads/identity_client.h"
#include "services/ads/tiktok_ads_api.h"
#include "ttads/ads/v1/ads_service.pb.h"

namespace ttads::ads {

// The TikTok posts of an identity that Spark Ads can promote
// (ListIdentityVideos, /identity/video/get/); blocking. INVALID_ARGUMENT
// without identity_id or for a CUSTOMIZED_USER (it has no posts); the type
// defaults to TT_USER; a BC_AUTH_TT identity is sent with its Business
// Center, asked from the identity service.
class SparkPosts {
 public:
  SparkPosts(TikTokAdsApi* tiktok, const AdvertiserTokens* tokens,
             IdentityClient* identity)
      : tiktok_(tiktok), tokens_(tokens), identity_(identity) {}

  absl::StatusOr<v1::ListIdentityVideosResponse> List(
      const server::CallContext& call,
      const v1::ListIdentityVideosRequest& req);

 private:
  TikTokAdsApi* tiktok_;
  const AdvertiserTokens* tokens_;
  IdentityClient* identity_;
};

}  // namespace ttads::ads

#endif  // TTADS_SERVICES_ADS_SPARK_POSTS_H_
