#include "tools/tiktok_sim/media.h"

#include <openssl/evp.h>

#define STB_IMAGE_IMPLEMENTATION
#define STBI_ONLY_PNG
#define STBI_ONLY_JPEG
#define STBI_NO_STDIO
#include <stb/stb_image.h>

namespace ttads::tiktok_sim {

std::string Md5Hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), digest, &len, EVP_md5(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 0xF]);
  }
  return out;
}

std::optional<ImageInfo> SniffImage(std::string_view data) {
  if (data.size() < 8) return std::nullopt;
  int w = 0, h = 0, comp = 0;
  if (!stbi_info_from_memory(reinterpret_cast<const stbi_uc*>(data.data()),
                             static_cast<int>(data.size()), &w, &h, &comp)) {
    return std::nullopt;
  }
  ImageInfo info;
  info.width = w;
  info.height = h;
  info.format = static_cast<unsigned char>(data[0]) == 0x89 ? "png" : "jpeg";
  return info;
}

}  // namespace ttads::tiktok_sim
