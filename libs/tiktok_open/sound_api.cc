#include "libs/tiktok_open/sound_api.h"

#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "libs/status/status_macros.h"
#include "libs/tiktok_open/display_api.h"
#include "libs/tiktok_open/open_http.h"
#include "nlohmann/json.hpp"

namespace ttads::tiktok_open {
namespace {

using Json = nlohmann::json;

constexpr char kPath[] = "/v2/share/sound/upload/";

std::string Str(const Json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

// A file name safe inside a quoted Content-Disposition parameter.
std::string QuotedName(const std::string& name) {
  std::string out;
  for (char c : name) {
    if (c == '"' || c == '\\' || c == '\r' || c == '\n') continue;
    out.push_back(c);
  }
  return out.empty() ? "sound" : out;
}

}  // namespace

absl::StatusOr<std::string> ParseSoundUploadAnswer(int http_status,
                                                   const std::string& body) {
  Json j = Json::parse(body, nullptr, false);
  std::string code, message, log_id;
  if (!j.is_discarded() && j.is_object() && j.contains("error") &&
      j["error"].is_object()) {
    code = Str(j["error"], "code");
    message = Str(j["error"], "message");
    log_id = Str(j["error"], "log_id");
  }
  std::vector<std::pair<std::string, std::string>> meta;
  if (!log_id.empty()) meta.push_back({"tiktok_log_id", log_id});
  if (!code.empty()) meta.push_back({"tiktok_error", code});
  if (http_status == 200 && code == "ok") {
    std::string id;
    if (j.contains("data") && j["data"].is_object()) {
      id = Str(j["data"], "share_id");
    }
    if (id.empty()) {
      return absl::UnavailableError(
          "TikTok's sound upload answered without a share_id");
    }
    return id;
  }
  return V2ErrorStatus(kPath, http_status, code, message, meta);
}

absl::StatusOr<std::string> HttpSoundApi::UploadSound(
    const std::string& access_token, const SoundFile& file,
    absl::Time deadline) {
  std::mt19937_64 rng(std::random_device{}());
  const std::string boundary =
      absl::StrFormat("ttads-%016x%016x", rng(), rng());
  HttpRequestSpec req;
  req.method = "POST";
  req.url = JoinUrl(base_url_, "v2/share/sound/upload/");
  req.headers = {
      absl::StrCat("Content-Type: multipart/form-data; boundary=", boundary),
      absl::StrCat("Authorization: Bearer ", access_token),
      // No 100-continue round trip for the large body.
      "Expect:"};
  req.body.reserve(file.data->size() + 512);
  absl::StrAppend(&req.body, "--", boundary,
                  "\r\nContent-Disposition: form-data; name=\"sound\"; "
                  "filename=\"",
                  QuotedName(file.file_name),
                  "\"\r\nContent-Type: ", file.content_type, "\r\n\r\n");
  req.body.append(*file.data);
  absl::StrAppend(&req.body, "\r\n--", boundary, "--\r\n");
  TTADS_ASSIGN_OR_RETURN(HttpAnswer answer, Exchange(req, deadline));
  return ParseSoundUploadAnswer(answer.status, answer.body);
}

}  // namespace ttads::tiktok_open
