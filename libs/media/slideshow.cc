#include "libs/media/slideshow.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <mutex>
#include <vector>

#include "absl/strings/str_cat.h"
#include "libs/status/status_macros.h"

extern "C" {
#include <libavutil/display.h>
#include <libavutil/imgutils.h>
#include <libavutil/log.h>
#include <libavutil/opt.h>
}

namespace ttads::media {
namespace {

absl::Status AvError(absl::string_view what, int err) {
  return absl::InternalError(absl::StrCat(what, ": ", AvErrorText(err)));
}

// libswscale wants the range apart from the format: the "J" formats JPEG
// decoders produce are their plain twins with full range.
AVPixelFormat PlainFormat(AVPixelFormat f, bool* full_range) {
  *full_range = true;
  switch (f) {
    case AV_PIX_FMT_YUVJ420P:
      return AV_PIX_FMT_YUV420P;
    case AV_PIX_FMT_YUVJ422P:
      return AV_PIX_FMT_YUV422P;
    case AV_PIX_FMT_YUVJ444P:
      return AV_PIX_FMT_YUV444P;
    case AV_PIX_FMT_YUVJ440P:
      return AV_PIX_FMT_YUV440P;
    case AV_PIX_FMT_YUVJ411P:
      return AV_PIX_FMT_YUV411P;
    default:
      *full_range = false;
      return f;
  }
}

// A scaler with the ranges given at initialisation: libswscale picks its
// plain-copy path for same-size, same-format conversions unless it knows
// the ranges differ then.
SwsPtr MakeScaler(int sw, int sh, AVPixelFormat sf, bool src_full, int dw,
                  int dh, AVPixelFormat df, bool dst_full, int flags) {
  SwsPtr sws(sws_alloc_context());
  if (!sws) return sws;
  av_opt_set_int(sws.get(), "srcw", sw, 0);
  av_opt_set_int(sws.get(), "srch", sh, 0);
  av_opt_set_int(sws.get(), "src_format", sf, 0);
  av_opt_set_int(sws.get(), "src_range", src_full ? 1 : 0, 0);
  av_opt_set_int(sws.get(), "dstw", dw, 0);
  av_opt_set_int(sws.get(), "dsth", dh, 0);
  av_opt_set_int(sws.get(), "dst_format", df, 0);
  av_opt_set_int(sws.get(), "dst_range", dst_full ? 1 : 0, 0);
  av_opt_set_int(sws.get(), "sws_flags", flags, 0);
  if (sws_init_context(sws.get(), nullptr, nullptr) < 0) sws.reset();
  return sws;
}

// FFmpeg logs to stderr at INFO by default (libx264 prints a summary per
// file); the services log structured lines, so only FFmpeg's errors get
// through.
void QuietFfmpegLogs() {
  static std::once_flag once;
  std::call_once(once, [] { av_log_set_level(AV_LOG_ERROR); });
}

// Clockwise quarter turns that make `image` upright: JPEG decoders export
// the EXIF orientation as a display matrix. Mirrored orientations keep
// only their rotation.
int QuarterTurnsClockwise(const AVFrame& image) {
  const AVFrameSideData* sd =
      av_frame_get_side_data(&image, AV_FRAME_DATA_DISPLAYMATRIX);
  if (sd == nullptr || sd->size < 9 * static_cast<int>(sizeof(int32_t))) {
    return 0;
  }
  const double ccw =
      av_display_rotation_get(reinterpret_cast<const int32_t*>(sd->data));
  if (std::isnan(ccw)) return 0;
  return ((static_cast<int>(std::lround(-ccw / 90.0)) % 4) + 4) % 4;
}

// `src` (packed RGB24) turned clockwise by `turns` quarter turns.
FramePtr Rotated(const AVFrame& src, int turns) {
  FramePtr dst(av_frame_alloc());
  if (!dst) return dst;
  dst->format = AV_PIX_FMT_RGB24;
  dst->width = turns % 2 ? src.height : src.width;
  dst->height = turns % 2 ? src.width : src.height;
  if (av_frame_get_buffer(dst.get(), 0) < 0) return nullptr;
  const int w = src.width, h = src.height;
  for (int y = 0; y < h; ++y) {
    const uint8_t* row = src.data[0] + y * src.linesize[0];
    for (int x = 0; x < w; ++x) {
      int dx = x, dy = y;
      if (turns == 1) dx = h - 1 - y, dy = x;
      if (turns == 2) dx = w - 1 - x, dy = h - 1 - y;
      if (turns == 3) dx = y, dy = w - 1 - x;
      std::memcpy(dst->data[0] + dy * dst->linesize[0] + dx * 3, row + x * 3,
                  3);
    }
  }
  return dst;
}

int Even(double v) { return std::max(2, static_cast<int>(v / 2) * 2); }

}  // namespace

absl::StatusOr<SlideshowPlan> PlanSlideshow(int image_count,
                                            const SlideshowOptions& o) {
  if (image_count <= 0) {
    return absl::InvalidArgumentError("a slideshow needs at least one image");
  }
  if (o.fps <= 0 || o.seconds_per_image <= 0 || o.min_seconds < 0 ||
      o.max_seconds < o.min_seconds || o.width < 2 || o.height < 2 ||
      o.width % 2 != 0 || o.height % 2 != 0) {
    return absl::InvalidArgumentError("invalid slideshow options");
  }
  const int64_t min_frames =
      static_cast<int64_t>(std::ceil(o.min_seconds * o.fps));
  const int64_t max_frames =
      static_cast<int64_t>(std::floor(o.max_seconds * o.fps));
  int64_t per = std::max<int64_t>(1, std::llround(o.seconds_per_image * o.fps));
  if (per * image_count < min_frames) {
    per = (min_frames + image_count - 1) / image_count;
  }
  if (per * image_count > max_frames) per = max_frames / image_count;
  if (per < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        image_count, " images do not fit in ", o.max_seconds, " seconds"));
  }
  SlideshowPlan plan;
  plan.frames_per_image = static_cast<int>(per);
  plan.total_frames = static_cast<int>(per * image_count);
  plan.seconds_per_image = static_cast<double>(per) / o.fps;
  plan.duration_seconds = static_cast<double>(plan.total_frames) / o.fps;
  return plan;
}

