#include "services/ads/raw_call_headers.h"

#include <algorithm>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "libs/status/status.h"

namespace ttads::ads {
namespace {

bool IsTokenChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) ||
         absl::string_view("!#$%&'*+-.^_`|~").find(c) !=
             absl::string_view::npos;
}

// Why `lower` (a lower-cased name) may not be sent; empty when it may.
std::string Refusal(const std::string& lower) {
  static const std::set<std::string> kSetByTtads = {
      "access-token", "authorization",     "cookie", "host",   "content-length",
      "content-type", "transfer-encoding", "expect", "accept", "traceparent",
      "tracestate"};
  static const std::set<std::string> kHopByHop = {"connection", "keep-alive",
                                                  "te", "trailer", "upgrade"};
  static const std::set<std::string> kForwarding = {
      "forwarded",     "via",
      "x-real-ip",     "x-http-method-override",
      "x-http-method", "x-method-override"};
  if (kSetByTtads.count(lower)) {
    return "set by ttads or part of the request itself: not forwarded";
  }
  if (kHopByHop.count(lower) || absl::StartsWith(lower, "proxy-")) {
    return "hop-by-hop header: not forwarded";
  }
  if (kForwarding.count(lower) || absl::StartsWith(lower, "x-forwarded-")) {
    return "forwarding and method-override headers are not forwarded";
  }
  if (lower != "accept-language" && !absl::StartsWith(lower, "x-")) {
    return "only Accept-Language and X-... headers are forwarded";
  }
  return "";
}

}  // namespace

absl::StatusOr<std::vector<std::pair<std::string, std::string>>>
SafeRawCallHeaders(const std::map<std::string, std::string>& headers) {
  std::vector<status::FieldViolation> bad;
  std::vector<std::pair<std::string, std::string>> out;
  if (headers.size() > kMaxRawCallHeaders) {
    bad.push_back(
        {"headers", absl::StrCat("at most ", kMaxRawCallHeaders, " headers")});
  }
  std::set<std::string> seen;
  for (const auto& [name, value] : headers) {
    const std::string field = absl::StrCat("headers[\"", name, "\"]");
    std::string why;
    if (name.empty() || !std::all_of(name.begin(), name.end(), IsTokenChar)) {
      why = "not an HTTP header name";
    } else if (value.size() > kMaxRawCallHeaderValue) {
      why =
          absl::StrCat("value longer than ", kMaxRawCallHeaderValue, " bytes");
    } else if (std::any_of(value.begin(), value.end(), [](char c) {
                 const auto u = static_cast<unsigned char>(c);
                 return (u < 0x20 && c != '\t') || u == 0x7f;
               })) {
      why = "control bytes (CR, LF, NUL, ...) are not allowed in a value";
    } else {
      const std::string lower = absl::AsciiStrToLower(name);
      why = Refusal(lower);
      if (why.empty() && !seen.insert(lower).second) {
        why = "given twice (names are case-insensitive)";
      }
    }
    if (!why.empty()) {
      bad.push_back({field, why});
      continue;
    }
    out.emplace_back(name, value);
  }
  if (!bad.empty()) {
    return status::InvalidArgument("invalid headers", std::move(bad));
  }
  return out;
}

}  // namespace ttads::ads
