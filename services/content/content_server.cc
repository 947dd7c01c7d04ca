#include "services/content/content_server.h"

#include "libs/status/status_macros.h"

namespace ttads::content {

absl::StatusOr<std::unique_ptr<ContentServer>> ContentServer::Create(
    const ContentConfig& config) {
  std::unique_ptr<ContentServer> s(new ContentServer());
  TTADS_ASSIGN_OR_RETURN(
      s->kit_, service_kit::ServiceKit::Create(config.common, "content"));
  auto& kit = *s->kit_;
  s->store_ = std::make_unique<connections::RedisTikTokAccountStore>(
      &kit.redis(), kit.token_keys());
  s->lease_ = std::make_unique<connections::RedisRefreshLease>(&kit.redis());
  s->login_ = std::make_unique<tiktok_open::HttpLoginApi>(config.open.login);
  s->display_ =
      std::make_unique<tiktok_open::HttpDisplayApi>(config.open.base_url);
  s->tokens_ = std::make_unique<connections::AccountTokenSource>(
      s->store_.get(), s->lease_.get(), s->login_.get(),
      connections::AccountTokenSourceOptions{.refresh_margin =
                                                 config.refresh_margin});
  s->access_ =
      std::make_unique<AccountAccess>(s->store_.get(), s->tokens_.get());
  s->lister_ =
      std::make_unique<VideoPostLister>(s->access_.get(), s->display_.get());
  const AccountAccess* access = s->access_.get();
  s->watch_ = std::make_unique<PostWatchHub>(
      s->display_.get(),
      [access](const std::string& team, const std::string& conn,
               absl::Time deadline) {
        return access->TokenFor(team, conn, deadline);
      },
      PostWatchHub::Options{.interval = config.watch_interval});
  s->oembed_ = std::make_unique<tiktok_open::HttpOEmbedApi>(
      config.open.oembed_url, config.oembed_fetch);
  s->embed_cache_ = std::make_unique<RedisEmbedCache>(&kit.redis());
  s->embeds_ = std::make_unique<EmbeddedVideoGetter>(
      s->oembed_.get(), s->embed_cache_.get(), config.oembed_cache_ttl);
  s->sound_api_ =
      std::make_unique<tiktok_open::HttpSoundApi>(config.open.base_url);
  s->sounds_ =
      std::make_unique<SoundUploader>(s->access_.get(), s->sound_api_.get());
  s->service_ = std::make_unique<ContentServiceImpl>(
      kit.env(), ContentDomain{.access = s->access_.get(),
                               .lister = s->lister_.get(),
                               .watch = s->watch_.get(),
                               .embeds = s->embeds_.get(),
                               .sounds = s->sounds_.get()});
  kit.runner().AddService(s->service_.get(),
                          v1::ContentService::service_full_name());
  return s;
}

}  // namespace ttads::content
