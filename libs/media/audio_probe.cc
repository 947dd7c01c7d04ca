#include "libs/media/audio_probe.h"

#include <algorithm>
#include <cstring>
#include <memory>

#include "absl/strings/str_cat.h"
#include "libs/media/av_handles.h"

extern "C" {
#include <libavutil/mem.h>
}

namespace ttads::media {
namespace {

constexpr int kIoBufferBytes = 64 * 1024;

// The read position over the caller's bytes.
struct MemoryReader {
  std::string_view bytes;
  int64_t pos = 0;
};

int ReadPacket(void* opaque, uint8_t* buf, int size) {
  auto* r = static_cast<MemoryReader*>(opaque);
  const int64_t left = static_cast<int64_t>(r->bytes.size()) - r->pos;
  if (left <= 0) return AVERROR_EOF;
  const int n = static_cast<int>(std::min<int64_t>(left, size));
  std::memcpy(buf, r->bytes.data() + r->pos, n);
  r->pos += n;
  return n;
}

int64_t Seek(void* opaque, int64_t offset, int whence) {
  auto* r = static_cast<MemoryReader*>(opaque);
  const int64_t size = static_cast<int64_t>(r->bytes.size());
  switch (whence & ~AVSEEK_FORCE) {
    case AVSEEK_SIZE:
      return size;
    case SEEK_SET:
      break;
    case SEEK_CUR:
      offset += r->pos;
      break;
    case SEEK_END:
      offset += size;
      break;
    default:
      return AVERROR(EINVAL);
  }
  if (offset < 0 || offset > size) return AVERROR(EINVAL);
  r->pos = offset;
  return offset;
}

struct IoFree {
  void operator()(AVIOContext* io) const {
    if (io == nullptr) return;
    av_freep(&io->buffer);
    avio_context_free(&io);
  }
};

struct InputClose {
  void operator()(AVFormatContext* f) const { avformat_close_input(&f); }
};

absl::Status NotAudio(std::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("not an mp3, wav or flac file: ", std::string(why)));
}

}  // namespace

absl::StatusOr<AudioInfo> ProbeAudio(std::string_view bytes) {
  if (bytes.empty()) return NotAudio("the file is empty");
  MemoryReader reader{bytes, 0};
  auto* buffer = static_cast<uint8_t*>(av_malloc(kIoBufferBytes));
  if (buffer == nullptr) return absl::ResourceExhaustedError("out of memory");
  std::unique_ptr<AVIOContext, IoFree> io(avio_alloc_context(
      buffer, kIoBufferBytes, 0, &reader, ReadPacket, nullptr, Seek));
  if (io == nullptr) {
    av_free(buffer);
    return absl::ResourceExhaustedError("out of memory");
  }
  AVFormatContext* raw = avformat_alloc_context();
  if (raw == nullptr) return absl::ResourceExhaustedError("out of memory");
  raw->pb = io.get();
  raw->flags |= AVFMT_FLAG_CUSTOM_IO;
  // Only these demuxers may claim the bytes: the probe scores their
  // signatures (ID3/frame sync, RIFF/WAVE, fLaC) against the content.
  raw->format_whitelist = av_strdup("mp3,wav,flac");
  int err = avformat_open_input(&raw, nullptr, nullptr, nullptr);
  if (err < 0) {
    // avformat_open_input frees the context on failure.
    return NotAudio(AvErrorText(err));
  }
  std::unique_ptr<AVFormatContext, InputClose> input(raw);
  // At its largest probe size libavformat takes any positive score, so a
  // few bytes of noise that look like one mp3 frame header would pass:
  // demand the confidence a real file's signature earns.
  if (input->probe_score <= AVPROBE_SCORE_RETRY) {
    return NotAudio("the content matches no format with confidence");
  }
  err = avformat_find_stream_info(input.get(), nullptr);
  if (err < 0) return NotAudio(AvErrorText(err));
  const int stream =
      av_find_best_stream(input.get(), AVMEDIA_TYPE_AUDIO, -1, -1, nullptr, 0);
  if (stream < 0) return NotAudio("no audio stream");
  const AVStream* s = input->streams[stream];
  AudioInfo info;
  info.format = input->iformat->name;
  info.codec = avcodec_get_name(s->codecpar->codec_id);
  info.sample_rate = s->codecpar->sample_rate;
  info.channels = s->codecpar->ch_layout.nb_channels;
  int64_t micros = AV_NOPTS_VALUE;
  if (input->duration != AV_NOPTS_VALUE && input->duration > 0) {
    micros = input->duration;  // AV_TIME_BASE units (µs).
  } else if (s->duration != AV_NOPTS_VALUE && s->duration > 0) {
    micros = av_rescale_q(s->duration, s->time_base, AVRational{1, 1000000});
  }
  if (micros == AV_NOPTS_VALUE || micros <= 0) {
    return NotAudio("the container states no duration");
  }
  info.duration = absl::Microseconds(micros);
  return info;
}

}  // namespace ttads::media