struct SlideshowWriter::State {
  SlideshowOptions options;
  SlideshowPlan plan;
  int image_count = 0;
  int images_added = 0;
  int64_t next_pts = 0;
  bool header_written = false;
  bool failed = false;
  std::string encoder_name;
  std::string cover_jpeg;
  AVFormatContext* format = nullptr;
  AVStream* stream = nullptr;
  CodecContextPtr encoder;
  FramePtr canvas;
  PacketPtr packet;

  ~State() {
    if (format != nullptr) {
      if (format->pb != nullptr) avio_closep(&format->pb);
      avformat_free_context(format);
    }
  }

  // Sends `frame` (null: flush) and writes every packet the encoder has.
  absl::Status Encode(const AVFrame* frame) {
    int err = avcodec_send_frame(encoder.get(), frame);
    if (err < 0) return AvError("H.264 encoder refused a frame", err);
    while (true) {
      err = avcodec_receive_packet(encoder.get(), packet.get());
      if (err == AVERROR(EAGAIN) || err == AVERROR_EOF) return absl::OkStatus();
      if (err < 0) return AvError("H.264 encoding failed", err);
      av_packet_rescale_ts(packet.get(), encoder->time_base, stream->time_base);
      packet->stream_index = stream->index;
      err = av_interleaved_write_frame(format, packet.get());
      if (err < 0) return AvError("writing the MP4 failed", err);
    }
  }

