#ifndef TTADS_SERVICES_CONTENT_EMBEDDED_VIDEOS_H_
#define TTADS_SERVICES_CONTENT_EMBEDDED_VIDEOS_H_

// Ibexa's "Get an Embedded Video": a TikTok video page URL → TikTok's
// oEmbed answer, cached (docs/content.md, "Embedded videos").

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "libs/store/redis.h"
#include "libs/tiktok_open/oembed.h"

namespace ttads::content {

// Where oEmbed answers are kept between calls, keyed by the canonical
// video URL. An interface so the getter is tested without Redis.
class EmbedCache {
 public:
  virtual ~EmbedCache() = default;
  // The stored answer, or nullopt when there is none (or it expired).
  virtual absl::StatusOr<std::optional<std::string>> Get(
      const std::string& canonical_url) = 0;
  virtual absl::Status Put(const std::string& canonical_url,
                           const std::string& answer, absl::Duration ttl) = 0;
};

// "ttads:oembed:<canonical URL>" (docs/redis-keys.md). Not a team's key:
// the answer is public and the same for every caller.
std::string EmbedCacheKey(absl::string_view canonical_url);

// In Redis: a STRING per URL with a TTL (SET ... PX).
class RedisEmbedCache : public EmbedCache {
 public:
  explicit RedisEmbedCache(store::RedisPool* redis) : redis_(redis) {}
  absl::StatusOr<std::optional<std::string>> Get(
      const std::string& canonical_url) override;
  absl::Status Put(const std::string& canonical_url, const std::string& answer,
                   absl::Duration ttl) override;

 private:
  store::RedisPool* redis_;
};

struct EmbeddedVideoResult {
  tiktok_open::VideoUrl url;
  tiktok_open::EmbeddedVideo video;
  bool cached = false;
};

// Checks the URL (tiktok_open::ParseVideoUrl: refused before anything is
// fetched or looked up), answers from the cache when it holds the
// canonical URL, else asks TikTok's oEmbed and stores the answer for `ttl`.
// Only successful answers are cached. The cache is an optimisation: when
// Redis fails the getter asks TikTok (and does not store). Two callers that
// miss at once may both ask TikTok.
class EmbeddedVideoGetter {
 public:
  EmbeddedVideoGetter(tiktok_open::OEmbedApi* api, EmbedCache* cache,
                      absl::Duration ttl)
      : api_(api), cache_(cache), ttl_(ttl) {}

  // Errors: ParseVideoUrl's, and OEmbedApi::Fetch's.
  absl::StatusOr<EmbeddedVideoResult> Get(absl::string_view video_url,
                                          absl::Time deadline);

 private:
  tiktok_open::OEmbedApi* api_;
  EmbedCache* cache_;
  absl::Duration ttl_;
};

}  // namespace ttads::content

#endif  // TTADS_SERVICES_CONTENT_EMBEDDED_VIDEOS_H_
