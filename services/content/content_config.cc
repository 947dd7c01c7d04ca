#include "services/content/content_config.h"

#include "libs/fetch/fetch_config.h"

namespace ttads::content {
namespace {

constexpr char kWatchInterval[] = "TTADS_CONTENT_WATCH_INTERVAL_SECONDS";
constexpr char kRefreshMargin[] = "TTADS_CONTENT_REFRESH_MARGIN_SECONDS";
constexpr char kOEmbedCache[] = "TTADS_CONTENT_OEMBED_CACHE_SECONDS";

}  // namespace

config::Schema ContentSchema() {
  config::Schema schema = config::CommonServiceSchema(50055, 9105);
  tiktok_open::AddOpenPlatformKeys(schema);
  schema.Add(config::Key::Int(kWatchInterval, 1, 3600)
                 .Default("30")
                 .Help("how often WatchVideoPosts asks TikTok for new posts "
                       "of an account, seconds"));
  schema.Add(config::Key::Int(kRefreshMargin, 0, 43200)
                 .Default("600")
                 .Help("refresh a TikTok account's access token when it "
                       "expires within this many seconds"));
  schema.Add(config::Key::Int(kOEmbedCache, 1, 86400)
                 .Default("3600")
                 .Help("how long GetEmbeddedVideo reuses TikTok's oEmbed "
                       "answer for a video URL, seconds (its thumbnail_url "
                       "is a CDN link with a short life)"));
  fetch::AddFetchKeys(schema);
  return schema;
}

absl::StatusOr<ContentConfig> ContentConfigFrom(const config::Config& config) {
  return ContentConfig{
      .common = config::CommonSettingsFrom(config),
      .open = tiktok_open::OpenPlatformFromConfig(config),
      .watch_interval = absl::Seconds(config.GetInt(kWatchInterval)),
      .refresh_margin = absl::Seconds(config.GetInt(kRefreshMargin)),
      .oembed_cache_ttl = absl::Seconds(config.GetInt(kOEmbedCache)),
      .oembed_fetch = fetch::FetchOptionsFromConfig(config)};
}

}  // namespace ttads::content
