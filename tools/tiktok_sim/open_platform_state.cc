#include "tools/tiktok_sim/open_platform_state.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace ttads::tiktok_sim {

std::vector<const VideoPost*> OpenPlatformState::PostsOf(
    const std::string& open_id) const {
  std::vector<const VideoPost*> out;
  for (const auto& [id, p] : posts) {
    if (p.open_id == open_id) out.push_back(&p);
  }
  std::sort(out.begin(), out.end(), [](const VideoPost* a, const VideoPost* b) {
    return a->create_time > b->create_time;
  });
  return out;
}

VideoPost PublishPost(OpenPlatformState& open, const std::string& open_id,
                      const std::string& title,
                      std::chrono::system_clock::time_point now) {
  int64_t t =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch())
          .count();
  auto existing = open.PostsOf(open_id);
  if (!existing.empty()) t = std::max(t, existing.front()->create_time + 1);
  VideoPost p;
  p.id = absl::StrFormat("74%017d", open.next_post++);
  p.open_id = open_id;
  p.create_time = t;
  p.title = title;
  open.posts[p.id] = p;
  return p;
}

std::string PostShareUrl(const TikTokUser& user, const VideoPost& post) {
  return absl::StrCat("https://www.tiktok.com/@", user.username, "/video/",
                      post.id);
}

}  // namespace ttads::tiktok_sim
