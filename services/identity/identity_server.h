#ifndef TTADS_SERVICES_IDENTITY_IDENTITY_SERVER_H_
#define TTADS_SERVICES_IDENTITY_IDENTITY_SERVER_H_

#include <memory>

#include "absl/status/statusor.h"
#include "libs/config/config.h"
#include "libs/connections/account_token_source.h"
#include "libs/connections/refresh_lease.h"
#include "libs/idempotency/idempotency_store.h"
#include "libs/service_kit/service_kit.h"
#include "services/admin/admin_api.h"
#include "services/admin/admin_service.h"
#include "services/identity/account_refresher.h"
#include "services/identity/identity_config.h"
#include "services/identity/identity_service.h"
#include "services/identity/image_source.h"
#include "services/identity/oauth_state_store.h"
#include "services/identity/tiktok_account_service.h"

namespace ttads::identity {

// The identity service assembled from its typed configuration: the shared
// kit plus the domain objects and the gRPC adapter, registered on the kit's
// runner. main() calls kit().Run(); tests call kit().runner().Start() and
// use the bound port.
class IdentityServer {
 public:
  // `config` was loaded and validated once at start (main.cc:
  // service_kit::LoadTypedConfigOrDie with IdentityConfigFrom).
  static absl::StatusOr<std::unique_ptr<IdentityServer>> Create(
      const IdentityConfig& config);
  // The same with IdentityConfigFrom(config) (a Config loaded with
  // IdentitySchema()).
  static absl::StatusOr<std::unique_ptr<IdentityServer>> Create(
      const config::Config& config);

  ~IdentityServer();

  service_kit::ServiceKit& kit() { return *kit_; }
  // Starts the background refresher of TikTok account connections (not the
  // gRPC server); StopBackground (and the destructor) stops and joins it.
  void StartBackground();
  void StopBackground();
  AccountRefresher& refresher() { return *refresher_; }

 private:
  IdentityServer() = default;

  std::unique_ptr<service_kit::ServiceKit> kit_;
  std::unique_ptr<ClientIdentityApi> tiktok_;
  std::unique_ptr<PublicImageSource> images_;
  std::unique_ptr<AccountStore> accounts_store_;
  std::unique_ptr<ConnectionManager> connections_;
  std::unique_ptr<AdsAccounts> accounts_;
  std::unique_ptr<IdentityCatalog> catalog_;
  std::unique_ptr<BrandIdentityManager> brand_;
  std::unique_ptr<IdentityResolver> resolver_;
  std::unique_ptr<IdentityMutations> mutations_;
  std::unique_ptr<IdentityServiceImpl> service_;
  // TikTok account connections (Login Kit).
  std::unique_ptr<tiktok_open::HttpLoginApi> login_;
  std::unique_ptr<RedisOAuthStateStore> account_states_;
  std::unique_ptr<connections::RedisTikTokAccountStore> account_store_;
  std::unique_ptr<TikTokAccounts> tiktok_accounts_;
  std::unique_ptr<TikTokAccountServiceImpl> account_service_;
  std::unique_ptr<connections::RedisRefreshLease> refresh_lease_;
  std::unique_ptr<connections::AccountTokenSource> account_tokens_;
  std::unique_ptr<AccountRefresher> refresher_;
  // The operators' admin API (ttads.admin.v1.AdminService, docs/admin.md).
  std::unique_ptr<idempotency::IdempotencyStore> admin_idempotency_;
  std::unique_ptr<admin::AdminApi> admin_;
  std::unique_ptr<admin::AdminServiceImpl> admin_service_;
};

}  // namespace ttads::identity

#endif  // TTADS_SERVICES_IDENTITY_IDENTITY_SERVER_H_
