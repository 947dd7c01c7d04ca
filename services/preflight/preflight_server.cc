#include "services/preflight/preflight_server.h"

#include "libs/status/status_macros.h"

namespace ttads::preflight {

absl::StatusOr<std::unique_ptr<PreflightServer>> PreflightServer::Create(
    const config::Config& config) {
  TTADS_ASSIGN_OR_RETURN(PreflightConfig typed, PreflightConfigFrom(config));
  return Create(typed);
}

absl::StatusOr<std::unique_ptr<PreflightServer>> PreflightServer::Create(
    const PreflightConfig& config) {
  std::unique_ptr<PreflightServer> s(new PreflightServer());
  TTADS_ASSIGN_OR_RETURN(
      s->kit_, service_kit::ServiceKit::Create(config.common, "preflight"));
  auto& kit_ref = *s->kit_;

  // Keys are authenticated by the kit's cache, which revocations clear.
  server::ServiceEnv env = kit_ref.env();

  s->identities_ = std::make_unique<GrpcIdentitySource>(
      kit_ref.runner().metrics().InternalChannel(config.common.peers.identity));
  s->tiktok_assets_ = std::make_unique<TikTokAssetSource>(&kit_ref.tiktok());
  s->assets_ = std::make_unique<CachedAssetSource>(
      s->tiktok_assets_.get(), &kit_ref.redis(),
      CachedAssetSourceOptions{.ttl = config.asset_cache_ttl});
  CheckerOptions checker_options;
  checker_options.result_ttl = config.result_cache;
  s->checker_ = std::make_unique<PublishChecker>(
      &kit_ref.tokens(), s->assets_.get(), s->identities_.get(),
      std::move(checker_options));
  s->service_ =
      std::make_unique<PreflightServiceImpl>(std::move(env), s->checker_.get());
  kit_ref.runner().AddService(s->service_.get(),
                              v1::PreflightService::service_full_name());
  return s;
}

}  // namespace ttads::preflight
