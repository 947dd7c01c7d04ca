#include "services/content/video_posts.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "libs/status/status.h"
#include "libs/status/status_macros.h"

namespace ttads::content {
namespace {

// Upstream pages per call, however small TikTok's pages come back.
constexpr int kMaxUpstreamPages = 10;

}  // namespace

std::string EncodePageToken(int64_t cursor_ms) {
  return std::to_string(cursor_ms);
}

absl::StatusOr<int64_t> DecodePageToken(const std::string& token) {
  int64_t cursor = 0;
  if (!absl::SimpleAtoi(token, &cursor) || cursor <= 0) {
    return status::InvalidArgument(
        "page_token was not issued by ListVideoPosts",
        {{"page_token", "not a token this service issued"}});
  }
  return cursor;
}

absl::StatusOr<VideoPostPage> VideoPostLister::List(
    const server::CallContext& call, const std::string& connection_id,
    int page_size, const std::string& page_token) const {
  if (page_size < 0) {
    return status::InvalidArgument("page_size must not be negative",
                                   {{"page_size", "must be 0 or more"}});
  }
  const int want =
      page_size == 0 ? kDefaultPageSize : std::min(page_size, kMaxPageSize);
  int64_t cursor = 0;
  if (!page_token.empty()) {
    TTADS_ASSIGN_OR_RETURN(cursor, DecodePageToken(page_token));
  }
  TTADS_ASSIGN_OR_RETURN(std::string token,
                         access_->Token(call, connection_id, "video.list"));
  VideoPostPage out;
  bool has_more = true;
  for (int i = 0; i < kMaxUpstreamPages && has_more &&
                  static_cast<int>(out.posts.size()) < want;
       ++i) {
    const int ask = std::min(tiktok_open::kMaxVideosPerPage,
                             want - static_cast<int>(out.posts.size()));
    TTADS_ASSIGN_OR_RETURN(tiktok_open::VideoPage page,
                           api_->ListVideos(token, cursor, ask, call.deadline));
    for (auto& v : page.videos) out.posts.push_back(std::move(v));
    has_more = page.has_more;
    if (page.cursor == cursor && page.videos.empty()) break;  // No progress.
    cursor = page.cursor;
  }
  if (has_more && cursor > 0) out.next_page_token = EncodePageToken(cursor);
  return out;
}

}  // namespace ttads::content
