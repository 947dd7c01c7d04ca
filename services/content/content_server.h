#ifndef TTADS_SERVICES_CONTENT_CONTENT_SERVER_H_
#define TTADS_SERVICES_CONTENT_CONTENT_SERVER_H_

#include <memory>

#include "absl/status/statusor.h"
#include "libs/connections/account_token_source.h"
#include "libs/connections/refresh_lease.h"
#include "libs/connections/tiktok_account_store.h"
#include "libs/service_kit/service_kit.h"
#include "libs/tiktok_open/display_api.h"
#include "libs/tiktok_open/login_api.h"
#include "libs/tiktok_open/oembed.h"
#include "libs/tiktok_open/sound_api.h"
#include "services/content/content_config.h"
#include "services/content/content_service.h"
#include "services/content/embed_cache.h"

namespace ttads::content {

// The content service assembled from its typed configuration: the shared
// kit, the TikTok account store (Redis, tokens encrypted), the token source
// (refresh lease in Redis), the Display API client, the lister, the watch
// hub and the gRPC adapter. main() calls kit().Run(); tests call
// kit().runner().Start().
class ContentServer {
 public:
  static absl::StatusOr<std::unique_ptr<ContentServer>> Create(
      const ContentConfig& config);

  service_kit::ServiceKit& kit() { return *kit_; }
  PostWatchHub& watch() { return *watch_; }

 private:
  ContentServer() = default;

  std::unique_ptr<service_kit::ServiceKit> kit_;
  std::unique_ptr<connections::RedisTikTokAccountStore> store_;
  std::unique_ptr<connections::RedisRefreshLease> lease_;
  std::unique_ptr<tiktok_open::HttpLoginApi> login_;
  std::unique_ptr<tiktok_open::HttpDisplayApi> display_;
  std::unique_ptr<connections::AccountTokenSource> tokens_;
  std::unique_ptr<AccountAccess> access_;
  std::unique_ptr<VideoPostLister> lister_;
  std::unique_ptr<PostWatchHub> watch_;
  std::unique_ptr<tiktok_open::HttpOEmbedApi> oembed_;
  std::unique_ptr<RedisEmbedCache> embed_cache_;
  std::unique_ptr<EmbeddedVideoGetter> embeds_;
  std::unique_ptr<tiktok_open::HttpSoundApi> sound_api_;
  std::unique_ptr<SoundUploader> sounds_;
  std::unique_ptr<ContentServiceImpl> service_;
};

}  // namespace ttads::content

#endif  // TTADS_SERVICES_CONTENT_CONTENT_SERVER_H_
