#ifndef TTADS_LIBS_MEDIA_STILL_IMAGE_H_
#define TTADS_LIBS_MEDIA_STILL_IMAGE_H_

#include <cstdint>
#include <string_view>

#include "absl/status/statusor.h"
#include "libs/media/av_handles.h"

namespace ttads::media {

// The largest image DecodeStill accepts, in pixels (4096 × 4096: a 12 MP
// phone photo fits; a decoded image then stays under ~50 MB).
inline constexpr int64_t kMaxStillPixels = int64_t{4096} * 4096;

// The most memory one decoded image may take (a 4096x4096 8-bit RGBA PNG
// is 64 MiB; the same in 16 bits per channel is refused).
inline constexpr int64_t kMaxStillDecodedBytes = int64_t{64} << 20;

// Decodes one JPEG or PNG (identified by content, not by name) with
// libavcodec's own decoders into a frame in the decoder's pixel format.
// Untrusted bytes never reach a hand-written or header-only decoder: the
// header is checked first (libs/fetch InspectImage), images larger than
// `max_pixels`, or whose decoded size (from the PNG header's bit depth and
// colour type; 4 bytes a pixel at most for JPEG) exceeds
// kMaxStillDecodedBytes, are refused before any pixel is decoded, and the
// decoder gets a pixel limit too, in case the header lied.
// Errors: INVALID_ARGUMENT for anything that is not a decodable JPEG/PNG
// within the limit (the message says what was wrong).
absl::StatusOr<FramePtr> DecodeStill(std::string_view bytes,
                                     int64_t max_pixels = kMaxStillPixels);

}  // namespace ttads::media

#endif  // TTADS_LIBS_MEDIA_STILL_IMAGE_H_
