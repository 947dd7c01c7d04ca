#ifndef TTADS_SERVICES_CONTENT_SOUND_UPLOAD_H_
#define TTADS_SERVICES_CONTENT_SOUND_UPLOAD_H_

// Ibexa's "Upload a Sound" (permission share.sound.create): the rules it
// states — mp3, wav or flac, under 50 MB, longer than 10 s and shorter than
// 300 s — checked on the bytes before TikTok is called (docs/content.md).

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "libs/media/audio_probe.h"
#include "libs/server/call_context.h"
#include "libs/tiktok_open/sound_api.h"
#include "services/content/account_access.h"

namespace ttads::content {

// "Under 50 MB", read as the stricter decimal megabytes: a file must be
// smaller than this many bytes.
inline constexpr int64_t kMaxSoundBytes = 50'000'000;
// Durations must lie strictly between these.
inline constexpr absl::Duration kMinSoundDuration = absl::Seconds(10);
inline constexpr absl::Duration kMaxSoundDuration = absl::Seconds(300);
inline constexpr size_t kMaxSoundFileName = 255;
inline constexpr char kSoundScope[] = "share.sound.create";

// One upload's bytes as they arrive. Never holds kMaxSoundBytes or more: the
// chunk that would reach the limit is refused, not kept.
class SoundBuffer {
 public:
  // INVALID_ARGUMENT (field `data`) once the file would reach
  // kMaxSoundBytes; the buffer is then dropped.
  absl::Status Append(absl::string_view chunk);
  const std::string& bytes() const { return bytes_; }

 private:
  std::string bytes_;
};

// What the bytes are: ProbeAudio, then the duration rule. INVALID_ARGUMENT
// with a violation on `data` for an empty file, a format other than mp3,
// wav or flac, or a duration of 10 s or less or 300 s or more.
absl::StatusOr<media::AudioInfo> CheckSound(const std::string& bytes);

struct UploadedSound {
  std::string sound_id;
  media::AudioInfo info;
  int64_t size_bytes = 0;
  std::string file_name;
};

class SoundUploader {
 public:
  SoundUploader(const AccountAccess* access, tiktok_open::SoundApi* api)
      : access_(access), api_(api) {}

  // Before the bytes: the connection may upload sounds (AccountAccess::Check
  // with share.sound.create) and `file_name` is 1-255 characters (violation
  // on `file_name`). Nothing is sent to TikTok.
  absl::Status Begin(const server::CallContext& call,
                     const std::string& connection_id,
                     const std::string& file_name) const;

  // After the last byte: CheckSound, then a (refreshed if due) token, then
  // TikTok's sound upload. A refused file sends nothing.
  absl::StatusOr<UploadedSound> Finish(const server::CallContext& call,
                                       const std::string& connection_id,
                                       const std::string& file_name,
                                       const std::string& bytes) const;

 private:
  const AccountAccess* access_;
  tiktok_open::SoundApi* api_;
};

}  // namespace ttads::content

#endif  // TTADS_SERVICES_CONTENT_SOUND_UPLOAD_H_
