#include "tools/tiktok_sim/oembed.h"

#include <string_view>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "libs/http/query.h"
#include "tools/tiktok_sim/open_api_v2.h"

namespace ttads::tiktok_sim {

http::HttpResponse HandleOEmbed(const SimState& s,
                                const http::HttpRequest& req) {
  if (req.method != "GET") {
    return http::HttpResponse::Text(405, "405 method not allowed\n");
  }
  const std::string url = req.QueryParam("url").value_or("");
  std::string_view raw_path, query;
  http::SplitTarget(url, &raw_path, &query);
  const std::string path(raw_path);
  const std::string prefix = "https://www.tiktok.com/@";
  std::vector<std::string> parts;
  if (absl::StartsWith(path, prefix)) {
    parts = absl::StrSplit(path.substr(prefix.size()), '/');
  }
  if (parts.size() != 3 || parts[1] != "video") {
    return JsonReply(
        400, {{"status_msg", "Invalid TikTok video URL"}, {"code", 400}});
  }
  auto post = s.open.posts.find(parts[2]);
  if (post == s.open.posts.end() ||
      s.open.users.at(post->second.open_id).username != parts[0]) {
    return JsonReply(404, {{"status_msg", "Video not found"}, {"code", 404}});
  }
  const TikTokUser& user = s.open.users.at(post->second.open_id);
  const std::string share = PostShareUrl(user, post->second);
  return JsonReply(
      200,
      {{"version", "1.0"},
       {"type", "video"},
       {"title", post->second.title},
       {"author_url", absl::StrCat("https://www.tiktok.com/@", user.username)},
       {"author_name", user.display_name},
       {"author_unique_id", user.username},
       {"width", "100%"},
       {"height", "100%"},
       {"html",
        absl::StrCat("<blockquote class=\"tiktok-embed\" cite=\"", share,
                     "\" data-video-id=\"", post->second.id,
                     "\"><section></section></blockquote> <script async "
                     "src=\"https://www.tiktok.com/embed.js\"></script>")},
       {"thumbnail_width", 576},
       {"thumbnail_height", 1024},
       {"thumbnail_url", absl::StrCat("https://sim.local/tiktok/cover/",
                                      post->second.id, ".jpeg")},
       {"provider_url", "https://www.tiktok.com"},
       {"provider_name", "TikTok"}});
}

}  // namespace ttads::tiktok_sim
