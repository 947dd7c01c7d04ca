#include "services/preflight/preflight_server.h"

#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"

namespace ttads::preflight {

using config::Key;

config::Schema PreflightSchema() {
  config::Schema schema = config::CommonServiceSchema(50052, 9102);
  schema.Add(
      Key::Int("TTADS_PREFLIGHT_ASSET_CACHE_TTL_SECONDS", 1, 3600)
          .Default("60")
          .Help("lifetime of cached asset lists (pixels, catalogs, apps, "
                "lead forms) in Redis"));
  schema.Add(Key::Int("TTADS_PREFLIGHT_RESULT_CACHE_MS", 0, 60000)
                 .Default("2000")
                 .Help("how long a computed publish check is reused for the "
                       "same member and advertiser; 0 disables"));
  return schema;
}

absl::StatusOr<std::unique_ptr<PreflightServer>> PreflightServer::Create(
    const config::Config& config) {
  std::unique_ptr<PreflightServer> s(new PreflightServer());
  auto kit = service_kit::ServiceKit::Create(config, "preflight");
  if (!kit.ok()) return kit.status();
  s->kit_ = *std::move(kit);
  auto& kit_ref = *s->kit_;

  // Keys are authenticated by the kit's cache, which revocations clear.
  server::ServiceEnv env = kit_ref.env();

  s->identities_ = std::make_unique<GrpcIdentitySource>(
      grpc::CreateChannel(config.GetString("TTADS_IDENTITY_ADDRESS"),
                          grpc::InsecureChannelCredentials()));
  s->assets_ = std::make_unique<TikTokAssetSource>(
      &kit_ref.tiktok(), &kit_ref.redis(),
      TikTokAssetSourceOptions{
          .cache_ttl = absl::Seconds(
              config.GetInt("TTADS_PREFLIGHT_ASSET_CACHE_TTL_SECONDS"))});
  CheckerOptions checker_options;
  checker_options.result_ttl =
      absl::Milliseconds(config.GetInt("TTADS_PREFLIGHT_RESULT_CACHE_MS"));
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
