#include "libs/tiktok_open/open_config.h"

namespace ttads::tiktok_open {
namespace {

constexpr char kBaseUrl[] = "TTADS_TIKTOK_OPEN_BASE_URL";
constexpr char kAuthorizeUrl[] = "TTADS_TIKTOK_AUTHORIZE_URL";
constexpr char kClientKey[] = "TTADS_TIKTOK_CLIENT_KEY";
constexpr char kClientSecret[] = "TTADS_TIKTOK_CLIENT_SECRET";
constexpr char kOEmbedUrl[] = "TTADS_TIKTOK_OEMBED_URL";

}  // namespace

void AddOpenPlatformKeys(config::Schema& schema) {
  using config::Key;
  schema.Add(Key::Url(kBaseUrl)
                 .Default("https://open.tiktokapis.com/")
                 .Help("TikTok's user platform (Login Kit tokens, Display "
                       "API); locally the simulator's root URL"));
  schema.Add(Key::Url(kAuthorizeUrl)
                 .Default("https://www.tiktok.com/v2/auth/authorize/")
                 .Help("TikTok's Login Kit authorization page"));
  schema.Add(Key::Url(kOEmbedUrl)
                 .Default("https://www.tiktok.com/oembed")
                 .Help("TikTok's oEmbed endpoint (Get an Embedded Video); "
                       "fetched under the TTADS_FETCH_* public-address "
                       "rules; locally the simulator's <root>/oembed"));
  schema.Add(Key::String(kClientKey)
                 .Help("Login Kit client key (default: TTADS_TIKTOK_APP_ID)"));
  schema.Add(
      Key::String(kClientSecret)
          .Secret()
          .Help("Login Kit client secret (default: TTADS_TIKTOK_APP_SECRET)"));
}

OpenPlatformSettings OpenPlatformFromConfig(const config::Config& config) {
  OpenPlatformSettings out;
  out.base_url = config.GetString(kBaseUrl);
  out.authorize_url = config.GetString(kAuthorizeUrl);
  out.oembed_url = config.GetString(kOEmbedUrl);
  out.login.base_url = out.base_url;
  out.login.client_key = config.GetString(kClientKey);
  if (out.login.client_key.empty()) {
    out.login.client_key = config.GetString("TTADS_TIKTOK_APP_ID");
  }
  out.login.client_secret = config.GetString(kClientSecret);
  if (out.login.client_secret.empty()) {
    out.login.client_secret = config.GetString("TTADS_TIKTOK_APP_SECRET");
  }
  return out;
}

}  // namespace ttads::tiktok_open
