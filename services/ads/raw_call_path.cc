#include "services/ads/raw_call_path.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "libs/status/status.h"
#include "libs/status/status_macros.h"

namespace ttads::ads {
namespace {

absl::Status BadPath(absl::string_view why) {
  return status::InvalidArgument(absl::StrCat("invalid API path: ", why),
                                 {{"path", std::string(why)}});
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = absl::ascii_tolower(c);
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// One round of percent-decoding; INVALID_ARGUMENT for a malformed escape.
absl::StatusOr<std::string> DecodeOnce(absl::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out.push_back(in[i]);
      continue;
    }
    if (i + 2 >= in.size()) {
      return BadPath("'%' must be followed by two hex digits");
    }
    int hi = HexValue(in[i + 1]);
    int lo = HexValue(in[i + 2]);
    if (hi < 0 || lo < 0) {
      return BadPath("'%' must be followed by two hex digits");
    }
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return out;
}

// Removes `prefix` when it is a whole leading segment of `path`; whether it
// did.
bool StripSegment(absl::string_view prefix, absl::string_view* path) {
  if (absl::StartsWith(*path, prefix) &&
      (path->size() == prefix.size() || (*path)[prefix.size()] == '/')) {
    path->remove_prefix(prefix.size());
    return true;
  }
  return false;
}

// "v1", "v2.0", "v1.4": a version segment (letter v, digits, dots).
bool IsVersionSegment(absl::string_view s) {
  if (s.size() < 2 || (s[0] != 'v' && s[0] != 'V')) return false;
  if (!absl::ascii_isdigit(static_cast<unsigned char>(s[1]))) return false;
  for (char c : s.substr(1)) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c)) && c != '.') {
      return false;
    }
  }
  return true;
}

bool SegmentByteOk(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_' ||
         c == '-';
}

}  // namespace

absl::StatusOr<std::string> CanonicalRawCallPath(absl::string_view raw) {
  if (raw.empty()) {
    return status::InvalidArgument("path is required", {{"path", "required"}});
  }
  TTADS_ASSIGN_OR_RETURN(std::string decoded, DecodeOnce(raw));
  for (unsigned char c : decoded) {
    if (c < 0x20 || c == 0x7f) return BadPath("control bytes are not allowed");
    if (c == '%') return BadPath("percent-encoding must not be nested");
    if (c == '\\') return BadPath("backslashes are not allowed");
    if (c == '?' || c == '#') {
      return BadPath("no query or fragment: pass parameters in query/body");
    }
  }
  absl::string_view path = decoded;
  if (absl::StrContains(path, "://") || absl::StartsWith(path, "//")) {
    return BadPath(
        "absolute URLs are not accepted: give the path relative to open_api "
        "(e.g. /v1.3/ad/get)");
  }
  std::string rooted =
      absl::StartsWith(path, "/") ? std::string(path) : absl::StrCat("/", path);
  path = rooted;
  StripSegment("/open_api", &path);
  // TikTok's reference serves v1.3 only; v1.2 (what Ibexa's example shows)
  // was retired and its endpoints live on under the same names in v1.3.
  if (!StripSegment("/v1.3", &path) && !StripSegment("/v1.2", &path)) {
    absl::string_view first = path;
    absl::ConsumePrefix(&first, "/");
    first = first.substr(0, first.find('/'));
    if (IsVersionSegment(first)) {
      return BadPath(absl::StrCat(
          "API version ", first,
          " is not served: TikTok's Marketing API is v1.3 (v1.2 paths are "
          "sent to v1.3)"));
    }
  }
  std::string canonical =
      absl::StartsWith(path, "/") ? std::string(path) : absl::StrCat("/", path);
  // Ibexa shows paths without TikTok's trailing '/', which TikTok needs.
  if (!absl::EndsWith(canonical, "/")) canonical.push_back('/');
  if (canonical == "/") return BadPath("names no endpoint");
  absl::string_view inner(canonical);
  inner.remove_prefix(1);
  inner.remove_suffix(1);
  for (absl::string_view segment : absl::StrSplit(inner, '/')) {
    if (segment.empty())
      return BadPath("empty segments ('//') are not allowed");
    if (segment == "." || segment == "..") {
      return BadPath("'.' and '..' segments are not allowed");
    }
    for (char c : segment) {
      if (!SegmentByteOk(c)) {
        return BadPath("segments hold only letters, digits, '_' and '-'");
      }
    }
  }
  return canonical;
}

absl::Status CheckRawCallAllowed(const std::string& path,
                                 const std::vector<std::string>& allowlist) {
  for (const auto& prefix : allowlist) {
    if (prefix.empty() || !absl::StartsWith(path, prefix)) continue;
    if (absl::EndsWith(prefix, "/") || path.size() == prefix.size() ||
        path[prefix.size()] == '/') {
      return absl::OkStatus();
    }
  }
  return status::WithErrorInfo(
      status::WithFieldViolations(
          absl::PermissionDeniedError(
              absl::StrCat(path, " is not allowed; allowed prefixes: ",
                           absl::StrJoin(allowlist, ", "))),
          {{"path", "outside TTADS_ADS_RAW_CALL_ALLOWLIST"}}),
      "RAW_CALL_NOT_ALLOWED", {{"path", path}});
}

}  // namespace ttads::ads
