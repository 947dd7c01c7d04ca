#include "libs/media/slideshow.h"

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/fetch/test_images.h"
#include "libs/testing/status_matchers.h"
#include "stb/stb_image_write.h"

namespace ttads::media {
namespace {

using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;

void Append(void* context, void* data, int size) {
  static_cast<std::string*>(context)->append(static_cast<const char*>(data),
                                             size);
}

// A PNG of one colour.
std::string SolidPng(int width, int height, unsigned char r, unsigned char g,
                     unsigned char b) {
  std::vector<unsigned char> pixels(static_cast<size_t>(width) * height * 3);
  for (size_t i = 0; i < pixels.size(); i += 3) {
    pixels[i] = r;
    pixels[i + 1] = g;
    pixels[i + 2] = b;
  }
  std::string out;
  stbi_write_png_to_func(Append, &out, width, height, 3, pixels.data(),
                         width * 3);
  return out;
}

// A baseline JPEG of one grey level (full range, as every JPEG is).
std::string SolidJpeg(int width, int height, unsigned char level) {
  std::vector<unsigned char> pixels(static_cast<size_t>(width) * height * 3,
                                    level);
  std::string out;
  stbi_write_jpg_to_func(Append, &out, width, height, 3, pixels.data(), 95);
  return out;
}

// A 400x200 JPEG, white on its left half and black on its right, carrying
// an EXIF Orientation tag (6: turn clockwise to view; 8: anticlockwise).
std::string HalfWhiteJpegWithOrientation(int orientation) {
  const int w = 400, h = 200;
  std::vector<unsigned char> pixels(static_cast<size_t>(w) * h * 3, 0);
  for (int y = 0; y < h; ++y) {
    std::memset(&pixels[static_cast<size_t>(y) * w * 3], 255, w / 2 * 3);
  }
  std::string jpeg;
  stbi_write_jpg_to_func(Append, &jpeg, w, h, 3, pixels.data(), 95);
  // APP1 "Exif": a little-endian TIFF header and one IFD entry,
  // Orientation (0x0112), SHORT, count 1.
  std::string tiff("II*\0\x08\0\0\0\x01\0\x12\x01\x03\0\x01\0\0\0", 18);
  tiff += static_cast<char>(orientation);
  tiff += std::string(7, '\0');  // value padding, then no next IFD
  std::string payload = std::string("Exif\0\0", 6) + tiff;
  const size_t len = payload.size() + 2;
  std::string app1 = std::string("\xff\xe1", 2) + static_cast<char>(len >> 8) +
                     static_cast<char>(len & 0xff) + payload;
  jpeg.insert(2, app1);  // Right after SOI.
  return jpeg;
}

// A private file path, removed at the end of the test.
class TempMp4 {
 public:
  TempMp4() {
    std::string tmpl = ::testing::TempDir() + "slideshow-XXXXXX";
    int fd = mkstemp(tmpl.data());
    EXPECT_GE(fd, 0);
    close(fd);
    path_ = tmpl;
  }
  ~TempMp4() { unlink(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// What libavformat reads back from a file.
struct Probe {
  AVCodecID codec = AV_CODEC_ID_NONE;
  int width = 0, height = 0;
  int pix_fmt = -1;
  double duration = 0;
  int64_t frames = 0;
  double fps = 0;
  int video_streams = 0;
};

Probe ProbeFile(const std::string& path) {
  Probe p;
  AVFormatContext* fmt = nullptr;
  if (avformat_open_input(&fmt, path.c_str(), nullptr, nullptr) < 0) return p;
  if (avformat_find_stream_info(fmt, nullptr) >= 0) {
    for (unsigned i = 0; i < fmt->nb_streams; ++i) {
      const AVStream* st = fmt->streams[i];
      if (st->codecpar->codec_type != AVMEDIA_TYPE_VIDEO) continue;
      ++p.video_streams;
      p.codec = st->codecpar->codec_id;
      p.width = st->codecpar->width;
      p.height = st->codecpar->height;
      p.pix_fmt = st->codecpar->format;
      p.frames = st->nb_frames;
      p.fps = av_q2d(st->avg_frame_rate);
      p.duration = st->duration * av_q2d(st->time_base);
    }
  }
  avformat_close_input(&fmt);
  return p;
}

// The four-letter types of the file's top-level MP4 boxes, in order.
std::vector<std::string> TopLevelBoxes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string data((std::istreambuf_iterator<char>(in)),
                   std::istreambuf_iterator<char>());
  std::vector<std::string> types;
  size_t at = 0;
  while (at + 8 <= data.size()) {
    uint64_t size = (uint64_t(uint8_t(data[at])) << 24) |
                    (uint64_t(uint8_t(data[at + 1])) << 16) |
                    (uint64_t(uint8_t(data[at + 2])) << 8) |
                    uint64_t(uint8_t(data[at + 3]));
    types.push_back(data.substr(at + 4, 4));
    if (size < 8) break;
    at += size;
  }
  return types;
}

// The luma samples at (x, y) of every decoded frame.
std::vector<int> LumaAt(const std::string& path, int x, int y) {
  std::vector<int> out;
  AVFormatContext* fmt = nullptr;
  if (avformat_open_input(&fmt, path.c_str(), nullptr, nullptr) < 0) return out;
  avformat_find_stream_info(fmt, nullptr);
  const AVStream* st = fmt->streams[0];
  const AVCodec* codec = avcodec_find_decoder(st->codecpar->codec_id);
  CodecContextPtr dec(avcodec_alloc_context3(codec));
  avcodec_parameters_to_context(dec.get(), st->codecpar);
  avcodec_open2(dec.get(), codec, nullptr);
  PacketPtr pkt(av_packet_alloc());
  FramePtr frame(av_frame_alloc());
  auto drain = [&] {
    while (avcodec_receive_frame(dec.get(), frame.get()) == 0) {
      out.push_back(frame->data[0][y * frame->linesize[0] + x]);
    }
  };
  while (av_read_frame(fmt, pkt.get()) >= 0) {
    avcodec_send_packet(dec.get(), pkt.get());
    av_packet_unref(pkt.get());
    drain();
  }
  avcodec_send_packet(dec.get(), nullptr);
  drain();
  avformat_close_input(&fmt);
  return out;
}

TEST(PlanSlideshowTest, KeepsTheTotalWithinFiveToSixtySeconds) {
  SlideshowOptions o;  // 3 s per image, 24 fps.
  auto ten = PlanSlideshow(10, o);
  ASSERT_THAT(ten, IsOk());
  EXPECT_EQ(ten->frames_per_image, 72);
  EXPECT_DOUBLE_EQ(ten->duration_seconds, 30.0);
  auto one = PlanSlideshow(1, o);  // Stretched to the 5 s minimum.
  ASSERT_THAT(one, IsOk());
  EXPECT_DOUBLE_EQ(one->duration_seconds, 5.0);
  auto many = PlanSlideshow(35, o);  // 105 s shrunk under 60 s.
  ASSERT_THAT(many, IsOk());
  EXPECT_LE(many->duration_seconds, 60.0);
  EXPECT_GE(many->duration_seconds, 59.0);
  EXPECT_EQ(many->total_frames, 35 * many->frames_per_image);
  EXPECT_THAT(PlanSlideshow(0, o),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(PlanSlideshow(2000, o),
              StatusIs(absl::StatusCode::kInvalidArgument));
  o.width = 721;
  EXPECT_THAT(PlanSlideshow(2, o),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(SlideshowTest, RendersAnH264Mp4ThatLibavformatReadsBack) {
  TempMp4 file;
  SlideshowOptions o;
  o.seconds_per_image = 2.0;
  // Landscape JPEG, portrait PNG, square PNG: each is fitted to 9:16.
  std::vector<std::string> images = {fetch::testing::MakeJpeg(640, 480, 1),
                                     fetch::testing::MakePng(300, 700, 2),
                                     fetch::testing::MakePng(500, 500, 3)};
  auto result = RenderSlideshow(images, file.path(), o);
  ASSERT_THAT(result, IsOk());
  EXPECT_EQ(result->encoder, "libx264");
  EXPECT_EQ(result->plan.total_frames, 3 * 48);

  Probe p = ProbeFile(file.path());
  EXPECT_EQ(p.video_streams, 1);
  EXPECT_EQ(p.codec, AV_CODEC_ID_H264);
  EXPECT_EQ(p.width, 720);
  EXPECT_EQ(p.height, 1280);
  EXPECT_EQ(p.width * 16, p.height * 9);  // 9:16.
  EXPECT_EQ(p.pix_fmt, AV_PIX_FMT_YUV420P);
  EXPECT_NEAR(p.duration, 3 * 2.0, 0.1);
  EXPECT_EQ(p.frames, 3 * 48);
  EXPECT_NEAR(p.fps, 24.0, 0.01);
  EXPECT_EQ(result->bytes,
            static_cast<int64_t>(
                std::ifstream(file.path(), std::ios::binary | std::ios::ate)
                    .tellg()));
}

TEST(SlideshowTest, PutsTheIndexBeforeTheMediaData) {
  TempMp4 file;
  auto result = RenderSlideshow({fetch::testing::MakePng(100, 100)},
                                file.path(), SlideshowOptions{});
  ASSERT_THAT(result, IsOk());
  auto boxes = TopLevelBoxes(file.path());
  auto moov = std::find(boxes.begin(), boxes.end(), "moov");
  auto mdat = std::find(boxes.begin(), boxes.end(), "mdat");
  ASSERT_NE(moov, boxes.end());
  ASSERT_NE(mdat, boxes.end());
  EXPECT_LT(moov - boxes.begin(), mdat - boxes.begin());
  // One image is stretched to TikTok's 5 s minimum.
  EXPECT_NEAR(ProbeFile(file.path()).duration, 5.0, 0.1);
}

TEST(SlideshowTest, LetterboxesEachImageAndChangesSlidesOnTime) {
  TempMp4 file;
  SlideshowOptions o;
  o.seconds_per_image = 1.0;
  o.min_seconds = 0;
  // A white landscape image (bars above and below), then a black one.
  auto result = RenderSlideshow(
      {SolidPng(800, 400, 255, 255, 255), SolidPng(800, 400, 0, 0, 0)},
      file.path(), o);
  ASSERT_THAT(result, IsOk());
  // 800x400 fitted to 720 wide is 720x360, centred: rows 460–819.
  std::vector<int> centre = LumaAt(file.path(), 360, 640);
  std::vector<int> bar = LumaAt(file.path(), 360, 100);
  ASSERT_EQ(centre.size(), 48u);
  ASSERT_EQ(bar.size(), 48u);
  for (int i = 0; i < 24; ++i) {
    EXPECT_GT(centre[i], 200) << "frame " << i;  // White slide.
    EXPECT_LT(bar[i], 30) << "frame " << i;      // Black bar.
  }
  for (int i = 24; i < 48; ++i) {
    EXPECT_LT(centre[i], 30) << "frame " << i;  // Black slide.
  }
}

TEST(SlideshowTest, ConvertsFullRangeJpegsToVideoRange) {
  TempMp4 file;
  SlideshowOptions o;
  o.min_seconds = 0;
  o.seconds_per_image = 1.0;
  // Exactly the canvas size: no scaling, only the range conversion.
  auto result = RenderSlideshow({SolidJpeg(720, 1280, 255)}, file.path(), o);
  ASSERT_THAT(result, IsOk());
  std::vector<int> centre = LumaAt(file.path(), 360, 640);
  ASSERT_FALSE(centre.empty());
  // JPEG white (255) is video white (235) in limited-range H.264.
  EXPECT_GE(centre[0], 230);
  EXPECT_LE(centre[0], 237);
}

TEST(SlideshowTest, TurnsExifRotatedPhotosUpright) {
  SlideshowOptions o;
  o.min_seconds = 0;
  o.seconds_per_image = 1.0;
  // Shown upright, the 400x200 photo is 200x400: fitted to 640x1280 at
  // x = 40, so the canvas's left edge is a bar. Turned clockwise (6), its
  // white left half is on top; anticlockwise (8), at the bottom.
  for (int orientation : {6, 8}) {
    TempMp4 file;
    auto result = RenderSlideshow({HalfWhiteJpegWithOrientation(orientation)},
                                  file.path(), o);
    ASSERT_THAT(result, IsOk());
    std::vector<int> top = LumaAt(file.path(), 360, 320);
    std::vector<int> bottom = LumaAt(file.path(), 360, 960);
    std::vector<int> side = LumaAt(file.path(), 20, 640);
    ASSERT_FALSE(top.empty());
    EXPECT_LT(side[0], 30) << orientation;
    if (orientation == 6) {
      EXPECT_GT(top[0], 200);
      EXPECT_LT(bottom[0], 30);
    } else {
      EXPECT_LT(top[0], 30);
      EXPECT_GT(bottom[0], 200);
    }
  }
}

TEST(SlideshowTest, CoverIsTheFirstSlideOnTheCanvas) {
  TempMp4 file;
  auto result = RenderSlideshow(
      {SolidPng(400, 800, 255, 255, 255), SolidPng(400, 800, 0, 0, 0)},
      file.path(), SlideshowOptions{});
  ASSERT_THAT(result, IsOk());
  ASSERT_FALSE(result->cover_jpeg.empty());
  auto cover = DecodeStill(result->cover_jpeg);
  ASSERT_THAT(cover, IsOk());
  EXPECT_EQ((*cover)->width, 720);
  EXPECT_EQ((*cover)->height, 1280);
  // Full-range JPEG: the white first slide is near 255 in the middle.
  EXPECT_GT((*cover)->data[0][640 * (*cover)->linesize[0] + 360], 240);
}

TEST(SlideshowTest, RefusesUndecodableImagesAndWrongCounts) {
  TempMp4 file;
  auto writer = SlideshowWriter::Create(file.path(), 2, SlideshowOptions{});
  ASSERT_THAT(writer, IsOk());
  EXPECT_THAT((*writer)->AddImage("garbage"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT((*writer)->AddImage(fetch::testing::MakeGif()),
              StatusIs(absl::StatusCode::kInvalidArgument));
  ASSERT_THAT((*writer)->AddImage(fetch::testing::MakePng(50, 50)), IsOk());
  EXPECT_THAT((*writer)->Finish(),
              StatusIs(absl::StatusCode::kFailedPrecondition));

  SlideshowOptions small;
  small.max_image_pixels = 100 * 100;
  auto big =
      RenderSlideshow({fetch::testing::MakePng(200, 200)}, file.path(), small);
  EXPECT_THAT(big, StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace ttads::media
