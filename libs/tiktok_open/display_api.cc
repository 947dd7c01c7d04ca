#include "libs/tiktok_open/display_api.h"

#include "absl/strings/str_cat.h"
#include "libs/status/status.h"
#include "libs/status/status_macros.h"
#include "libs/tiktok_open/open_http.h"
#include "nlohmann/json.hpp"

namespace ttads::tiktok_open {

using Json = nlohmann::json;

const char* VideoFieldsParam() {
  return "id,create_time,title,video_description,share_url,embed_link,"
         "cover_image_url,duration,like_count,comment_count,share_count,"
         "view_count";
}

namespace {

int64_t Int(const Json& v, const char* key) {
  auto it = v.find(key);
  return it != v.end() && it->is_number_integer() ? it->get<int64_t>() : 0;
}

std::string Str(const Json& v, const char* key) {
  auto it = v.find(key);
  return it != v.end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace

absl::Status V2ErrorStatus(
    const std::string& path, int http_status, const std::string& code,
    const std::string& message,
    const std::vector<std::pair<std::string, std::string>>& meta) {
  std::string text =
      absl::StrCat("TikTok ", path, " answered HTTP ", http_status, " ",
                   code.empty() ? "(no error code)" : code,
                   message.empty() ? "" : absl::StrCat(": ", message));
  if (code == "access_token_invalid") {
    return status::WithErrorInfo(absl::FailedPreconditionError(text),
                                 kTokenInvalid, meta);
  }
  if (code == "scope_not_authorized" || code == "scope_permission_missed") {
    return status::WithErrorInfo(absl::PermissionDeniedError(text),
                                 kScopeMissing, meta);
  }
  if (code == "rate_limit_exceeded" || http_status == 429) {
    return status::WithRetryInfo(
        status::WithErrorInfo(absl::ResourceExhaustedError(text),
                              "TIKTOK_THROTTLED", meta),
        absl::Seconds(1));
  }
  if (http_status >= 500 || code == "internal_error" || code.empty()) {
    return status::WithErrorInfo(absl::UnavailableError(text),
                                 "TIKTOK_UNAVAILABLE", meta);
  }
  return status::WithErrorInfo(absl::FailedPreconditionError(text),
                               "TIKTOK_REFUSED", meta);
}

absl::StatusOr<VideoPage> ParseVideoListAnswer(int http_status,
                                               const std::string& body) {
  Json j = Json::parse(body, nullptr, false);
  std::string code = "", message, log_id;
  if (!j.is_discarded() && j.is_object() && j.contains("error") &&
      j["error"].is_object()) {
    code = Str(j["error"], "code");
    message = Str(j["error"], "message");
    log_id = Str(j["error"], "log_id");
  }
  std::vector<std::pair<std::string, std::string>> meta;
  if (!log_id.empty()) meta.push_back({"tiktok_log_id", log_id});
  if (!code.empty()) meta.push_back({"tiktok_error", code});
  if (http_status == 200 && code == "ok" && j.contains("data") &&
      j["data"].is_object()) {
    const Json& data = j["data"];
    VideoPage page;
    page.cursor = Int(data, "cursor");
    page.has_more = data.value("has_more", false);
    if (data.contains("videos") && data["videos"].is_array()) {
      for (const Json& v : data["videos"]) {
        if (!v.is_object()) continue;
        VideoPost p;
        p.id = Str(v, "id");
        p.create_time = Int(v, "create_time");
        p.title = Str(v, "title");
        p.video_description = Str(v, "video_description");
        p.share_url = Str(v, "share_url");
        p.embed_link = Str(v, "embed_link");
        p.cover_image_url = Str(v, "cover_image_url");
        p.duration = Int(v, "duration");
        p.like_count = Int(v, "like_count");
        p.comment_count = Int(v, "comment_count");
        p.share_count = Int(v, "share_count");
        p.view_count = Int(v, "view_count");
        if (!p.id.empty()) page.videos.push_back(std::move(p));
      }
    }
    return page;
  }
  return V2ErrorStatus("/v2/video/list/", http_status, code, message, meta);
}

absl::StatusOr<VideoPage> HttpDisplayApi::ListVideos(
    const std::string& access_token, int64_t cursor, int max_count,
    absl::Time deadline) {
  HttpRequestSpec req;
  req.method = "POST";
  req.url = absl::StrCat(JoinUrl(base_url_, "v2/video/list/"),
                         "?fields=", VideoFieldsParam());
  req.headers = {"Content-Type: application/json",
                 absl::StrCat("Authorization: Bearer ", access_token)};
  Json body = {{"max_count", max_count}};
  if (cursor > 0) body["cursor"] = cursor;
  req.body = body.dump();
  TTADS_ASSIGN_OR_RETURN(HttpAnswer answer, Exchange(req, deadline));
  return ParseVideoListAnswer(answer.status, answer.body);
}

}  // namespace ttads::tiktok_open
