#ifndef TTADS_SERVICES_IDENTITY_IDENTITY_CONFIG_H_
#define TTADS_SERVICES_IDENTITY_IDENTITY_CONFIG_H_

#include "absl/status/statusor.h"
#include "libs/config/common_settings.h"
#include "libs/config/config.h"
#include "libs/fetch/public_fetcher.h"
#include "libs/tiktok_open/open_config.h"
#include "services/identity/account_refresher.h"
#include "services/identity/connection_manager.h"
#include "services/identity/identity_catalog.h"
#include "services/identity/identity_resolver.h"
#include "services/identity/tiktok_accounts.h"

namespace ttads::identity {

// The identity service's configuration keys on top of the common ones
// (docs/configuration.md):
//   TTADS_OAUTH_CONSENT_URL           TikTok's consent page
//   TTADS_OAUTH_REDIRECT_URI          redirect_uri when a start has none
//   TTADS_CUSTOM_IDENTITY_POLICY      allow | opt_in (default) | reject
//   TTADS_IDENTITY_CACHE_TTL_SECONDS  1–3600, 60
//   TTADS_FETCH_*                     the Brand Identity image download
//                                     (fetch::AddFetchKeys)
//   TTADS_TIKTOK_OPEN_BASE_URL, TTADS_TIKTOK_AUTHORIZE_URL,
//   TTADS_TIKTOK_CLIENT_KEY, TTADS_TIKTOK_CLIENT_SECRET
//                                     Login Kit (tiktok_open::
//                                     AddOpenPlatformKeys)
//   TTADS_TIKTOK_ACCOUNT_REDIRECT_URI redirect_uri when a TikTok account
//                                     connection start has none
//   TTADS_TIKTOK_ACCOUNT_REFRESH_PERIOD_SECONDS  1–86400, 300
//   TTADS_TIKTOK_ACCOUNT_REFRESH_LEAD_SECONDS    60–43200, 3600
//   TTADS_TIKTOK_ACCOUNT_REFRESH_BATCH           1–100000, 500
//                                     the background refresher of TikTok
//                                     account connections (AccountRefresher)
config::Schema IdentitySchema();

// Everything the identity binary reads from its configuration, typed.
// Loaded and validated once at start (main.cc: service_kit::
// LoadTypedConfigOrDie with IdentityConfigFrom); nothing else in
// services/identity reads a key by name.
struct IdentityConfig {
  // The common keys, for service_kit::ServiceKit.
  config::CommonSettings common;
  // Consent URL, TikTok app id (the common TTADS_TIKTOK_APP_ID) and the
  // default redirect_uri.
  ConnectionManagerOptions oauth;
  CustomIdentityPolicy custom_identity_policy = CustomIdentityPolicy::kOptIn;
  CatalogOptions catalog;
  // Rules of the Brand Identity image download.
  fetch::FetchOptions image_fetch;
  // TikTok account connections (Login Kit).
  TikTokAccountsOptions tiktok_accounts;
  tiktok_open::LoginApiOptions login;
  // The background refresh of TikTok account connections: backoff_initial
  // is the period, backoff_max a quarter of the lead (at least the period).
  AccountRefresherOptions refresher;
};

// The typed configuration of a `config` loaded with IdentitySchema().
// INVALID_ARGUMENT naming the key for a value the schema could not check.
absl::StatusOr<IdentityConfig> IdentityConfigFrom(const config::Config& config);

}  // namespace ttads::identity

#endif  // TTADS_SERVICES_IDENTITY_IDENTITY_CONFIG_H_
