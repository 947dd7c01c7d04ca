#ifndef TTADS_LIBS_MEDIA_SLIDESHOW_H_
#define TTADS_LIBS_MEDIA_SLIDESHOW_H_

// Renders still images into an H.264 MP4 slideshow that TikTok accepts as a
// SINGLE_VIDEO creative (docs/ads.md "Slideshows"). Built on FFmpeg's
// libraries (libavcodec decodes and encodes, libswscale scales, libavformat
// muxes); nothing here is a hand-written codec.
//
// Limits, from TikTok's API reference (ckr2436/Tiktok-OPS,
// docs/tiktok_api/pages/API Reference/):
//  - Video/Upload_a_video: recommended ratio 9:16 (or 16:9, 1:1); a video
//    below 540x960 is flagged LOW_RESOLUTION; length outside 5–60 s is
//    ILLEGAL_DURATION; files up to 500 MB; .mp4 is accepted.
//  - Accounts/Posts/Publish_a_public_video_post: frame rate 23–60 FPS.
//  - Ads/Create_ads: a non-Spark SINGLE_VIDEO needs a cover in image_ids
//    whose aspect ratio is the video's — hence the cover frame below, taken
//    from the canvas itself.
// The reference gives no bitrate figure; the encoder runs at a constant
// quantiser, which for stills gives small files far under the size limit.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/media/still_image.h"

namespace ttads::media {

struct SlideshowOptions {
  // The canvas: 9:16 vertical, above the 540x960 LOW_RESOLUTION floor.
  int width = 720;
  int height = 1280;
  // A constant frame rate inside 23–60 FPS.
  int fps = 24;
  // How long each image shows, before the total is fitted into
  // [min_seconds, max_seconds].
  double seconds_per_image = 3.0;
  double min_seconds = 5.0;
  double max_seconds = 60.0;
  // libx264's constant quantiser (key frames get ~3 less, libx264's
  // ipratio) and speed preset. A constant quantiser rather than CRF: every
  // frame after a slide's first repeats it exactly, and at a fixed
  // quantiser libx264 codes such frames as all-skip P-frames (cheap and
  // tiny), where CRF keeps spending bits refining them.
  int qp = 23;
  std::string preset = "ultrafast";
  // Extra libx264 options ("key=value:key=value"), applied after the preset.
  std::string x264_params;
  // Encoder threads. One keeps the CPU cost per slideshow lowest; the
  // service renders on its own work-queue thread anyway.
  int threads = 1;
  int64_t max_image_pixels = kMaxStillPixels;
  // MJPEG quantiser of the cover, 2 (best) to 31.
  int cover_qscale = 3;
};

// How long each image shows, in whole frames.
struct SlideshowPlan {
  int frames_per_image = 0;
  int total_frames = 0;
  double seconds_per_image = 0;
  double duration_seconds = 0;
};

// Fits `image_count` images into the duration limits: seconds_per_image
// each, stretched so the total reaches min_seconds, shrunk so it stays
// within max_seconds. INVALID_ARGUMENT for no images, bad options, or more
// images than max_seconds can show one frame of each.
absl::StatusOr<SlideshowPlan> PlanSlideshow(int image_count,
                                            const SlideshowOptions& options);

struct SlideshowResult {
  SlideshowPlan plan;
  int width = 0;
  int height = 0;
  int64_t bytes = 0;       // Size of the MP4 file.
  std::string encoder;     // The libavcodec encoder used ("libx264").
  std::string cover_jpeg;  // The first slide, canvas-sized, as a JPEG.
};

// Writes a slideshow to a file, one image at a time: memory stays bounded
// by one encoded and one decoded image plus the encoder's frames, whatever
// the number of images. Each image is decoded (DecodeStill), turned upright
// when its EXIF orientation says so, scaled to fit the canvas with its
// aspect ratio kept and centred on black, converted to yuv420p once, and shown
// for frames_per_image frames (the first one a key frame). The MP4 has its
// index (moov) first ("+faststart"), so TikTok can start processing before
// reading the whole file. The first slide is also encoded as the cover JPEG.
//
// Not thread-safe; use one writer per slideshow.
class SlideshowWriter {
 public:
  // Opens `path` for writing (created or truncated). INVALID_ARGUMENT for a
  // bad plan; INTERNAL when no H.264 encoder or the file cannot be opened.
  static absl::StatusOr<std::unique_ptr<SlideshowWriter>> Create(
      const std::string& path, int image_count, SlideshowOptions options);
  ~SlideshowWriter();
  SlideshowWriter(const SlideshowWriter&) = delete;
  SlideshowWriter& operator=(const SlideshowWriter&) = delete;

  // Adds the next image (JPEG or PNG bytes). INVALID_ARGUMENT for an image
  // that cannot be decoded or is too large, or past image_count;
  // INTERNAL when encoding or writing fails.
  absl::Status AddImage(std::string_view encoded);

  // Flushes the encoder and completes the file. FAILED_PRECONDITION unless
  // exactly image_count images were added.
  absl::StatusOr<SlideshowResult> Finish();

 private:
  struct State;
  explicit SlideshowWriter(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

// Renders all `images` (JPEG/PNG bytes) to `path` in one call.
absl::StatusOr<SlideshowResult> RenderSlideshow(
    const std::vector<std::string>& images, const std::string& path,
    const SlideshowOptions& options = {});

}  // namespace ttads::media

#endif  // TTADS_LIBS_MEDIA_SLIDESHOW_H_
