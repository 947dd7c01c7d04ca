#ifndef TTADS_LIBS_FETCH_IMAGE_INFO_H_
#define TTADS_LIBS_FETCH_IMAGE_INFO_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace ttads::fetch {

enum class ImageFormat { kJpeg, kPng };

struct ImageInfo {
  ImageFormat format;
  int width = 0;
  int height = 0;
};

// Identifies a JPEG or PNG by its content (magic bytes, never the file name
// or the server's content type) and reads its dimensions from the header.
// INVALID_ARGUMENT for anything else (GIF, WebP, truncated or hostile
// headers), with a message that says what was found.
absl::StatusOr<ImageInfo> InspectImage(std::string_view bytes);

std::string_view ImageFormatName(ImageFormat format);

}  // namespace ttads::fetch

#endif  // TTADS_LIBS_FETCH_IMAGE_INFO_H_
