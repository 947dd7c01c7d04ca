// Renders one slideshow from generated photo-like JPEGs --repeat times and
// prints one JSON line: the CPU time (user + system, getrusage) of each
// render as min/median/max, the median wall time, the process's peak RSS
// (ru_maxrss: the generated inputs and every render included), and what was
// written. The inputs are made before the clock starts; their bytes stay in
// memory, as fetched images would.
//
//   build/bench/media/ttads-slideshow-bench --images=10
//   /usr/bin/time -v build/bench/media/ttads-slideshow-bench --images=10

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "libs/media/slideshow.h"
#include "stb/stb_image_write.h"

ABSL_FLAG(int, images, 10, "number of images");
ABSL_FLAG(std::string, input_sizes, "1080x1920,1080x1080,1200x628,1080x1350",
          "input image sizes (WxH), used in turn");
ABSL_FLAG(int, width, 720, "canvas width");
ABSL_FLAG(int, height, 1280, "canvas height");
ABSL_FLAG(int, fps, 24, "frame rate");
ABSL_FLAG(double, seconds_per_image, 3.0, "seconds each image shows");
ABSL_FLAG(std::string, preset, "ultrafast", "libx264 preset");
ABSL_FLAG(int, qp, 23, "libx264 constant quantiser");
ABSL_FLAG(int, repeat, 5, "renders; CPU is reported as min and median");
ABSL_FLAG(std::string, x264_params, "", "extra libx264 options");
ABSL_FLAG(int, threads, 1, "encoder threads");
ABSL_FLAG(std::string, out, "", "output path (default: a temp file, removed)");

namespace {

void Append(void* context, void* data, int size) {
  static_cast<std::string*>(context)->append(static_cast<const char*>(data),
                                             size);
}

// A photo-like JPEG: smooth gradients, a few shapes and sensor-like noise.
std::string PhotoJpeg(int w, int h, int seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> noise(-6, 6);
  std::vector<unsigned char> px(static_cast<size_t>(w) * h * 3);
  const int cx = w / 3 + seed * 37 % (w / 3), cy = h / 2;
  const int r2 = (std::min(w, h) / 4) * (std::min(w, h) / 4);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      unsigned char* p = &px[(static_cast<size_t>(y) * w + x) * 3];
      const bool disc = (x - cx) * (x - cx) + (y - cy) * (y - cy) < r2;
      int base[3] = {x * 255 / w, y * 255 / h, (seed * 50) % 256};
      if (disc) base[0] = 255 - base[0], base[2] = 255 - base[2];
      for (int c = 0; c < 3; ++c) {
        p[c] = static_cast<unsigned char>(
            std::clamp(base[c] + noise(rng), 0, 255));
      }
    }
  }
  std::string out;
  stbi_write_jpg_to_func(Append, &out, w, h, 3, px.data(), 90);
  return out;
}

double Seconds(const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; }

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  std::vector<std::pair<int, int>> sizes;
  for (absl::string_view s :
       absl::StrSplit(absl::GetFlag(FLAGS_input_sizes), ',')) {
    std::vector<std::string> wh = absl::StrSplit(s, 'x');
    int w = 0, h = 0;
    if (wh.size() != 2 || !absl::SimpleAtoi(wh[0], &w) ||
        !absl::SimpleAtoi(wh[1], &h) || w <= 0 || h <= 0) {
      std::fprintf(stderr, "bad --input_sizes entry: %s\n",
                   std::string(s).c_str());
      return 2;
    }
    sizes.push_back({w, h});
  }
  std::vector<std::string> images;
  int64_t input_bytes = 0;
  for (int i = 0; i < absl::GetFlag(FLAGS_images); ++i) {
    auto [w, h] = sizes[i % sizes.size()];
    images.push_back(PhotoJpeg(w, h, i + 1));
    input_bytes += images.back().size();
  }

  ttads::media::SlideshowOptions o;
  o.width = absl::GetFlag(FLAGS_width);
  o.height = absl::GetFlag(FLAGS_height);
  o.fps = absl::GetFlag(FLAGS_fps);
  o.seconds_per_image = absl::GetFlag(FLAGS_seconds_per_image);
  o.preset = absl::GetFlag(FLAGS_preset);
  o.qp = absl::GetFlag(FLAGS_qp);
  o.threads = absl::GetFlag(FLAGS_threads);
  o.x264_params = absl::GetFlag(FLAGS_x264_params);
  std::string path = absl::GetFlag(FLAGS_out);
  const bool temp = path.empty();
  if (temp)
    path = "/tmp/ttads-slideshow-bench-" + std::to_string(getpid()) + ".mp4";

  const int repeat = std::max(1, absl::GetFlag(FLAGS_repeat));
  std::vector<double> cpu, wall;
  absl::StatusOr<ttads::media::SlideshowResult> result;
  for (int r = 0; r < repeat; ++r) {
    rusage before{}, after{};
    getrusage(RUSAGE_SELF, &before);
    auto start = std::chrono::steady_clock::now();
    result = ttads::media::RenderSlideshow(images, path, o);
    wall.push_back(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count());
    getrusage(RUSAGE_SELF, &after);
    cpu.push_back(Seconds(after.ru_utime) - Seconds(before.ru_utime) +
                  Seconds(after.ru_stime) - Seconds(before.ru_stime));
    if (!result.ok()) break;
  }
  if (temp) unlink(path.c_str());
  if (!result.ok()) {
    std::fprintf(stderr, "render failed: %s\n",
                 result.status().ToString().c_str());
    return 1;
  }
  rusage self{};
  getrusage(RUSAGE_SELF, &self);
  const double peak_mb = self.ru_maxrss / 1024.0;
  std::sort(cpu.begin(), cpu.end());
  std::sort(wall.begin(), wall.end());
  const double cpu_median = cpu[cpu.size() / 2];
  std::printf(
      "{\"images\":%d,\"input_bytes\":%lld,\"canvas\":\"%dx%d\",\"fps\":%d,"
      "\"preset\":\"%s\",\"qp\":%d,\"frames\":%d,\"duration_s\":%.2f,"
      "\"mp4_bytes\":%lld,\"cover_bytes\":%zu,\"renders\":%d,"
      "\"cpu_s_min\":%.3f,\"cpu_s_median\":%.3f,\"cpu_s_max\":%.3f,"
      "\"wall_s_median\":%.3f,\"peak_rss_mb\":%.1f,"
      "\"cpu_median_vs_1s\":%.2f,\"rss_vs_150mb\":%.2f}\n",
      static_cast<int>(images.size()), static_cast<long long>(input_bytes),
      result->width, result->height, o.fps, o.preset.c_str(), o.qp,
      result->plan.total_frames, result->plan.duration_seconds,
      static_cast<long long>(result->bytes), result->cover_jpeg.size(), repeat,
      cpu.front(), cpu_median, cpu.back(), wall[wall.size() / 2], peak_mb,
      cpu_median, peak_mb / 150.0);
  return 0;
}
