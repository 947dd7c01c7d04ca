#include "services/content/sound_upload.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "libs/status/status.h"
#include "libs/status/status_macros.h"

namespace ttads::content {
namespace {

std::string Seconds(absl::Duration d) {
  return absl::StrFormat("%.1f s", absl::ToDoubleSeconds(d));
}

const char* ContentType(const std::string& format) {
  if (format == "mp3") return "audio/mpeg";
  if (format == "wav") return "audio/wav";
  return "audio/flac";
}

}  // namespace

absl::Status SoundBuffer::Append(absl::string_view chunk) {
  if (static_cast<int64_t>(bytes_.size() + chunk.size()) >= kMaxSoundBytes) {
    bytes_.clear();
    bytes_.shrink_to_fit();
    return status::InvalidArgument(
        "the sound file is too large",
        {{"data", absl::StrCat("the file must be smaller than 50 MB (",
                               kMaxSoundBytes, " bytes)")}});
  }
  bytes_.append(chunk.data(), chunk.size());
  return absl::OkStatus();
}

absl::StatusOr<media::AudioInfo> CheckSound(const std::string& bytes) {
  if (bytes.empty()) {
    return status::InvalidArgument("the sound file is empty",
                                   {{"data", "no bytes were sent"}});
  }
  absl::StatusOr<media::AudioInfo> info = media::ProbeAudio(bytes);
  if (!info.ok()) {
    return status::InvalidArgument(
        "the sound file is not mp3, wav or flac",
        {{"data", absl::StrCat("the content must be an mp3, wav or flac "
                               "file (",
                               info.status().message(), ")")}});
  }
  if (info->duration <= kMinSoundDuration ||
      info->duration >= kMaxSoundDuration) {
    return status::InvalidArgument(
        absl::StrCat("the sound lasts ", Seconds(info->duration)),
        {{"data", absl::StrCat("the duration must be longer than 10 s and "
                               "shorter than 300 s; this ",
                               info->format, " file lasts ",
                               Seconds(info->duration))}});
  }
  return info;
}

absl::Status SoundUploader::Begin(const server::CallContext& call,
                                  const std::string& connection_id,
                                  const std::string& file_name) const {
  if (file_name.empty() || file_name.size() > kMaxSoundFileName) {
    return status::InvalidArgument(
        "file_name is required",
        {{"file_name",
          "the audio file's name with its extension, 1-255 characters, on "
          "the first message"}});
  }
  return access_->Check(call, connection_id, kSoundScope).status();
}

absl::StatusOr<UploadedSound> SoundUploader::Finish(
    const server::CallContext& call, const std::string& connection_id,
    const std::string& file_name, const std::string& bytes) const {
  UploadedSound out;
  TTADS_ASSIGN_OR_RETURN(out.info, CheckSound(bytes));
  TTADS_ASSIGN_OR_RETURN(std::string token,
                         access_->Token(call, connection_id, kSoundScope));
  tiktok_open::SoundFile file{file_name, ContentType(out.info.format), &bytes};
  TTADS_ASSIGN_OR_RETURN(out.sound_id,
                         api_->UploadSound(token, file, call.deadline));
  out.size_bytes = static_cast<int64_t>(bytes.size());
  out.file_name = file_name;
  return out;
}

}  // namespace ttads::content