  // Paints the canvas black and draws `image` on it, fitted and centred.
  absl::Status Draw(const AVFrame& image) {
    int err = av_frame_make_writable(canvas.get());
    if (err < 0) return AvError("canvas", err);
    const int w = canvas->width, h = canvas->height;
    for (int y = 0; y < h; ++y) {
      std::memset(canvas->data[0] + y * canvas->linesize[0], 16, w);
    }
    for (int p = 1; p <= 2; ++p) {
      for (int y = 0; y < h / 2; ++y) {
        std::memset(canvas->data[p] + y * canvas->linesize[p], 128, w / 2);
      }
    }
    // The image as displayed: EXIF-rotated JPEGs are turned upright.
    const int turns = QuarterTurnsClockwise(image);
    const int shown_w = turns % 2 ? image.height : image.width;
    const int shown_h = turns % 2 ? image.width : image.height;
    const double scale = std::min(static_cast<double>(w) / shown_w,
                                  static_cast<double>(h) / shown_h);
    const int dw = std::min(w, Even(shown_w * scale + 1));
    const int dh = std::min(h, Even(shown_h * scale + 1));
    const int x = (w - dw) / 4 * 2, y = (h - dh) / 4 * 2;
    bool full_range = false;
    AVPixelFormat src =
        PlainFormat(static_cast<AVPixelFormat>(image.format), &full_range);
    FramePtr upright;  // Only for a rotated image: canvas-sized at most.
    const AVFrame* from = &image;
    if (turns != 0) {
      FramePtr small(av_frame_alloc());
      if (!small) return absl::ResourceExhaustedError("out of memory");
      small->format = AV_PIX_FMT_RGB24;
      small->width = turns % 2 ? dh : dw;
      small->height = turns % 2 ? dw : dh;
      int err = av_frame_get_buffer(small.get(), 0);
      if (err < 0) return AvError("rotation buffer", err);
      SwsPtr to_rgb =
          MakeScaler(image.width, image.height, src, full_range, small->width,
                     small->height, AV_PIX_FMT_RGB24, true, SWS_BICUBIC);
      if (!to_rgb) {
        return absl::InvalidArgumentError("image cannot be converted");
      }
      sws_scale(to_rgb.get(), image.data, image.linesize, 0, image.height,
                small->data, small->linesize);
      upright = Rotated(*small, turns);
      if (!upright) return absl::ResourceExhaustedError("out of memory");
      from = upright.get();
      src = AV_PIX_FMT_RGB24;
      full_range = true;
    }
    SwsPtr sws = MakeScaler(from->width, from->height, src, full_range, dw, dh,
                            AV_PIX_FMT_YUV420P, false, SWS_BICUBIC);
    if (!sws) {
      return absl::InvalidArgumentError(absl::StrCat(
          "image pixel format ",
          av_get_pix_fmt_name(src) ? av_get_pix_fmt_name(src) : "unknown",
          " cannot be converted"));
    }
    uint8_t* dst[4] = {canvas->data[0] + y * canvas->linesize[0] + x,
                       canvas->data[1] + (y / 2) * canvas->linesize[1] + x / 2,
                       canvas->data[2] + (y / 2) * canvas->linesize[2] + x / 2,
                       nullptr};
    int dst_stride[4] = {canvas->linesize[0], canvas->linesize[1],
                         canvas->linesize[2], 0};
    sws_scale(sws.get(), from->data, from->linesize, 0, from->height, dst,
              dst_stride);
    return absl::OkStatus();
  }

