#include "libs/tiktok_open/oembed.h"

#include <cctype>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "libs/http/query.h"
#include "libs/status/status.h"
#include "libs/status/status_macros.h"
#include "nlohmann/json.hpp"

namespace ttads::tiktok_open {
namespace {

using Json = nlohmann::json;

constexpr size_t kMaxUrlLength = 2048;
constexpr char kShape[] = "https://www.tiktok.com/@<user>/video/<digits>";

absl::Status Refuse(absl::string_view field, absl::string_view why) {
  return status::InvalidArgument(
      absl::StrCat("not a TikTok video URL: ", why),
      {{std::string(field),
        absl::StrCat(why, "; expected a video page URL ", kShape)}});
}

bool AllDigits(absl::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

bool ValidUsername(absl::string_view s) {
  if (s.empty() || s.size() > 24) return false;
  for (char c : s) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '_' &&
        c != '.') {
      return false;
    }
  }
  return true;
}

std::string Str(const Json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

int IntOf(const Json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end()) return 0;
  if (it->is_number_integer()) return it->get<int>();
  if (it->is_string()) {
    const std::string s = it->get<std::string>();
    return AllDigits(s) && s.size() < 9 ? std::stoi(s) : 0;
  }
  return 0;
}

}  // namespace

absl::StatusOr<VideoUrl> ParseVideoUrl(absl::string_view url,
                                       absl::string_view field) {
  absl::string_view rest = absl::StripAsciiWhitespace(url);
  if (rest.empty()) return Refuse(field, "the URL is empty");
  if (rest.size() > kMaxUrlLength) {
    return Refuse(field, "the URL is longer than 2048 characters");
  }
  // Scheme.
  const size_t colon = rest.find("://");
  if (colon == absl::string_view::npos) {
    return Refuse(field, "the URL has no scheme");
  }
  const std::string scheme = absl::AsciiStrToLower(rest.substr(0, colon));
  if (scheme != "https" && scheme != "http") {
    return Refuse(field, absl::StrCat("scheme ", scheme, " is not http(s)"));
  }
  rest.remove_prefix(colon + 3);
  // Drop the fragment, then the query.
  rest = rest.substr(0, rest.find('#'));
  rest = rest.substr(0, rest.find('?'));
  const size_t slash = rest.find('/');
  absl::string_view authority = rest.substr(0, slash);
  absl::string_view path =
      slash == absl::string_view::npos ? "" : rest.substr(slash);
  if (absl::StrContains(authority, '@')) {
    return Refuse(field, "user info in the URL is not accepted");
  }
  std::string host = absl::AsciiStrToLower(authority);
  if (const size_t port = host.rfind(':'); port != std::string::npos) {
    if (host.substr(port + 1) != "443") {
      return Refuse(field, "a port other than 443 is not accepted");
    }
    host.resize(port);
  }
  if (host == "vm.tiktok.com" || host == "vt.tiktok.com") {
    return Refuse(field,
                  "short links are not accepted (open the link and pass "
                  "the video page it leads to)");
  }
  if (host != "www.tiktok.com" && host != "tiktok.com") {
    return Refuse(field, absl::StrCat("host ", host, " is not tiktok.com"));
  }
  if (absl::EndsWith(path, "/")) path.remove_suffix(1);
  std::vector<absl::string_view> parts = absl::StrSplit(path, '/');
  // "", "@user", "video", "<id>".
  if (parts.size() != 4 || !parts[0].empty() ||
      !absl::StartsWith(parts[1], "@") || parts[2] != "video") {
    return Refuse(field, "the path is not /@<user>/video/<digits>");
  }
  VideoUrl out;
  out.username = std::string(parts[1].substr(1));
  out.video_id = std::string(parts[3]);
  if (!ValidUsername(out.username)) {
    return Refuse(field,
                  "the username is not 1-24 letters, digits, '_' or '.'");
  }
  if (!AllDigits(out.video_id) || out.video_id.size() > 32) {
    return Refuse(field, "the video id is not 1-32 digits");
  }
  out.canonical = absl::StrCat("https://www.tiktok.com/@", out.username,
                               "/video/", out.video_id);
  return out;
}

