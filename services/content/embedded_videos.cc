#include "services/content/embedded_videos.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "libs/status/status_macros.h"
#include "libs/store/key_schema.h"

namespace ttads::content {

std::string EmbedCacheKey(absl::string_view canonical_url) {
  return store::GlobalKey(absl::StrCat("oembed:", canonical_url));
}

absl::StatusOr<std::optional<std::string>> RedisEmbedCache::Get(
    const std::string& canonical_url) {
  TTADS_ASSIGN_OR_RETURN(
      store::RedisReply reply,
      redis_->Command({"GET", EmbedCacheKey(canonical_url)}));
  if (reply.is_error()) return absl::UnavailableError(reply.str);
  if (reply.type != store::RedisReply::Type::kString) return std::nullopt;
  return std::optional<std::string>(std::move(reply.str));
}

absl::Status RedisEmbedCache::Put(const std::string& canonical_url,
                                  const std::string& answer,
                                  absl::Duration ttl) {
  TTADS_ASSIGN_OR_RETURN(
      store::RedisReply reply,
      redis_->Command({"SET", EmbedCacheKey(canonical_url), answer, "PX",
                       std::to_string(std::max<int64_t>(
                           1, absl::ToInt64Milliseconds(ttl)))}));
  if (reply.is_error()) return absl::UnavailableError(reply.str);
  return absl::OkStatus();
}

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
