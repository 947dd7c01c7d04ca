#include "services/ads/ads_server.h"

#include "libs/status/status_macros.h"

namespace ttads::ads {

AdsServer::~AdsServer() {
  // Stop pollers and pending work before the collaborators go away.
  if (kit_) kit_->runner().Shutdown();
  watch_.reset();
}

absl::StatusOr<std::unique_ptr<AdsServer>> AdsServer::Create(
    const config::Config& config, Overrides overrides) {
  TTADS_ASSIGN_OR_RETURN(AdsConfig typed, AdsConfigFrom(config));
  return Create(typed, std::move(overrides));
}

absl::StatusOr<std::unique_ptr<AdsServer>> AdsServer::Create(
    const AdsConfig& ads, Overrides overrides) {
  std::unique_ptr<AdsServer> s(new AdsServer());
  TTADS_ASSIGN_OR_RETURN(s->kit_, service_kit::ServiceKit::Create(
                                      ads.common, "ads", ads.work_threads));
  auto& kit_ref = *s->kit_;
  s->tiktok_override_ = std::move(overrides.tiktok);
  s->tiktok_ = NewClientAdsApi(s->tiktok_override_ ? s->tiktok_override_.get()
                                                   : &kit_ref.tiktok());
  TikTokAdsApi* tiktok = s->tiktok_.get();

  s->identity_stub_ = identity::v1::IdentityService::NewStub(
      kit_ref.runner().metrics().InternalChannel(ads.common.peers.identity));
  s->identity_ = NewGrpcIdentityClient(s->identity_stub_.get());
  if (ads.preflight) {
    s->preflight_stub_ = preflight::v1::PreflightService::NewStub(
        kit_ref.runner().metrics().InternalChannel(ads.common.peers.preflight));
    s->preflight_ = NewGrpcPreflightClient(s->preflight_stub_.get());
  }
  s->tokens_ = std::make_unique<AdvertiserTokens>(&kit_ref.tokens());
  s->idempotency_ = std::make_unique<idempotency::IdempotencyStore>(
      &kit_ref.redis(),
      idempotency::StoreOptions{.max_lease = ads.idempotency_lease});
  s->creatives_ = std::make_unique<Creatives>(tiktok, ads.creatives);
  s->uploads_ = std::make_unique<CreativeUploads>(
      s->creatives_.get(), s->tokens_.get(), s->idempotency_.get());
  s->creator_ = std::make_unique<AdCreator>(
      AdCreatorDeps{.tiktok = tiktok,
                    .connections = &kit_ref.connections(),
                    .tokens = s->tokens_.get(),
                    .idempotency = s->idempotency_.get(),
                    .creatives = s->creatives_.get(),
                    .work = kit_ref.env().work,
                    .identity = s->identity_.get(),
                    .preflight = s->preflight_.get(),
                    .http_media_hosts = ads.http_media_hosts});
  s->reader_ = std::make_unique<AdReader>(tiktok, s->tokens_.get());
  s->status_ = std::make_unique<AdStatusUpdater>(tiktok, s->tokens_.get(),
                                                 s->idempotency_.get());
  s->updater_ = std::make_unique<AdUpdater>(tiktok, s->reader_.get(),
                                            s->idempotency_.get());
  s->reports_ = std::make_unique<AdReports>(tiktok, s->tokens_.get());
  s->spark_posts_ = std::make_unique<SparkPosts>(tiktok, s->tokens_.get(),
                                                 s->identity_.get());
  s->raw_ = std::make_unique<RawCaller>(
      tiktok, s->tokens_.get(), ads.raw_call_allowlist, s->idempotency_.get());
  s->watch_ = std::make_unique<AdWatchHub>(
      tiktok, AdWatchHub::Options{.interval = ads.watch_interval});
  s->service_ = std::make_unique<AdsServiceImpl>(
      kit_ref.env(), AdsDomain{.tokens = s->tokens_.get(),
                               .creator = s->creator_.get(),
                               .reader = s->reader_.get(),
                               .status = s->status_.get(),
                               .updater = s->updater_.get(),
                               .reports = s->reports_.get(),
                               .spark_posts = s->spark_posts_.get(),
                               .raw = s->raw_.get(),
                               .uploads = s->uploads_.get(),
                               .watch = s->watch_.get()});
  kit_ref.runner().AddService(s->service_.get(),
                              v1::AdsService::service_full_name());
  s->zernio_ =
      std::make_unique<ZernioAdsServiceImpl>(kit_ref.env(), s->creator_.get());
  kit_ref.runner().AddService(
      s->zernio_.get(), compat::v1::ZernioAdsService::service_full_name());
  s->adspirer_ = std::make_unique<AdspirerToolsServiceImpl>(kit_ref.env(),
                                                            s->creator_.get());
  kit_ref.runner().AddService(
      s->adspirer_.get(),
      compat::v1::AdspirerToolsService::service_full_name());
  return s;
}

}  // namespace ttads::ads