absl::StatusOr<EmbeddedVideo> ParseOEmbedAnswer(int http_status,
                                                const std::string& body) {
  Json j = Json::parse(body, nullptr, false);
  std::string says;
  if (!j.is_discarded() && j.is_object()) {
    says = Str(j, "status_msg");
    if (says.empty()) says = Str(j, "message");
  }
  const std::string suffix = says.empty() ? "" : absl::StrCat(": ", says);
  switch (http_status) {
    case 200:
      break;
    case 400:
      return status::InvalidArgument(
          absl::StrCat("TikTok's oEmbed refused the URL", suffix),
          {{"video_url", "TikTok does not take this URL for embedding"}},
          "TIKTOK_OEMBED_BAD_URL");
    case 404:
      return absl::NotFoundError(absl::StrCat(
          "TikTok has no public video at this URL (deleted, private or never "
          "posted)",
          suffix));
    case 403:
      return status::WithErrorInfo(
          absl::FailedPreconditionError(
              absl::StrCat("TikTok refuses to embed this video", suffix)),
          "TIKTOK_EMBED_REFUSED");
    case 429:
      return status::WithRetryInfo(
          absl::ResourceExhaustedError(
              absl::StrCat("TikTok's oEmbed is throttling", suffix)),
          absl::Seconds(60));
    default:
      if (http_status >= 400 && http_status < 500) {
        return status::WithErrorInfo(
            absl::FailedPreconditionError(absl::StrCat(
                "TikTok's oEmbed answered HTTP ", http_status, suffix)),
            "TIKTOK_REFUSED");
      }
      return absl::UnavailableError(
          absl::StrCat("TikTok's oEmbed answered HTTP ", http_status));
  }
  if (j.is_discarded() || !j.is_object() || Str(j, "type") != "video" ||
      Str(j, "html").empty()) {
    return absl::UnavailableError(
        "TikTok's oEmbed answered 200 without a video embed");
  }
  EmbeddedVideo v;
  v.version = Str(j, "version");
  v.type = Str(j, "type");
  v.title = Str(j, "title");
  v.author_name = Str(j, "author_name");
  v.author_url = Str(j, "author_url");
  v.html = Str(j, "html");
  v.width = Str(j, "width");
  v.height = Str(j, "height");
  v.thumbnail_url = Str(j, "thumbnail_url");
  v.thumbnail_width = IntOf(j, "thumbnail_width");
  v.thumbnail_height = IntOf(j, "thumbnail_height");
  v.provider_name = Str(j, "provider_name");
  v.provider_url = Str(j, "provider_url");
  return v;
}

HttpOEmbedApi::HttpOEmbedApi(std::string endpoint, fetch::FetchOptions options)
    : endpoint_(std::move(endpoint)), options_(std::move(options)) {
  options_.max_bytes = kMaxOEmbedBytes;
  options_.client_errors_are_answers = true;
}

absl::StatusOr<std::string> HttpOEmbedApi::Fetch(const VideoUrl& url,
                                                 absl::Time deadline) {
  fetch::FetchOptions options = options_;
  options.deadline = deadline;
  fetch::FetchInfo info;
  const std::string target =
      absl::StrCat(endpoint_, absl::StrContains(endpoint_, '?') ? "&" : "?",
                   "url=", http::PercentEncode(url.canonical));
  absl::StatusOr<std::string> body =
      fetch::FetchToString(target, options, &info);
  if (!body.ok()) {
    const absl::StatusCode code = body.status().code();
    if (code == absl::StatusCode::kPermissionDenied ||
        code == absl::StatusCode::kInvalidArgument) {
      // The endpoint is configuration, not the caller's input: a refusal by
      // the public-address rules (or an oversized answer) is not the
      // caller's fault.
      return status::WithErrorInfo(
          absl::FailedPreconditionError(absl::StrCat(
              "the oEmbed endpoint was refused: ", body.status().message())),
          "OEMBED_ENDPOINT_REFUSED");
    }
    return body.status();
  }
  if (info.http_status != 200) {
    return ParseOEmbedAnswer(info.http_status, *body).status();
  }
  TTADS_RETURN_IF_ERROR(ParseOEmbedAnswer(200, *body));
  return body;
}

}  // namespace ttads::tiktok_open