  // The canvas as a full-range JPEG (libavcodec's MJPEG encoder).
  absl::StatusOr<std::string> CoverJpeg() {
    const AVCodec* codec = avcodec_find_encoder(AV_CODEC_ID_MJPEG);
    if (codec == nullptr) return absl::InternalError("no MJPEG encoder");
    CodecContextPtr ctx(avcodec_alloc_context3(codec));
    if (!ctx) return absl::ResourceExhaustedError("out of memory");
    ctx->width = canvas->width;
    ctx->height = canvas->height;
    ctx->pix_fmt = AV_PIX_FMT_YUVJ420P;
    ctx->color_range = AVCOL_RANGE_JPEG;
    ctx->time_base = {1, 1};
    ctx->flags |= AV_CODEC_FLAG_QSCALE;
    ctx->global_quality = FF_QP2LAMBDA * options.cover_qscale;
    ctx->thread_count = 1;
    int err = avcodec_open2(ctx.get(), codec, nullptr);
    if (err < 0) return AvError("cannot open the MJPEG encoder", err);
    FramePtr full(av_frame_alloc());
    if (!full) return absl::ResourceExhaustedError("out of memory");
    full->format = AV_PIX_FMT_YUVJ420P;
    full->width = canvas->width;
    full->height = canvas->height;
    full->quality = ctx->global_quality;
    err = av_frame_get_buffer(full.get(), 0);
    if (err < 0) return AvError("cover frame", err);
    SwsPtr sws = MakeScaler(canvas->width, canvas->height, AV_PIX_FMT_YUV420P,
                            false, canvas->width, canvas->height,
                            AV_PIX_FMT_YUV420P, true, SWS_POINT);
    if (!sws) return absl::InternalError("cannot convert the cover's range");
    sws_scale(sws.get(), canvas->data, canvas->linesize, 0, canvas->height,
              full->data, full->linesize);
    err = avcodec_send_frame(ctx.get(), full.get());
    if (err < 0) return AvError("MJPEG encoder refused the cover", err);
    avcodec_send_frame(ctx.get(), nullptr);
    PacketPtr pkt(av_packet_alloc());
    if (!pkt) return absl::ResourceExhaustedError("out of memory");
    err = avcodec_receive_packet(ctx.get(), pkt.get());
    if (err < 0) return AvError("cover encoding failed", err);
    return std::string(reinterpret_cast<const char*>(pkt->data), pkt->size);
  }
};

SlideshowWriter::SlideshowWriter(std::unique_ptr<State> state)
    : state_(std::move(state)) {}

SlideshowWriter::~SlideshowWriter() = default;

absl::StatusOr<std::unique_ptr<SlideshowWriter>> SlideshowWriter::Create(
    const std::string& path, int image_count, SlideshowOptions options) {
  TTADS_ASSIGN_OR_RETURN(SlideshowPlan plan,
                         PlanSlideshow(image_count, options));
  QuietFfmpegLogs();
  auto s = std::make_unique<State>();
  s->options = std::move(options);
  s->plan = plan;
  s->image_count = image_count;
  const SlideshowOptions& o = s->options;

  const AVCodec* codec = avcodec_find_encoder_by_name("libx264");
  if (codec == nullptr) codec = avcodec_find_encoder(AV_CODEC_ID_H264);
  if (codec == nullptr) {
    return absl::InternalError("libavcodec has no H.264 encoder");
  }
  s->encoder_name = codec->name;

  int err =
      avformat_alloc_output_context2(&s->format, nullptr, "mp4", path.c_str());
  if (err < 0 || s->format == nullptr) return AvError("MP4 muxer", err);
  s->stream = avformat_new_stream(s->format, nullptr);
  if (s->stream == nullptr) return absl::ResourceExhaustedError("no stream");

  s->encoder.reset(avcodec_alloc_context3(codec));
  if (!s->encoder) return absl::ResourceExhaustedError("out of memory");
  AVCodecContext* enc = s->encoder.get();
  enc->width = o.width;
  enc->height = o.height;
  enc->pix_fmt = AV_PIX_FMT_YUV420P;
  enc->time_base = {1, o.fps};
  enc->framerate = {o.fps, 1};
  enc->sample_aspect_ratio = {1, 1};
  enc->gop_size = s->plan.frames_per_image;
  enc->max_b_frames = 0;
  enc->thread_count = o.threads;
  enc->color_range = AVCOL_RANGE_MPEG;
  enc->colorspace = AVCOL_SPC_SMPTE170M;
  enc->color_primaries = AVCOL_PRI_SMPTE170M;
  enc->color_trc = AVCOL_TRC_SMPTE170M;
  if (s->format->oformat->flags & AVFMT_GLOBALHEADER) {
    enc->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
  }
  if (s->encoder_name == "libx264") {
    av_opt_set(enc->priv_data, "preset", o.preset.c_str(), 0);
    av_opt_set(enc->priv_data, "qp", std::to_string(o.qp).c_str(), 0);
    if (!o.x264_params.empty()) {
      av_opt_set(enc->priv_data, "x264-params", o.x264_params.c_str(), 0);
    }
  }
  err = avcodec_open2(enc, codec, nullptr);
  if (err < 0) return AvError("cannot open the H.264 encoder", err);
  err = avcodec_parameters_from_context(s->stream->codecpar, enc);
  if (err < 0) return AvError("stream parameters", err);
  s->stream->time_base = enc->time_base;
  s->stream->avg_frame_rate = enc->framerate;

  err = avio_open(&s->format->pb, path.c_str(), AVIO_FLAG_WRITE);
  if (err < 0) return AvError(absl::StrCat("cannot write ", path), err);
  AVDictionary* mux_options = nullptr;
  av_dict_set(&mux_options, "movflags", "+faststart", 0);
  err = avformat_write_header(s->format, &mux_options);
  av_dict_free(&mux_options);
  if (err < 0) return AvError("MP4 header", err);
  s->header_written = true;

  s->canvas.reset(av_frame_alloc());
  s->packet.reset(av_packet_alloc());
  if (!s->canvas || !s->packet) {
    return absl::ResourceExhaustedError("out of memory");
  }
  s->canvas->format = AV_PIX_FMT_YUV420P;
  s->canvas->width = o.width;
  s->canvas->height = o.height;
  s->canvas->color_range = AVCOL_RANGE_MPEG;
  err = av_frame_get_buffer(s->canvas.get(), 0);
  if (err < 0) return AvError("canvas", err);
  return std::unique_ptr<SlideshowWriter>(new SlideshowWriter(std::move(s)));
}

