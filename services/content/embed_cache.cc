#include "services/content/embed_cache.h"

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

}  // namespace ttads::content
