#ifndef TTADS_SERVICES_PREFLIGHT_PREFLIGHT_SERVER_H_
#define TTADS_SERVICES_PREFLIGHT_PREFLIGHT_SERVER_H_

#include <memory>

#include "absl/status/statusor.h"
#include "libs/config/config.h"
#include "libs/service_kit/service_kit.h"
#include "services/preflight/cached_asset_source.h"
#include "services/preflight/grpc_identity_source.h"
#include "services/preflight/preflight_config.h"
#include "services/preflight/preflight_service.h"
#include "services/preflight/publish_checker.h"
#include "services/preflight/tiktok_asset_source.h"

namespace ttads::preflight {

// The preflight service assembled from its typed configuration: the shared
// kit, the identity channel (common.peers.identity), the TikTok asset
// source behind its Redis cache, the checker and the gRPC adapter,
// registered on the kit's runner.
// main() calls kit().Run(); tests call kit().runner().Start() and use the
// bound port.
class PreflightServer {
 public:
  static absl::StatusOr<std::unique_ptr<PreflightServer>> Create(
      const PreflightConfig& config);
  // The same with PreflightConfigFrom(config) (a Config loaded with
  // PreflightSchema()).
  static absl::StatusOr<std::unique_ptr<PreflightServer>> Create(
      const config::Config& config);

  service_kit::ServiceKit& kit() { return *kit_; }
  // The TikTok adapter (its upstream_calls()) and the cache in front of it,
  // which the checker asks.
  TikTokAssetSource& tiktok_assets() { return *tiktok_assets_; }
  CachedAssetSource& assets() { return *assets_; }

 private:
  PreflightServer() = default;

  std::unique_ptr<service_kit::ServiceKit> kit_;
  std::unique_ptr<GrpcIdentitySource> identities_;
  std::unique_ptr<TikTokAssetSource> tiktok_assets_;
  std::unique_ptr<CachedAssetSource> assets_;
  std::unique_ptr<PublishChecker> checker_;
  std::unique_ptr<PreflightServiceImpl> service_;
};

}  // namespace ttads::preflight

#endif  // TTADS_SERVICES_PREFLIGHT_PREFLIGHT_SERVER_H_
