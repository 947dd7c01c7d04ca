#include "tools/tiktok_sim/display_api.h"

#include <algorithm>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "tools/tiktok_sim/open_api_v2.h"

namespace ttads::tiktok_sim {
namespace {

// The Video Object's fields (List Videos / Video Object pages).
constexpr const char* kVideoFields[] = {"id",
                                        "create_time",
                                        "cover_image_url",
                                        "share_url",
                                        "video_description",
                                        "duration",
                                        "height",
                                        "width",
                                        "title",
                                        "embed_html",
                                        "embed_link",
                                        "like_count",
                                        "comment_count",
                                        "share_count",
                                        "view_count"};

constexpr int kMaxCountLimit = 20;
constexpr int kMaxCountDefault = 10;

bool KnownField(const std::string& s) {
  return std::find_if(std::begin(kVideoFields), std::end(kVideoFields),
                      [&](const char* k) { return s == k; }) !=
         std::end(kVideoFields);
}

// The Video Object of `p` with only `fields`. The simulator has no media:
// the cover is a sim.local placeholder, every video 1080x1920.
Json VideoJson(const SimState& s, const VideoPost& p,
               const std::vector<std::string>& fields) {
  const TikTokUser& user = s.open.users.at(p.open_id);
  const std::string share = PostShareUrl(user, p);
  Json all = {
      {"id", p.id},
      {"create_time", p.create_time},
      {"cover_image_url",
       absl::StrCat("https://sim.local/tiktok/cover/", p.id, ".jpeg")},
      {"share_url", share},
      {"video_description", p.title},
      {"duration", p.duration},
      {"height", 1920},
      {"width", 1080},
      {"title", p.title},
      {"embed_html",
       absl::StrCat("<blockquote class=\"tiktok-embed\" cite=\"", share,
                    "\" data-video-id=\"", p.id, "\"></blockquote>")},
      {"embed_link", absl::StrCat("https://www.tiktok.com/player/v1/", p.id)},
      {"like_count", p.like_count},
      {"comment_count", p.comment_count},
      {"share_count", p.share_count},
      {"view_count", p.view_count}};
  Json out = Json::object();
  for (const auto& f : fields) out[f] = all[f];
  return out;
}

}  // namespace

http::HttpResponse ListVideos(SimState& s, const http::HttpRequest& req,
                              const std::string& log_id,
                              std::chrono::system_clock::time_point now) {
  auto error = [&](int status, const std::string& code,
                   const std::string& message) {
    return OpenApiError(status, code, message, log_id);
  };
  const UserGrant* granted = nullptr;
  if (auto refused =
          AuthorizeUserPost(s, req, "video.list", log_id, now, &granted)) {
    return *refused;
  }
  const UserGrant& grant = *granted;
  if (!absl::StartsWithIgnoreCase(req.headers.Get("Content-Type").value_or(""),
                                  "application/json")) {
    return error(400, "invalid_params",
                 "Content-Type must be application/json");
  }
  std::vector<std::string> fields;
  for (absl::string_view f :
       absl::StrSplit(req.QueryParam("fields").value_or(""), ',',
                      absl::SkipWhitespace())) {
    std::string name(absl::StripAsciiWhitespace(f));
    if (!KnownField(name)) {
      return error(400, "invalid_params",
                   absl::StrCat("fields: unknown field ", name));
    }
    if (std::find(fields.begin(), fields.end(), name) == fields.end()) {
      fields.push_back(name);
    }
  }
  if (fields.empty()) {
    return error(400, "invalid_params", "fields is required");
  }
  Json body =
      req.body.empty() ? Json::object() : Json::parse(req.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    return error(400, "invalid_params", "body must be a JSON object");
  }
  int64_t cursor = 0;
  int64_t max_count = kMaxCountDefault;
  if (body.contains("cursor") && !body["cursor"].is_null()) {
    if (!body["cursor"].is_number_integer() ||
        body["cursor"].get<int64_t>() < 0) {
      return error(400, "invalid_params",
                   "cursor must be a non-negative int64 (Unix milliseconds)");
    }
    cursor = body["cursor"].get<int64_t>();
  }
  if (body.contains("max_count") && !body["max_count"].is_null()) {
    if (!body["max_count"].is_number_integer()) {
      return error(400, "invalid_params", "max_count must be an int32");
    }
    max_count = body["max_count"].get<int64_t>();
    if (max_count < 1 || max_count > kMaxCountLimit) {
      return error(
          400, "invalid_params",
          absl::StrCat("max_count must be between 1 and ", kMaxCountLimit));
    }
  }
  Json videos = Json::array();
  bool has_more = false;
  int64_t next_cursor = cursor;
  for (const VideoPost* p : s.open.PostsOf(grant.open_id)) {
    if (cursor > 0 && p->create_time * 1000 >= cursor) continue;
    if (static_cast<int64_t>(videos.size()) == max_count) {
      has_more = true;
      break;
    }
    videos.push_back(VideoJson(s, *p, fields));
    next_cursor = p->create_time * 1000;
  }
  return JsonReply(
      200,
      {{"data",
        {{"videos", videos}, {"cursor", next_cursor}, {"has_more", has_more}}},
       {"error", {{"code", "ok"}, {"message", ""}, {"log_id", log_id}}}});
}

}  // namespace ttads::tiktok_sim
