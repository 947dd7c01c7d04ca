#ifndef TTADS_LIBS_TIKTOK_OPEN_FAKE_DISPLAY_API_H_
#define TTADS_LIBS_TIKTOK_OPEN_FAKE_DISPLAY_API_H_

#include <algorithm>
#include <map>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "libs/status/status_macros.h"
#include "libs/tiktok_open/display_api.h"

namespace ttads::tiktok_open {

// In-memory Display API for domain tests (thread-safe): each access token
// sees its user's posts, paged like TikTok (newest first; the cursor is the
// last post's create_time in milliseconds; posts older than it come next).
class FakeDisplayApi : public DisplayApi {
 public:
  // Publishes a post for `token`'s user at `create_time` (seconds).
  VideoPost Publish(const std::string& token, int64_t create_time) {
    std::lock_guard<std::mutex> lock(mu_);
    VideoPost p;
    p.id = absl::StrCat("75", 100000000000000000 + (++serial_));
    p.create_time = create_time;
    p.title = absl::StrCat("post ", serial_);
    p.share_url = absl::StrCat("https://www.tiktok.com/@u/video/", p.id);
    posts_[token].push_back(p);
    return p;
  }

  absl::StatusOr<VideoPage> ListVideos(const std::string& access_token,
                                       int64_t cursor, int max_count,
                                       absl::Time) override {
    std::lock_guard<std::mutex> lock(mu_);
    ++calls_;
    TTADS_RETURN_IF_ERROR(error);
    if (max_count < 1 || max_count > kMaxVideosPerPage) {
      return absl::FailedPreconditionError("max_count out of range");
    }
    std::vector<VideoPost> all = posts_[access_token];
    std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
      return a.create_time > b.create_time;
    });
    VideoPage page;
    page.cursor = cursor;
    for (const auto& p : all) {
      if (cursor > 0 && p.create_time * 1000 >= cursor) continue;
      if (static_cast<int>(page.videos.size()) == max_count) {
        page.has_more = true;
        break;
      }
      page.videos.push_back(p);
      page.cursor = p.create_time * 1000;
    }
    return page;
  }

  int calls() const {
    std::lock_guard<std::mutex> lock(mu_);
    return calls_;
  }

  absl::Status error;  // Set to make every call fail.

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::vector<VideoPost>> posts_;
  int64_t serial_ = 0;
  int calls_ = 0;
};

}  // namespace ttads::tiktok_open

#endif  // TTADS_LIBS_TIKTOK_OPEN_FAKE_DISPLAY_API_H_
