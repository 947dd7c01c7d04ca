#include "services/identity/identity_config.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "libs/config/common_settings.h"
#include "libs/fetch/fetch_config.h"

namespace ttads::identity {
namespace {

constexpr char kConsentUrl[] = "TTADS_OAUTH_CONSENT_URL";
constexpr char kRedirectUri[] = "TTADS_OAUTH_REDIRECT_URI";
constexpr char kPolicy[] = "TTADS_CUSTOM_IDENTITY_POLICY";
constexpr char kCacheTtl[] = "TTADS_IDENTITY_CACHE_TTL_SECONDS";
constexpr char kRefreshPeriod[] = "TTADS_TIKTOK_ACCOUNT_REFRESH_PERIOD_SECONDS";
constexpr char kRefreshLead[] = "TTADS_TIKTOK_ACCOUNT_REFRESH_LEAD_SECONDS";
constexpr char kRefreshBatch[] = "TTADS_TIKTOK_ACCOUNT_REFRESH_BATCH";
// A common key (config::CommonServiceSchema); the consent URL carries it.
constexpr char kAppId[] = "TTADS_TIKTOK_APP_ID";

}  // namespace

config::Schema IdentitySchema() {
  using config::Key;
  config::Schema schema = config::CommonServiceSchema(50051, 9101);
  schema.Add(
      Key::Url(kConsentUrl)
          .Default("https://business-api.tiktok.com/portal/auth")
          .Help("TikTok consent page (the simulator serves /portal/auth)"));
  schema.Add(Key::String(kRedirectUri)
                 .Help("redirect_uri used when StartConnection gets none"));
  schema.Add(Key::Enum(kPolicy, {"allow", "opt_in", "reject"})
                 .Default("opt_in")
                 .Help("when new ads may run under a CUSTOMIZED_USER"));
  schema.Add(Key::Int(kCacheTtl, 1, 3600)
                 .Default("60")
                 .Help("identity list cache lifetime"));
  fetch::AddFetchKeys(schema);
  tiktok_open::AddOpenPlatformKeys(schema);
  schema.Add(Key::String("TTADS_TIKTOK_ACCOUNT_REDIRECT_URI")
                 .Help("redirect_uri used when a TikTok account connection "
                       "start has none"));
  schema.Add(Key::Int(kRefreshPeriod, 1, 86400)
                 .Default("300")
                 .Help("how often identity looks for TikTok account "
                       "connections whose access token is about to expire "
                       "and refreshes them in the background"));
  schema.Add(Key::Int(kRefreshLead, 60, 43200)
                 .Default("3600")
                 .Help("a TikTok account connection is refreshed in the "
                       "background once its access token expires within "
                       "this; keep it below TikTok's access token life"));
  schema.Add(Key::Int(kRefreshBatch, 1, 100000)
                 .Default("500")
                 .Help("at most this many TikTok account connections are "
                       "refreshed per background cycle"));
  return schema;
}

absl::StatusOr<IdentityConfig> IdentityConfigFrom(
    const config::Config& config) {
  IdentityConfig out;
  out.common = config::CommonSettingsFrom(config);
  out.oauth.consent_base_url = config.GetString(kConsentUrl);
  out.oauth.app_id = config.GetString(kAppId);
  out.oauth.default_redirect_uri = config.GetString(kRedirectUri);
  tiktok_open::OpenPlatformSettings open =
      tiktok_open::OpenPlatformFromConfig(config);
  out.login = open.login;
  out.tiktok_accounts.authorize_url = open.authorize_url;
  out.tiktok_accounts.client_key = open.login.client_key;
  out.tiktok_accounts.default_redirect_uri =
      config.GetString("TTADS_TIKTOK_ACCOUNT_REDIRECT_URI");
  auto policy = ParseCustomIdentityPolicy(config.GetString(kPolicy));
  if (!policy.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(kPolicy, ": ", policy.status().message()));
  }
  out.custom_identity_policy = *policy;
  out.catalog.cache_ttl = absl::Seconds(config.GetInt(kCacheTtl));
  out.image_fetch = fetch::FetchOptionsFromConfig(config);
  out.refresher.period = absl::Seconds(config.GetInt(kRefreshPeriod));
  out.refresher.lead = absl::Seconds(config.GetInt(kRefreshLead));
  out.refresher.batch = static_cast<size_t>(config.GetInt(kRefreshBatch));
  out.refresher.backoff_initial = out.refresher.period;
  out.refresher.backoff_max =
      std::max(out.refresher.period, out.refresher.lead / 4);
  return out;
}

}  // namespace ttads::identity