absl::Status SlideshowWriter::AddImage(std::string_view encoded) {
  State& s = *state_;
  if (s.failed) return absl::FailedPreconditionError("the writer has failed");
  if (s.images_added >= s.image_count) {
    return absl::InvalidArgumentError(
        absl::StrCat("more than the ", s.image_count, " images announced"));
  }
  TTADS_ASSIGN_OR_RETURN(FramePtr image,
                         DecodeStill(encoded, s.options.max_image_pixels));
  TTADS_RETURN_IF_ERROR(s.Draw(*image));
  image.reset();  // The decoded pixels are no longer needed.
  if (s.images_added == 0) {
    TTADS_ASSIGN_OR_RETURN(s.cover_jpeg, s.CoverJpeg());
  }
  for (int i = 0; i < s.plan.frames_per_image; ++i) {
    s.canvas->pts = s.next_pts++;
    s.canvas->pict_type = i == 0 ? AV_PICTURE_TYPE_I : AV_PICTURE_TYPE_NONE;
    absl::Status sent = s.Encode(s.canvas.get());
    if (!sent.ok()) {
      s.failed = true;
      return sent;
    }
  }
  ++s.images_added;
  return absl::OkStatus();
}

absl::StatusOr<SlideshowResult> SlideshowWriter::Finish() {
  State& s = *state_;
  if (s.failed) return absl::FailedPreconditionError("the writer has failed");
  if (s.images_added != s.image_count) {
    return absl::FailedPreconditionError(absl::StrCat(
        s.images_added, " of ", s.image_count, " images were added"));
  }
  s.failed = true;  // Finish runs once.
  TTADS_RETURN_IF_ERROR(s.Encode(nullptr));
  int err = av_write_trailer(s.format);
  if (err < 0) return AvError("MP4 trailer", err);
  SlideshowResult result;
  result.plan = s.plan;
  result.width = s.options.width;
  result.height = s.options.height;
  result.encoder = s.encoder_name;
  result.cover_jpeg = std::move(s.cover_jpeg);
  result.bytes = avio_size(s.format->pb);
  err = avio_closep(&s.format->pb);
  if (err < 0) return AvError("closing the MP4", err);
  return result;
}

absl::StatusOr<SlideshowResult> RenderSlideshow(
    const std::vector<std::string>& images, const std::string& path,
    const SlideshowOptions& options) {
  TTADS_ASSIGN_OR_RETURN(
      std::unique_ptr<SlideshowWriter> writer,
      SlideshowWriter::Create(path, static_cast<int>(images.size()), options));
  for (const auto& image : images) {
    TTADS_RETURN_IF_ERROR(writer->AddImage(image));
  }
  return writer->Finish();
}

}  // namespace ttads::media
