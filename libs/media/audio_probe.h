#ifndef TTADS_LIBS_MEDIA_AUDIO_PROBE_H_
#define TTADS_LIBS_MEDIA_AUDIO_PROBE_H_

// What an audio file is, read from its bytes by FFmpeg's libavformat (the
// container's own probing and headers; no hand-written parser, and the
// file name is never consulted).

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace ttads::media {

struct AudioInfo {
  // libavformat's demuxer name: "mp3", "wav" or "flac".
  std::string format;
  // The audio stream's codec, e.g. "mp3", "pcm_s16le", "flac".
  std::string codec;
  // As the container states it (or, for an mp3 without a length header,
  // libavformat's estimate from the bitrate).
  absl::Duration duration;
  int sample_rate = 0;
  int channels = 0;
};

// Probes `bytes` in memory (a custom AVIOContext: nothing is written to
// disk) with libavformat limited to the mp3, wav and flac demuxers. Errors:
// INVALID_ARGUMENT (no field: the caller names it) when the bytes are none
// of these formats, have no audio stream or state no positive duration.
absl::StatusOr<AudioInfo> ProbeAudio(std::string_view bytes);

}  // namespace ttads::media

#endif  // TTADS_LIBS_MEDIA_AUDIO_PROBE_H_
