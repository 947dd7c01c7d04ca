#ifndef TTADS_SERVICES_CONTENT_EMBEDDED_VIDEOS_H_
#define TTADS_SERVICES_CONTENT_EMBEDDED_VIDEOS_H_

// Ibexa's "Get an Embedded Video": a TikTok video page URL → TikTok's
// oEmbed answer, cached (docs/content.md, "Embedded videos").

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "libs/tiktok_open/oembed.h"
#include "services/content/embed_cache.h"

namespace ttads::content {

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
