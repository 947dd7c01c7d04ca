#ifndef TTADS_LIBS_TIKTOK_OPEN_OPEN_CONFIG_H_
#define TTADS_LIBS_TIKTOK_OPEN_OPEN_CONFIG_H_

#include <string>

#include "libs/config/config.h"
#include "libs/tiktok_open/login_api.h"

// The configuration keys of TikTok's user platform, declared once for every
// binary that signs in TikTok users or reads their content (identity,
// content):
//   TTADS_TIKTOK_OPEN_BASE_URL     https://open.tiktokapis.com/ (locally
//                                  the simulator's root URL)
//   TTADS_TIKTOK_AUTHORIZE_URL     https://www.tiktok.com/v2/auth/authorize/
//   TTADS_TIKTOK_CLIENT_KEY        Login Kit client key; empty: the
//                                  Marketing API's TTADS_TIKTOK_APP_ID
//   TTADS_TIKTOK_CLIENT_SECRET     secret; empty: TTADS_TIKTOK_APP_SECRET
//   TTADS_TIKTOK_OEMBED_URL        https://www.tiktok.com/oembed (locally
//                                  the simulator's <root>/oembed)
namespace ttads::tiktok_open {

void AddOpenPlatformKeys(config::Schema& schema);

struct OpenPlatformSettings {
  std::string base_url;
  std::string authorize_url;
  std::string oembed_url;
  LoginApiOptions login;  // base_url, client key and secret resolved.
};

// From a configuration whose schema has the keys above and the common
// TTADS_TIKTOK_APP_ID / TTADS_TIKTOK_APP_SECRET.
OpenPlatformSettings OpenPlatformFromConfig(const config::Config& config);

}  // namespace ttads::tiktok_open

#endif  // TTADS_LIBS_TIKTOK_OPEN_OPEN_CONFIG_H_
