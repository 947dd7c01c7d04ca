#include "libs/media/test_audio.h"

#include <cmath>
#include <cstring>
#include <memory>

#include "absl/strings/str_cat.h"
#include "libs/media/av_handles.h"
#include "libs/status/status_macros.h"

extern "C" {
#include <libavutil/channel_layout.h>
#include <libavutil/mem.h>
}

namespace ttads::media::testing {
namespace {

constexpr int kRate = 22050;

// A seekable write target over a std::string.
struct MemoryWriter {
  std::string data;
  int64_t pos = 0;
};

int WritePacket(void* opaque, uint8_t* buf, int size) {
  auto* w = static_cast<MemoryWriter*>(opaque);
  if (w->pos + size > static_cast<int64_t>(w->data.size())) {
    w->data.resize(w->pos + size);
  }
  std::memcpy(w->data.data() + w->pos, buf, size);
  w->pos += size;
  return size;
}

int64_t SeekWriter(void* opaque, int64_t offset, int whence) {
  auto* w = static_cast<MemoryWriter*>(opaque);
  const int64_t size = static_cast<int64_t>(w->data.size());
  switch (whence & ~AVSEEK_FORCE) {
    case AVSEEK_SIZE:
      return size;
    case SEEK_SET:
      break;
    case SEEK_CUR:
      offset += w->pos;
      break;
    case SEEK_END:
      offset += size;
      break;
    default:
      return AVERROR(EINVAL);
  }
  if (offset < 0) return AVERROR(EINVAL);
  w->pos = offset;
  return offset;
}

absl::Status AvFail(const char* what, int err) {
  return absl::InternalError(absl::StrCat(what, ": ", AvErrorText(err)));
}

// Fills `frame` (mono) with the tone from sample `first`.
void Fill(AVFrame* frame, int64_t first) {
  for (int i = 0; i < frame->nb_samples; ++i) {
    const double v = 0.5 * std::sin(2 * M_PI * 440.0 *
                                    static_cast<double>(first + i) / kRate);
    switch (frame->format) {
      case AV_SAMPLE_FMT_S16:
      case AV_SAMPLE_FMT_S16P:
        reinterpret_cast<int16_t*>(frame->data[0])[i] =
            static_cast<int16_t>(v * 32767);
        break;
      case AV_SAMPLE_FMT_S32:
      case AV_SAMPLE_FMT_S32P:
        reinterpret_cast<int32_t*>(frame->data[0])[i] =
            static_cast<int32_t>(v * 2147483647.0);
        break;
      default:  // FLT, FLTP
        reinterpret_cast<float*>(frame->data[0])[i] = static_cast<float>(v);
    }
  }
}

struct OutputFree {
  void operator()(AVFormatContext* f) const { avformat_free_context(f); }
};
struct IoFree {
  void operator()(AVIOContext* io) const {
    if (io == nullptr) return;
    av_freep(&io->buffer);
    avio_context_free(&io);
  }
};

}  // namespace

absl::StatusOr<std::string> MakeTone(const std::string& format,
                                     absl::Duration length) {
  AVCodecID codec_id;
  if (format == "mp3") {
    codec_id = AV_CODEC_ID_MP3;
  } else if (format == "wav") {
    codec_id = AV_CODEC_ID_PCM_S16LE;
  } else if (format == "flac") {
    codec_id = AV_CODEC_ID_FLAC;
  } else {
    return absl::InvalidArgumentError(absl::StrCat("format ", format));
  }
  const AVCodec* codec = avcodec_find_encoder(codec_id);
  if (codec == nullptr) {
    return absl::UnavailableError(absl::StrCat("no encoder for ", format));
  }
  CodecContextPtr enc(avcodec_alloc_context3(codec));
  enc->sample_rate = kRate;
  av_channel_layout_default(&enc->ch_layout, 1);
  enc->sample_fmt =
      codec->sample_fmts != nullptr ? codec->sample_fmts[0] : AV_SAMPLE_FMT_S16;
  enc->time_base = AVRational{1, kRate};
  if (codec_id == AV_CODEC_ID_MP3) enc->bit_rate = 32000;

  AVFormatContext* raw = nullptr;
  int err =
      avformat_alloc_output_context2(&raw, nullptr, format.c_str(), nullptr);
  if (err < 0) return AvFail("output context", err);
  std::unique_ptr<AVFormatContext, OutputFree> out(raw);
  if (out->oformat->flags & AVFMT_GLOBALHEADER) {
    enc->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
  }
  err = avcodec_open2(enc.get(), codec, nullptr);
  if (err < 0) return AvFail("encoder", err);
  AVStream* stream = avformat_new_stream(out.get(), nullptr);
  avcodec_parameters_from_context(stream->codecpar, enc.get());
  stream->time_base = enc->time_base;

  MemoryWriter writer;
  constexpr int kBuf = 64 * 1024;
  auto* buffer = static_cast<uint8_t*>(av_malloc(kBuf));
  std::unique_ptr<AVIOContext, IoFree> io(avio_alloc_context(
      buffer, kBuf, 1, &writer, nullptr, WritePacket, SeekWriter));
  io->seekable = AVIO_SEEKABLE_NORMAL;
  out->pb = io.get();
  out->flags |= AVFMT_FLAG_CUSTOM_IO;
  err = avformat_write_header(out.get(), nullptr);
  if (err < 0) return AvFail("header", err);

  const int frame_size = enc->frame_size > 0 ? enc->frame_size : 1024;
  const int64_t total = absl::ToInt64Milliseconds(length) * kRate / 1000;
  FramePtr frame(av_frame_alloc());
  PacketPtr packet(av_packet_alloc());
  auto drain = [&]() -> absl::Status {
    while (true) {
      int r = avcodec_receive_packet(enc.get(), packet.get());
      if (r == AVERROR(EAGAIN) || r == AVERROR_EOF) return absl::OkStatus();
      if (r < 0) return AvFail("encode", r);
      av_packet_rescale_ts(packet.get(), enc->time_base, stream->time_base);
      packet->stream_index = stream->index;
      r = av_interleaved_write_frame(out.get(), packet.get());
      if (r < 0) return AvFail("write", r);
    }
  };
  for (int64_t done = 0; done < total;) {
    av_frame_unref(frame.get());
    frame->nb_samples =
        static_cast<int>(std::min<int64_t>(frame_size, total - done));
    // Encoders without variable frame sizes take only full frames but the
    // last.
    frame->format = enc->sample_fmt;
    frame->sample_rate = kRate;
    av_channel_layout_copy(&frame->ch_layout, &enc->ch_layout);
    err = av_frame_get_buffer(frame.get(), 0);
    if (err < 0) return AvFail("frame", err);
    Fill(frame.get(), done);
    frame->pts = done;
    done += frame->nb_samples;
    err = avcodec_send_frame(enc.get(), frame.get());
    if (err < 0) return AvFail("send", err);
    TTADS_RETURN_IF_ERROR(drain());
  }
  err = avcodec_send_frame(enc.get(), nullptr);
  if (err < 0) return AvFail("flush", err);
  TTADS_RETURN_IF_ERROR(drain());
  err = av_write_trailer(out.get());
  if (err < 0) return AvFail("trailer", err);
  avio_flush(io.get());
  return writer.data;
}

}  // namespace ttads::media::testing
