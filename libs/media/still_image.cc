#include "libs/media/still_image.h"

#include <cstring>

#include "absl/strings/str_cat.h"
#include "libs/fetch/image_info.h"
#include "libs/status/status_macros.h"

namespace ttads::media {
namespace {

// Bytes per decoded pixel: from the PNG header (IHDR bit depth at byte 24,
// colour type at byte 25; InspectImage has checked IHDR is there), or 4 for
// JPEG (CMYK is the widest).
int64_t DecodedBytesPerPixel(std::string_view bytes, fetch::ImageFormat f) {
  if (f != fetch::ImageFormat::kPng || bytes.size() < 26) return 4;
  const int depth = static_cast<uint8_t>(bytes[24]) > 8 ? 2 : 1;
  switch (static_cast<uint8_t>(bytes[25])) {
    case 0:  // grey
    case 3:  // palette (decoded to 4-byte entries, but 1 byte a pixel)
      return 1 * depth;
    case 4:  // grey + alpha
      return 2 * depth;
    case 2:  // RGB
      return 3 * depth;
    default:  // RGBA and anything unknown
      return 4 * depth;
  }
}

}  // namespace

absl::StatusOr<FramePtr> DecodeStill(std::string_view bytes,
                                     int64_t max_pixels) {
  TTADS_ASSIGN_OR_RETURN(fetch::ImageInfo info, fetch::InspectImage(bytes));
  if (int64_t{info.width} * info.height > max_pixels) {
    return absl::InvalidArgumentError(
        absl::StrCat("image is ", info.width, "x", info.height, "; at most ",
                     max_pixels, " pixels are accepted"));
  }
  const int64_t decoded = int64_t{info.width} * info.height *
                          DecodedBytesPerPixel(bytes, info.format);
  if (decoded > kMaxStillDecodedBytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        "image is ", info.width, "x", info.height, " and would take ",
        decoded >> 20, " MiB decoded; at most ", kMaxStillDecodedBytes >> 20,
        " MiB are accepted"));
  }
  const AVCodecID id = info.format == fetch::ImageFormat::kPng
                           ? AV_CODEC_ID_PNG
                           : AV_CODEC_ID_MJPEG;
  const AVCodec* codec = avcodec_find_decoder(id);
  if (codec == nullptr) {
    return absl::InternalError(
        absl::StrCat("libavcodec has no ", avcodec_get_name(id), " decoder"));
  }
  CodecContextPtr ctx(avcodec_alloc_context3(codec));
  if (!ctx) return absl::ResourceExhaustedError("out of memory");
  ctx->thread_count = 1;
  // A backstop for headers that lie: the decoder counts its aligned buffer
  // size (a 200x100 PNG is 256x100 to it), hence the slack.
  ctx->max_pixels = 2 * max_pixels + 64 * 64;
  if (avcodec_open2(ctx.get(), codec, nullptr) < 0) {
    return absl::InternalError("cannot open the image decoder");
  }
  PacketPtr packet(av_packet_alloc());
  if (!packet ||
      av_new_packet(packet.get(), static_cast<int>(bytes.size())) < 0) {
    return absl::ResourceExhaustedError("out of memory");
  }
  std::memcpy(packet->data, bytes.data(), bytes.size());
  const std::string name(fetch::ImageFormatName(info.format));
  int err = avcodec_send_packet(ctx.get(), packet.get());
  if (err < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(name, " cannot be decoded: ", AvErrorText(err)));
  }
  avcodec_send_packet(ctx.get(), nullptr);  // Flush: one image, one frame.
  FramePtr frame(av_frame_alloc());
  if (!frame) return absl::ResourceExhaustedError("out of memory");
  err = avcodec_receive_frame(ctx.get(), frame.get());
  if (err < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(name, " cannot be decoded: ", AvErrorText(err)));
  }
  if (frame->width <= 0 || frame->height <= 0 ||
      int64_t{frame->width} * frame->height > max_pixels) {
    return absl::InvalidArgumentError(
        absl::StrCat(name, " decoded to an unusable size ", frame->width, "x",
                     frame->height));
  }
  return frame;
}

}  // namespace ttads::media
