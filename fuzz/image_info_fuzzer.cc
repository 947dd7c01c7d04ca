// Fuzzes ttads::fetch::InspectImage with hostile image bytes (truncated
// headers, absurd dimensions, PNG/JPEG magic followed by garbage). The
// stb_image header parser it relies on is compiled into this fuzzer with
// the same instrumentation. Invariants: only INVALID_ARGUMENT on failure;
// an accepted image has positive dimensions and the format its magic bytes
// say.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "libs/fetch/image_info.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto info = ttads::fetch::InspectImage(bytes);
  if (!info.ok()) {
    if (info.status().code() != absl::StatusCode::kInvalidArgument) {
      std::abort();
    }
    return 0;
  }
  if (info->width <= 0 || info->height <= 0) std::abort();
  const bool png = bytes.substr(0, 8) == "\x89PNG\r\n\x1a\n";
  const bool jpeg = bytes.substr(0, 3) == "\xff\xd8\xff";
  if (info->format == ttads::fetch::ImageFormat::kPng && !png) std::abort();
  if (info->format == ttads::fetch::ImageFormat::kJpeg && !jpeg) std::abort();
  (void)ttads::fetch::ImageFormatName(info->format);
  return 0;
}
