#include "libs/fetch/image_info.h"

#include <cstdint>

#include "absl/strings/str_cat.h"

// The header is read by hand, not by an image library: the bytes come from
// arbitrary URLs, and only the format and the size are needed. Nothing here
// decodes pixel data, so hostile files (e.g. corrupt JPEG Huffman tables,
// which overflow Debian's stb_image) never reach a decoder.
namespace ttads::fetch {
namespace {

bool StartsWith(std::string_view bytes, std::string_view magic) {
  return bytes.size() >= magic.size() &&
         bytes.substr(0, magic.size()) == magic;
}

uint32_t Be32(std::string_view b, size_t at) {
  return (uint32_t(uint8_t(b[at])) << 24) | (uint32_t(uint8_t(b[at + 1])) << 16) |
         (uint32_t(uint8_t(b[at + 2])) << 8) | uint32_t(uint8_t(b[at + 3]));
}

uint32_t Be16(std::string_view b, size_t at) {
  return (uint32_t(uint8_t(b[at])) << 8) | uint32_t(uint8_t(b[at + 1]));
}

absl::Status Corrupt(std::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat("image header is corrupt or truncated (", std::string(what),
                   "); cannot read its size"));
}

// PNG: signature, then the IHDR chunk (length 13) with width and height.
absl::StatusOr<ImageInfo> InspectPng(std::string_view b) {
  if (b.size() < 24 || b.substr(12, 4) != "IHDR" || Be32(b, 8) != 13) {
    return Corrupt("no IHDR chunk");
  }
  ImageInfo info{ImageFormat::kPng, 0, 0};
  uint32_t w = Be32(b, 16), h = Be32(b, 20);
  if (w == 0 || h == 0 || w > 0x7fffffff || h > 0x7fffffff) {
    return Corrupt("zero or huge dimensions");
  }
  info.width = static_cast<int>(w);
  info.height = static_cast<int>(h);
  return info;
}

bool IsStartOfFrame(uint8_t marker) {
  return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 &&
         marker != 0xC8 && marker != 0xCC;
}

// JPEG: walk the marker segments after SOI until a start-of-frame, whose
// payload is precision(1) height(2) width(2).
absl::StatusOr<ImageInfo> InspectJpeg(std::string_view b) {
  size_t at = 2;
  for (int segments = 0; segments < 4096; ++segments) {
    while (at < b.size() && uint8_t(b[at]) != 0xFF) ++at;  // resync
    while (at < b.size() && uint8_t(b[at]) == 0xFF) ++at;  // fill bytes
    if (at >= b.size()) return Corrupt("no frame header");
    const uint8_t marker = uint8_t(b[at++]);
    if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
      continue;  // no length
    }
    if (marker == 0xD9 || marker == 0xDA) return Corrupt("no frame header");
    if (at + 2 > b.size()) return Corrupt("truncated segment");
    const uint32_t length = Be16(b, at);
    if (length < 2 || at + length > b.size()) return Corrupt("bad segment length");
    if (IsStartOfFrame(marker)) {
      if (length < 7) return Corrupt("short frame header");
      ImageInfo info{ImageFormat::kJpeg, int(Be16(b, at + 5)),
                     int(Be16(b, at + 3))};
      if (info.width == 0 || info.height == 0) {
        return Corrupt("zero dimensions");
      }
      return info;
    }
    at += length;
  }
  return Corrupt("too many segments");
}

}  // namespace

std::string_view ImageFormatName(ImageFormat format) {
  return format == ImageFormat::kJpeg ? "JPEG" : "PNG";
}

absl::StatusOr<ImageInfo> InspectImage(std::string_view bytes) {
  if (StartsWith(bytes, "\xFF\xD8\xFF")) return InspectJpeg(bytes);
  if (StartsWith(bytes, "\x89PNG\r\n\x1a\n")) return InspectPng(bytes);
  if (StartsWith(bytes, "GIF8")) {
    return absl::InvalidArgumentError(
        "image is a GIF; only JPG or PNG is accepted");
  }
  if (StartsWith(bytes, "RIFF") && bytes.size() >= 12 &&
      bytes.substr(8, 4) == "WEBP") {
    return absl::InvalidArgumentError(
        "image is a WebP; only JPG or PNG is accepted");
  }
  return absl::InvalidArgumentError("file is not a JPG or PNG image");
}

}  // namespace ttads::fetch
