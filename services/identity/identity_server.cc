#include "services/identity/identity_server.h"

#include "libs/status/status_macros.h"

namespace ttads::identity {

absl::StatusOr<std::unique_ptr<IdentityServer>> IdentityServer::Create(
    const config::Config& config) {
  TTADS_ASSIGN_OR_RETURN(IdentityConfig typed, IdentityConfigFrom(config));
  return Create(typed);
}

absl::StatusOr<std::unique_ptr<IdentityServer>> IdentityServer::Create(
    const IdentityConfig& settings) {
  std::unique_ptr<IdentityServer> s(new IdentityServer());
  TTADS_ASSIGN_OR_RETURN(
      s->kit_, service_kit::ServiceKit::Create(settings.common, "identity"));
  auto& kit = *s->kit_;
  s->tiktok_ = std::make_unique<ClientIdentityApi>(&kit.tiktok());
  s->images_ = std::make_unique<PublicImageSource>(settings.image_fetch);
  s->accounts_store_ = std::make_unique<AccountStore>(&kit.redis());
  s->connections_ = std::make_unique<ConnectionManager>(
      &kit.redis(), &kit.connections(), s->tiktok_.get(), settings.oauth);
  s->accounts_ =
      std::make_unique<AdsAccounts>(s->accounts_store_.get(), &kit.tokens());
  s->catalog_ = std::make_unique<IdentityCatalog>(
      &kit.redis(), &kit.connections(), &kit.tokens(), &kit.teams(),
      s->tiktok_.get(), settings.catalog);
  s->brand_ = std::make_unique<BrandIdentityManager>(
      &kit.redis(), s->accounts_store_.get(), s->catalog_.get(),
      s->tiktok_.get(), s->images_.get(), BrandIdentityOptions{});
  s->resolver_ = std::make_unique<IdentityResolver>(
      s->catalog_.get(), s->accounts_store_.get(),
      settings.custom_identity_policy);
  s->mutations_ = std::make_unique<IdentityMutations>(
      &kit.redis(), s->accounts_.get(), s->catalog_.get(), s->brand_.get());
  s->service_ = std::make_unique<IdentityServiceImpl>(
      kit.env(), IdentityDomain{.connections = s->connections_.get(),
                                .accounts = s->accounts_.get(),
                                .catalog = s->catalog_.get(),
                                .brand = s->brand_.get(),
                                .resolver = s->resolver_.get(),
                                .mutations = s->mutations_.get()});
  kit.runner().AddService(s->service_.get(),
                          v1::IdentityService::service_full_name());
  s->login_ = std::make_unique<tiktok_open::HttpLoginApi>(settings.login);
  s->account_states_ =
      std::make_unique<RedisOAuthStateStore>(&kit.redis(), "ttacct_state");
  s->account_store_ = std::make_unique<connections::RedisTikTokAccountStore>(
      &kit.redis(), kit.token_keys());
  s->tiktok_accounts_ = std::make_unique<TikTokAccounts>(
      s->account_states_.get(), s->account_store_.get(), s->login_.get(),
      settings.tiktok_accounts);
  s->account_service_ = std::make_unique<TikTokAccountServiceImpl>(
      kit.env(), s->tiktok_accounts_.get());
  kit.runner().AddService(s->account_service_.get(),
                          v1::TikTokAccountService::service_full_name());
  s->refresh_lease_ =
      std::make_unique<connections::RedisRefreshLease>(&kit.redis());
  s->account_tokens_ = std::make_unique<connections::AccountTokenSource>(
      s->account_store_.get(), s->refresh_lease_.get(), s->login_.get());
  s->refresher_ = std::make_unique<AccountRefresher>(
      &kit.redis(), s->account_store_.get(), s->account_tokens_.get(),
      &kit.runner().metrics().registry(), settings.refresher);
  s->admin_idempotency_ =
      std::make_unique<idempotency::IdempotencyStore>(&kit.redis());
  s->admin_ = std::make_unique<admin::AdminApi>(&kit.teams(),
                                                s->admin_idempotency_.get());
  s->admin_service_ =
      std::make_unique<admin::AdminServiceImpl>(kit.env(), s->admin_.get());
  kit.runner().AddService(s->admin_service_.get(),
                          admin::v1::AdminService::service_full_name());
  return s;
}

void IdentityServer::StartBackground() { refresher_->Start(); }

void IdentityServer::StopBackground() {
  if (refresher_) refresher_->Stop();
}

IdentityServer::~IdentityServer() { StopBackground(); }

}  // namespace ttads::identity
