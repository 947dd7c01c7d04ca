#include "services/content/embedded_videos.h"

#include <optional>
#include <string>
#include <utility>

#include "libs/status/status_macros.h"

namespace ttads::content {

absl::StatusOr<EmbeddedVideoResult> EmbeddedVideoGetter::Get(
    absl::string_view video_url, absl::Time deadline) {
  EmbeddedVideoResult out;
  TTADS_ASSIGN_OR_RETURN(out.url, tiktok_open::ParseVideoUrl(video_url));
  absl::StatusOr<std::optional<std::string>> hit =
      cache_->Get(out.url.canonical);
  if (hit.ok() && hit->has_value()) {
    absl::StatusOr<tiktok_open::EmbeddedVideo> video =
        tiktok_open::ParseOEmbedAnswer(200, **hit);
    if (video.ok()) {
      out.video = *std::move(video);
      out.cached = true;
      return out;
    }
    // An unreadable entry (another version wrote it): ask TikTok again.
  }
  TTADS_ASSIGN_OR_RETURN(std::string answer, api_->Fetch(out.url, deadline));
  TTADS_ASSIGN_OR_RETURN(out.video,
                         tiktok_open::ParseOEmbedAnswer(200, answer));
  if (hit.ok()) (void)cache_->Put(out.url.canonical, answer, ttl_);
  return out;
}

}  // namespace ttads::content
