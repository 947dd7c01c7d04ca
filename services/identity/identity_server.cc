#include "services/identity/identity_server.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace ttads::identity {

using config::Key;

config::Schema IdentitySchema() {
  config::Schema schema = config::CommonServiceSchema(50051, 9101);
  schema.Add(Key::Url("TTADS_OAUTH_CONSENT_URL")
                 .Default("https://business-api.tiktok.com/portal/auth")
                 .Help("TikTok consent page (the simulator serves /portal/auth)"));
  schema.Add(Key::String("TTADS_OAUTH_REDIRECT_URI")
                 .Help("redirect_uri used when StartConnection gets none"));
  schema.Add(Key::Enum("TTADS_CUSTOM_IDENTITY_POLICY",
                       {"allow", "opt_in", "reject"})
                 .Default("opt_in")
                 .Help("when new ads may run under a CUSTOMIZED_USER"));
  schema.Add(Key::Int("TTADS_IDENTITY_CACHE_TTL_SECONDS", 1, 3600)
                 .Default("60")
                 .Help("identity list cache lifetime"));
  schema.Add(Key::Bool("TTADS_FETCH_ALLOW_PRIVATE")
                 .Default("false")
                 .Help("let user-supplied URLs reach private addresses (tests only)"));
  schema.Add(Key::String("TTADS_FETCH_PRIVATE_ALLOWLIST")
                 .Help("comma-separated host:port targets user URLs may reach "
                       "although not public (e.g. an internal media proxy)"));
  schema.Add(Key::Int("TTADS_FETCH_MAX_IMAGE_BYTES", 1, 64 << 20)
                 .Default(std::to_string(5 * 1024 * 1024))
                 .Help("largest Brand Identity image"));
  return schema;
}

absl::StatusOr<std::unique_ptr<IdentityServer>> IdentityServer::Create(
    const config::Config& config) {
  std::unique_ptr<IdentityServer> s(new IdentityServer());
  auto kit = service_kit::ServiceKit::Create(config, "identity");
  if (!kit.ok()) return kit.status();
  s->kit_ = *std::move(kit);
  auto policy =
      ParseCustomIdentityPolicy(config.GetString("TTADS_CUSTOM_IDENTITY_POLICY"));
  if (!policy.ok()) return policy.status();

  auto& kit_ref = *s->kit_;
  s->tiktok_ = std::make_unique<ClientIdentityApi>(&kit_ref.tiktok());
  s->accounts_store_ = std::make_unique<AccountStore>(&kit_ref.redis());
  s->connections_ = std::make_unique<ConnectionManager>(
      &kit_ref.redis(), &kit_ref.connections(), s->tiktok_.get(),
      ConnectionManagerOptions{
          .consent_base_url = config.GetString("TTADS_OAUTH_CONSENT_URL"),
          .app_id = config.GetString("TTADS_TIKTOK_APP_ID"),
          .default_redirect_uri = config.GetString("TTADS_OAUTH_REDIRECT_URI")});
  s->accounts_ = std::make_unique<AdsAccounts>(s->accounts_store_.get(),
                                               &kit_ref.tokens());
  s->catalog_ = std::make_unique<IdentityCatalog>(
      &kit_ref.redis(), &kit_ref.connections(), &kit_ref.tokens(),
      &kit_ref.teams(), s->tiktok_.get(),
      CatalogOptions{.cache_ttl = absl::Seconds(
                         config.GetInt("TTADS_IDENTITY_CACHE_TTL_SECONDS"))});
  BrandIdentityOptions brand_options;
  brand_options.fetch.allow_private = config.GetBool("TTADS_FETCH_ALLOW_PRIVATE");
  for (absl::string_view entry : absl::StrSplit(
           config.GetString("TTADS_FETCH_PRIVATE_ALLOWLIST"), ',',
           absl::SkipWhitespace())) {
    brand_options.fetch.private_allowlist.emplace_back(
        absl::StripAsciiWhitespace(entry));
  }
  brand_options.fetch.max_bytes =
      static_cast<size_t>(config.GetInt("TTADS_FETCH_MAX_IMAGE_BYTES"));
  s->brand_ = std::make_unique<BrandIdentityManager>(
      &kit_ref.redis(), s->accounts_store_.get(), s->catalog_.get(),
      s->tiktok_.get(), brand_options);
  s->resolver_ = std::make_unique<IdentityResolver>(
      s->catalog_.get(), s->accounts_store_.get(), *policy);
  s->service_ = std::make_unique<IdentityServiceImpl>(
      kit_ref.env(), IdentityDomain{.connections = s->connections_.get(),
                                    .accounts = s->accounts_.get(),
                                    .catalog = s->catalog_.get(),
                                    .brand = s->brand_.get(),
                                    .resolver = s->resolver_.get()});
  kit_ref.runner().AddService(s->service_.get(),
                              v1::IdentityService::service_full_name());
  return s;
}

}  // namespace ttads::identity
