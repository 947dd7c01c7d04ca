#ifndef TTADS_SERVICES_ADS_ADS_SERVICE_H_
#define TTADS_SERVICES_ADS_ADS_SERVICE_H_

#include "libs/server/unary.h"
#include "services/ads/ad_creator.h"
#include "services/ads/ad_reader.h"
#include "services/ads/ad_reports.h"
#include "services/ads/ad_status_updater.h"
#include "services/ads/ad_updater.h"
#include "services/ads/ad_watch.h"
#include "services/ads/advertiser_tokens.h"
#include "services/ads/creative_uploads.h"
#include "services/ads/raw_call.h"
#include "services/ads/spark_posts.h"
#include "ttads/ads/v1/ads_service.grpc.pb.h"

namespace ttads::ads {

// The domain objects each RPC calls (not owned).
struct AdsDomain {
  const AdvertiserTokens* tokens;
  AdCreator* creator;
  AdReader* reader;
  AdStatusUpdater* status;
  AdUpdater* updater;
  AdReports* reports;
  SparkPosts* spark_posts;
  RawCaller* raw;
  CreativeUploads* uploads;
  AdWatchHub* watch;
};

// gRPC adapter of ttads.ads.v1.AdsService: each RPC hands its request to
// one domain method (UploadImage and UploadVideo: CreativeUploads, which
// also honours their request ids) and answers its result. Unary calls go
// through the shared pipeline (libs/server); CreateAd reduces its request
// to the domain's AdInput (ad_input.h), uses the pipeline's asynchronous
// variant so that no thread waits on /ad/create/, and answers the created
// Ad (created_ad.h); the seeds' shapes of it are compat_service.h's.
// WatchAds is a callback server stream.
class AdsServiceImpl final : public v1::AdsService::CallbackService {
 public:
  AdsServiceImpl(const server::ServiceEnv& env, AdsDomain domain)
      : env_(env), domain_(domain) {}

  grpc::ServerUnaryReactor* UploadImage(grpc::CallbackServerContext* ctx,
                                        const v1::UploadImageRequest* req,
                                        v1::Image* resp) override;
  grpc::ServerUnaryReactor* UploadVideo(grpc::CallbackServerContext* ctx,
                                        const v1::UploadVideoRequest* req,
                                        v1::Video* resp) override;
  grpc::ServerUnaryReactor* CreateAd(grpc::CallbackServerContext* ctx,
                                     const v1::CreateAdRequest* req,
                                     v1::Ad* resp) override;
  grpc::ServerUnaryReactor* GetAd(grpc::CallbackServerContext* ctx,
                                  const v1::GetAdRequest* req,
                                  v1::Ad* resp) override;
  grpc::ServerUnaryReactor* ListAds(grpc::CallbackServerContext* ctx,
                                    const v1::ListAdsRequest* req,
                                    v1::ListAdsResponse* resp) override;
  grpc::ServerUnaryReactor* SetAdStatus(grpc::CallbackServerContext* ctx,
                                        const v1::SetAdStatusRequest* req,
                                        v1::SetAdStatusResponse* resp) override;
  grpc::ServerUnaryReactor* UpdateAd(grpc::CallbackServerContext* ctx,
                                     const v1::UpdateAdRequest* req,
                                     v1::Ad* resp) override;
  grpc::ServerUnaryReactor* ListAdReports(
      grpc::CallbackServerContext* ctx, const v1::ListAdReportsRequest* req,
      v1::ListAdReportsResponse* resp) override;
  grpc::ServerWriteReactor<v1::AdEvent>* WatchAds(
      grpc::CallbackServerContext* ctx,
      const v1::WatchAdsRequest* req) override;
  grpc::ServerUnaryReactor* ListIdentityVideos(
      grpc::CallbackServerContext* ctx,
      const v1::ListIdentityVideosRequest* req,
      v1::ListIdentityVideosResponse* resp) override;
  grpc::ServerUnaryReactor* CallTikTokApi(
      grpc::CallbackServerContext* ctx, const v1::CallTikTokApiRequest* req,
      v1::CallTikTokApiResponse* resp) override;

 private:
  const server::ServiceEnv& env_;
  AdsDomain domain_;
};

}  // namespace ttads::ads

#endif  // TTADS_SERVICES_ADS_ADS_SERVICE_H_
