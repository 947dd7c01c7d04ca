#ifndef TTADS_LIBS_MEDIA_TEST_AUDIO_H_
#define TTADS_LIBS_MEDIA_TEST_AUDIO_H_

// Test support: real audio files made in memory with FFmpeg's encoders and
// muxers (a 440 Hz tone, mono, 22.05 kHz), so tests upload what a user
// would.

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace ttads::media::testing {

// `format`: "mp3" (libmp3lame, 32 kb/s), "wav" (PCM s16le) or "flac". The
// muxer writes to a seekable memory buffer, so headers that are completed
// at the end (WAV sizes, FLAC STREAMINFO, the mp3 Xing frame) are.
absl::StatusOr<std::string> MakeTone(const std::string& format,
                                     absl::Duration length);

}  // namespace ttads::media::testing

#endif  // TTADS_LIBS_MEDIA_TEST_AUDIO_H_
