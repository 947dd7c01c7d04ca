#ifndef TTADS_SERVICES_ADS_ADS_SERVER_H_
#define TTADS_SERVICES_ADS_ADS_SERVER_H_

#include <memory>

#include "absl/status/statusor.h"
#include "libs/config/config.h"
#include "libs/service_kit/service_kit.h"
#include "services/ads/ads_config.h"
#include "services/ads/ads_service.h"
#include "services/ads/compat_service.h"

namespace ttads::ads {

// The ads service assembled from its typed configuration (the shared kit, gRPC
// channels to identity and preflight, the domain objects and the adapters:
// ttads.ads.v1.AdsService and the seeds' ttads.compat.v1 services).
class AdsServer {
 public:
  // What a test or benchmark may substitute.
  struct Overrides {
    // Used instead of the kit's client for every TikTok call of this service
    // (e.g. one without the shared rate limiter, to measure the service
    // itself). Null: the kit's client.
    std::unique_ptr<tiktok::Client> tiktok;
  };
  // `config` was loaded and validated once at start (main.cc:
  // service_kit::LoadTypedConfigOrDie with AdsConfigFrom); its common part
  // goes to the shared kit.
  static absl::StatusOr<std::unique_ptr<AdsServer>> Create(
      const AdsConfig& config, Overrides overrides = {});
  // The same with AdsConfigFrom(config) (a Config loaded with AdsSchema()).
  static absl::StatusOr<std::unique_ptr<AdsServer>> Create(
      const config::Config& config, Overrides overrides = {});
  ~AdsServer();

  service_kit::ServiceKit& kit() { return *kit_; }
  AdWatchHub& watch() { return *watch_; }

 private:
  AdsServer() = default;

  std::unique_ptr<service_kit::ServiceKit> kit_;
  std::unique_ptr<tiktok::Client> tiktok_override_;
  std::unique_ptr<TikTokAdsApi> tiktok_;
  std::unique_ptr<identity::v1::IdentityService::Stub> identity_stub_;
  std::unique_ptr<preflight::v1::PreflightService::Stub> preflight_stub_;
  std::unique_ptr<IdentityClient> identity_;
  std::unique_ptr<PreflightClient> preflight_;
  std::unique_ptr<AdvertiserTokens> tokens_;
  std::unique_ptr<idempotency::IdempotencyStore> idempotency_;
  std::unique_ptr<Creatives> creatives_;
  std::unique_ptr<CreativeUploads> uploads_;
  std::unique_ptr<AdCreator> creator_;
  std::unique_ptr<AdReader> reader_;
  std::unique_ptr<AdStatusUpdater> status_;
  std::unique_ptr<AdUpdater> updater_;
  std::unique_ptr<AdReports> reports_;
  std::unique_ptr<SparkPosts> spark_posts_;
  std::unique_ptr<RawCaller> raw_;
  std::unique_ptr<AdWatchHub> watch_;
  std::unique_ptr<AdsServiceImpl> service_;
  std::unique_ptr<ZernioAdsServiceImpl> zernio_;
  std::unique_ptr<AdspirerToolsServiceImpl> adspirer_;
};

}  // namespace ttads::ads

#endif  // TTADS_SERVICES_ADS_ADS_SERVER_H_
