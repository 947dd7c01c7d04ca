#ifndef TTADS_SERVICES_CONTENT_EMBED_CACHE_H_
#define TTADS_SERVICES_CONTENT_EMBED_CACHE_H_

// The cache of TikTok's oEmbed answers behind EmbeddedVideoGetter
// (embedded_videos.h): the port, and its Redis implementation that
// ttads-content runs with. The getter treats any error of the cache as a
// miss (the cache is an optimisation), so these errors never reach a caller
// of GetEmbeddedVideo.

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "libs/store/redis.h"

namespace ttads::content {

// Where oEmbed answers are kept between calls, keyed by the canonical
// video URL. An interface so the getter is tested without Redis.
class EmbedCache {
 public:
  virtual ~EmbedCache() = default;
  // The stored answer, or nullopt when there is none (or it expired).
  virtual absl::StatusOr<std::optional<std::string>> Get(
      const std::string& canonical_url) = 0;
  // Stores `answer` for `ttl`, replacing any earlier answer of the URL.
  virtual absl::Status Put(const std::string& canonical_url,
                           const std::string& answer, absl::Duration ttl) = 0;
};

// "ttads:oembed:<canonical URL>" (docs/redis-keys.md). Not a team's key:
// the answer is public and the same for every caller.
std::string EmbedCacheKey(absl::string_view canonical_url);

// In Redis: a STRING per URL holding the answer verbatim, with its TTL
// (SET ... PX; a TTL under a millisecond is stored as 1 ms, since Redis
// refuses PX 0). Errors are the pool's (store::RedisPool::Command):
// UNAVAILABLE when Redis cannot be reached, INTERNAL for an error reply
// (e.g. WRONGTYPE), its text in the message.
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

}  // namespace ttads::content

#endif  // TTADS_SERVICES_CONTENT_EMBED_CACHE_H_
