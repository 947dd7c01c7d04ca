#ifndef TTADS_LIBS_TIKTOK_OPEN_DISPLAY_API_H_
#define TTADS_LIBS_TIKTOK_OPEN_DISPLAY_API_H_

// TikTok's Display API video list (POST <base>/v2/video/list/?fields=...,
// Authorization: Bearer <user access token>, JSON body {cursor, max_count};
// answer {data: {videos, cursor, has_more}, error: {code, message,
// log_id}}; TikTok "List Videos", "Error Handling"; docs/content.md).

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace ttads::tiktok_open {

// TikTok's per-page maximum of max_count.
inline constexpr int kMaxVideosPerPage = 20;

// ErrorInfo reasons of DisplayApi errors.
inline constexpr char kTokenInvalid[] = "TIKTOK_TOKEN_INVALID";
inline constexpr char kScopeMissing[] = "TIKTOK_SCOPE_MISSING";

// One public post (TikTok's Video Object, the fields ttads asks for).
struct VideoPost {
  std::string id;           // item_id; usable as a Spark ad's tiktok_item_id.
  int64_t create_time = 0;  // UTC Unix seconds.
  std::string title;
  std::string video_description;
  std::string share_url;
  std::string embed_link;
  std::string cover_image_url;
  int64_t duration = 0;  // Seconds.
  int64_t like_count = 0, comment_count = 0, share_count = 0, view_count = 0;
};

struct VideoPage {
  std::vector<VideoPost> videos;  // Newest first.
  int64_t cursor = 0;             // Pass back for the next (older) page.
  bool has_more = false;
};

// Errors: FAILED_PRECONDITION reason TIKTOK_TOKEN_INVALID
// (access_token_invalid); PERMISSION_DENIED reason TIKTOK_SCOPE_MISSING
// (scope_not_authorized / scope_permission_missed: the user did not grant
// video.list); RESOURCE_EXHAUSTED with RetryInfo (rate_limit_exceeded);
// UNAVAILABLE (transport, 5xx, internal_error); FAILED_PRECONDITION reason
// TIKTOK_REFUSED (invalid_params and others).
class DisplayApi {
 public:
  virtual ~DisplayApi() = default;
  // `cursor` 0 = newest; `max_count` in [1, kMaxVideosPerPage].
  virtual absl::StatusOr<VideoPage> ListVideos(const std::string& access_token,
                                               int64_t cursor, int max_count,
                                               absl::Time deadline) = 0;
};

class HttpDisplayApi : public DisplayApi {
 public:
  // `base_url`: "https://open.tiktokapis.com/".
  explicit HttpDisplayApi(std::string base_url)
      : base_url_(std::move(base_url)) {}
  absl::StatusOr<VideoPage> ListVideos(const std::string& access_token,
                                       int64_t cursor, int max_count,
                                       absl::Time deadline) override;

 private:
  std::string base_url_;
};

// The status of a v2 error answer ({error: {code, message, log_id}}) of
// `path`, as listed above DisplayApi; `meta` (tiktok_log_id, tiktok_error)
// goes into the ErrorInfo.
absl::Status V2ErrorStatus(
    const std::string& path, int http_status, const std::string& code,
    const std::string& message,
    const std::vector<std::pair<std::string, std::string>>& meta);

// The fields ttads requests (the query's `fields`).
const char* VideoFieldsParam();
// Reads a /v2/video/list/ answer (any HTTP status) into a page or the
// errors above.
absl::StatusOr<VideoPage> ParseVideoListAnswer(int http_status,
                                               const std::string& body);

}  // namespace ttads::tiktok_open

#endif  // TTADS_LIBS_TIKTOK_OPEN_DISPLAY_API_H_
