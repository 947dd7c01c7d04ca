#ifndef TTADS_LIBS_TIKTOK_OPEN_SOUND_API_H_
#define TTADS_LIBS_TIKTOK_OPEN_SOUND_API_H_

// Uploading a user's original sound (Ibexa's "Upload a Sound", scope
// share.sound.create).
//
// UNVERIFIED: TikTok's public reference, as far as we could read it,
// documents no sound upload endpoint. This client speaks the closest
// documented shape (docs/content.md, "Upload a Sound"): POST
// <base>/v2/share/sound/upload/ with the v2 platform's `Authorization:
// Bearer <user access token>`, the file as part `sound` of a
// multipart/form-data body (as the legacy Share Video API took its video),
// answer {data: {share_id}, error: {code, message, log_id}} (v2 envelope;
// share_id as Share Video answered). The simulator serves exactly this.

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace ttads::tiktok_open {

struct SoundFile {
  std::string file_name;     // Sent as the part's filename.
  std::string content_type;  // audio/mpeg, audio/wav or audio/flac.
  const std::string* data = nullptr;
};

// Errors as DisplayApi's (V2ErrorStatus): FAILED_PRECONDITION
// TIKTOK_TOKEN_INVALID, PERMISSION_DENIED TIKTOK_SCOPE_MISSING,
// RESOURCE_EXHAUSTED, UNAVAILABLE, FAILED_PRECONDITION TIKTOK_REFUSED; and
// UNAVAILABLE for a 200 without a share_id.
class SoundApi {
 public:
  virtual ~SoundApi() = default;
  // TikTok's id of the uploaded sound (share_id).
  virtual absl::StatusOr<std::string> UploadSound(
      const std::string& access_token, const SoundFile& file,
      absl::Time deadline) = 0;
};

class HttpSoundApi : public SoundApi {
 public:
  // `base_url`: TTADS_TIKTOK_OPEN_BASE_URL ("https://open.tiktokapis.com/").
  explicit HttpSoundApi(std::string base_url)
      : base_url_(std::move(base_url)) {}
  absl::StatusOr<std::string> UploadSound(const std::string& access_token,
                                          const SoundFile& file,
                                          absl::Time deadline) override;

 private:
  std::string base_url_;
};

// Reads an answer of the sound upload.
absl::StatusOr<std::string> ParseSoundUploadAnswer(int http_status,
                                                   const std::string& body);

}  // namespace ttads::tiktok_open

#endif  // TTADS_LIBS_TIKTOK_OPEN_SOUND_API_H_
