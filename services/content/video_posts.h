#ifndef TTADS_SERVICES_CONTENT_VIDEO_POSTS_H_
#define TTADS_SERVICES_CONTENT_VIDEO_POSTS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/server/call_context.h"
#include "libs/tiktok_open/display_api.h"
#include "services/content/account_access.h"

namespace ttads::content {

// Ibexa's "List TikTok Video Posts" default limit.
inline constexpr int kDefaultPageSize = 10;
inline constexpr int kMaxPageSize = 100;

struct VideoPostPage {
  std::vector<tiktok_open::VideoPost> posts;  // Newest first.
  std::string next_page_token;                // "" on the last page.
};

// Lists an account's public posts in pages of any size up to kMaxPageSize,
// filled from TikTok's pages of at most tiktok_open::kMaxVideosPerPage. A
// page token carries TikTok's cursor (a create_time in ms: the next page
// holds the posts published before it), so paging is stable while new
// posts arrive.
class VideoPostLister {
 public:
  VideoPostLister(const AccountAccess* access, tiktok_open::DisplayApi* api)
      : access_(access), api_(api) {}

  // Errors: INVALID_ARGUMENT for a negative page_size (page_size) or a
  // page token this class did not make (page_token); AccountAccess's
  // errors for the connection (scope video.list); the DisplayApi's.
  absl::StatusOr<VideoPostPage> List(const server::CallContext& call,
                                     const std::string& connection_id,
                                     int page_size,
                                     const std::string& page_token) const;

 private:
  const AccountAccess* access_;
  tiktok_open::DisplayApi* api_;
};

// Page tokens: opaque to callers, TikTok's cursor inside.
std::string EncodePageToken(int64_t cursor_ms);
absl::StatusOr<int64_t> DecodePageToken(const std::string& token);

}  // namespace ttads::content

#endif  // TTADS_SERVICES_CONTENT_VIDEO_POSTS_H_
