#ifndef TTADS_TOOLS_TIKTOK_SIM_MEDIA_H_
#define TTADS_TOOLS_TIKTOK_SIM_MEDIA_H_

// Small media helpers for uploads: MD5 signatures and image header sniffing.

#include <optional>
#include <string>
#include <string_view>

namespace ttads::tiktok_sim {

// Lower-case hex MD5 of `data` (TikTok's image/video/file signature).
std::string Md5Hex(std::string_view data);

struct ImageInfo {
  int width = 0;
  int height = 0;
  std::string format;  // "png" or "jpeg".
};

// Reads dimensions from PNG/JPEG headers (stb_image); nullopt for other or
// corrupt data.
std::optional<ImageInfo> SniffImage(std::string_view data);

}  // namespace ttads::tiktok_sim

#endif  // TTADS_TOOLS_TIKTOK_SIM_MEDIA_H_
