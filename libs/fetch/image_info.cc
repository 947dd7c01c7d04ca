#include "libs/fetch/image_info.h"

#include <climits>

#include "stb/stb_image.h"

namespace ttads::fetch {
namespace {

bool StartsWith(std::string_view bytes, std::string_view magic) {
  return bytes.size() >= magic.size() &&
         bytes.substr(0, magic.size()) == magic;
}

}  // namespace

std::string_view ImageFormatName(ImageFormat format) {
  return format == ImageFormat::kJpeg ? "JPEG" : "PNG";
}

absl::StatusOr<ImageInfo> InspectImage(std::string_view bytes) {
  ImageInfo info;
  if (StartsWith(bytes, "\xFF\xD8\xFF")) {
    info.format = ImageFormat::kJpeg;
  } else if (StartsWith(bytes, "\x89PNG\r\n\x1a\n")) {
    info.format = ImageFormat::kPng;
  } else if (StartsWith(bytes, "GIF8")) {
    return absl::InvalidArgumentError("image is a GIF; only JPG or PNG is accepted");
  } else if (StartsWith(bytes, "RIFF") && bytes.size() >= 12 &&
             bytes.substr(8, 4) == "WEBP") {
    return absl::InvalidArgumentError("image is a WebP; only JPG or PNG is accepted");
  } else {
    return absl::InvalidArgumentError("file is not a JPG or PNG image");
  }
  if (bytes.size() > INT_MAX) {
    return absl::InvalidArgumentError("image is too large");
  }
  int w = 0, h = 0, comp = 0;
  if (!stbi_info_from_memory(reinterpret_cast<const stbi_uc*>(bytes.data()),
                             static_cast<int>(bytes.size()), &w, &h, &comp) ||
      w <= 0 || h <= 0) {
    return absl::InvalidArgumentError(
        "image header is corrupt or truncated; cannot read its size");
  }
  info.width = w;
  info.height = h;
  return info;
}

}  // namespace ttads::fetch
