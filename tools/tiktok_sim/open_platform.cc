#include "tools/tiktok_sim/open_platform.h"

#include <exception>

#include "absl/strings/match.h"
#include "tools/tiktok_sim/display_api.h"
#include "tools/tiktok_sim/login_kit.h"
#include "tools/tiktok_sim/oembed.h"
#include "tools/tiktok_sim/open_api_v2.h"
#include "tools/tiktok_sim/sound_upload.h"

namespace ttads::tiktok_sim {

bool IsOpenPlatformPath(const std::string& path) {
  return absl::StartsWith(path, "/v2/") || path == kOEmbedPath;
}

http::HttpResponse HandleOpenPlatform(
    SimState& state, const http::HttpRequest& req, const std::string& log_id,
    std::chrono::system_clock::time_point now) {
  try {
    if (req.path == kAuthorizePath) return HandleAuthorize(state, req, now);
    if (req.path == kTokenPath) return HandleToken(state, req, log_id, now);
    if (req.path == kRevokePath) return HandleRevoke(state, req, log_id);
    if (req.path == kVideoListPath) {
      return ListVideos(state, req, log_id, now);
    }
    if (req.path == kOEmbedPath) return HandleOEmbed(state, req);
    if (req.path == kSoundUploadPath) {
      return UploadSound(state, req, log_id, now);
    }
  } catch (const std::exception& e) {
    return OpenApiError(500, "internal_error", e.what(), log_id);
  }
  return http::HttpResponse::Text(404, "404 page not found\n");
}

}  // namespace ttads::tiktok_sim
