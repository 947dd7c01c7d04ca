#ifndef TTADS_SERVICES_ADS_COMPAT_SERVICE_H_
#define TTADS_SERVICES_ADS_COMPAT_SERVICE_H_

// gRPC adapters of the seeds' shapes of CreateAd (ttads.compat.v1): Zernio's
// `/v1/ads/create` and Adspirer's add_tiktok_ad tool. Each hands the request
// to the same domain method as ttads.ads.v1.AdsService.CreateAd
// (AdCreator::Create) and renders its outcome in the seed's shape; no rule
// of ad creation lives here.

#include "absl/status/status.h"
#include "libs/server/unary.h"
#include "services/ads/ad_creator.h"
#include "services/ads/ad_validation.h"
#include "ttads/ads/v1/ads_service.pb.h"
#include "ttads/compat/v1/adspirer_tools_service.grpc.pb.h"
#include "ttads/compat/v1/zernio_ads_service.grpc.pb.h"

namespace ttads::ads {

// A seed's CreateAd request as the domain takes it: the core request, and
// the seed's words for its enum fields.
struct CoreRequest {
  v1::AdInput request;
  AdWords words;
};

// The seeds' messages are their ttads.ads.v1 counterparts field for field
// (ttads/compat/v1/zernio_ads_service.proto), except the core's enum fields
// (AdEnumFields), which the seeds hold as words. ToCore converts every other
// field without loss, and each word to its enum value: TikTok's word or
// Adspirer's synonym for it (WireEnum), ad_format in any case. A word that
// is none of them leaves the value unset; the domain refuses it from
// `words`, as it did before the fields were typed (same violations, same
// notes). ToZernio converts without loss.
CoreRequest ToCore(const compat::v1::CreateAdRequest& request);
compat::v1::CreateAdResponse ToZernio(const v1::AdCreation& created);

// The Adspirer tool answer for a CreateAd outcome: `success`, `data` (the
// outcome's fields with identity types by TikTok's names, and a one-line
// `text`) and `tool`, or `error`/`is_error` for a failure.
compat::v1::ExecuteAddTikTokAdResponse ToToolResponse(
    const absl::Status& status, const v1::AdCreation& created);

// Zernio: ttads.compat.v1.ZernioAdsService.
class ZernioAdsServiceImpl final
    : public compat::v1::ZernioAdsService::CallbackService {
 public:
  ZernioAdsServiceImpl(const server::ServiceEnv& env, AdCreator* creator)
      : env_(env), creator_(creator) {}

  grpc::ServerUnaryReactor* CreateAd(
      grpc::CallbackServerContext* ctx, const compat::v1::CreateAdRequest* req,
      compat::v1::CreateAdResponse* resp) override;

 private:
  const server::ServiceEnv& env_;
  AdCreator* creator_;
};

// Adspirer: ttads.compat.v1.AdspirerToolsService. Caller mistakes
// (INVALID_ARGUMENT, FAILED_PRECONDITION, ALREADY_EXISTS, NOT_FOUND) answer
// in the tool's envelope; other failures stay gRPC errors, so that they are
// retried as such.
class AdspirerToolsServiceImpl final
    : public compat::v1::AdspirerToolsService::CallbackService {
 public:
  AdspirerToolsServiceImpl(const server::ServiceEnv& env, AdCreator* creator)
      : env_(env), creator_(creator) {}

  grpc::ServerUnaryReactor* ExecuteAddTikTokAd(
      grpc::CallbackServerContext* ctx,
      const compat::v1::ExecuteAddTikTokAdRequest* req,
      compat::v1::ExecuteAddTikTokAdResponse* resp) override;

 private:
  const server::ServiceEnv& env_;
  AdCreator* creator_;
};

}  // namespace ttads::ads

#endif  // TTADS_SERVICES_ADS_COMPAT_SERVICE_H_
