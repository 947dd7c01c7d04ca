#include "tools/tiktok_sim/sound_upload.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "tools/tiktok_sim/multipart.h"
#include "tools/tiktok_sim/open_api_v2.h"

namespace ttads::tiktok_sim {
namespace {

constexpr size_t kMaxSoundBytes = 50'000'000;

std::string Signature(const std::string& d) {
  if (d.size() >= 12 && d.compare(0, 4, "RIFF") == 0 &&
      d.compare(8, 4, "WAVE") == 0) {
    return "wav";
  }
  if (d.size() >= 4 && d.compare(0, 4, "fLaC") == 0) return "flac";
  if (d.size() >= 3 && d.compare(0, 3, "ID3") == 0) return "mp3";
  if (d.size() >= 2 && static_cast<unsigned char>(d[0]) == 0xFF &&
      (static_cast<unsigned char>(d[1]) & 0xE0) == 0xE0) {
    return "mp3";
  }
  return "";
}

}  // namespace

http::HttpResponse UploadSound(SimState& s, const http::HttpRequest& req,
                               const std::string& log_id,
                               std::chrono::system_clock::time_point now) {
  auto error = [&](int status, const std::string& code,
                   const std::string& message) {
    return OpenApiError(status, code, message, log_id);
  };
  const UserGrant* grant = nullptr;
  if (auto refused = AuthorizeUserPost(s, req, "share.sound.create", log_id,
                                       now, &grant)) {
    return *refused;
  }
  auto boundary =
      MultipartBoundary(req.headers.Get("Content-Type").value_or(""));
  if (!boundary.ok()) {
    return error(400, "invalid_params",
                 "Content-Type must be multipart/form-data");
  }
  auto parts = ParseMultipart(req.body, *boundary);
  if (!parts.ok()) {
    return error(400, "invalid_params", std::string(parts.status().message()));
  }
  const MultipartPart* sound = nullptr;
  for (const auto& p : *parts) {
    if (p.name == "sound" && p.is_file) sound = &p;
  }
  if (sound == nullptr) {
    return error(400, "invalid_params", "sound: a file part is required");
  }
  if (sound->data.size() >= kMaxSoundBytes) {
    return error(400, "invalid_params",
                 "sound: the file must be smaller than 50 MB");
  }
  const std::string format = Signature(sound->data);
  if (format.empty()) {
    return error(400, "invalid_params",
                 "sound: the file must be mp3, wav or flac");
  }
  const std::string id = absl::StrFormat("sd%017d", s.open.next_sound++);
  s.open.sounds[id] = {grant->open_id, sound->filename, format,
                       sound->data.size()};
  return http::HttpResponse::Json(
      200,
      Json{{"data", {{"share_id", id}}},
           {"error", {{"code", "ok"}, {"message", ""}, {"log_id", log_id}}}}
          .dump());
}

}  // namespace ttads::tiktok_sim
