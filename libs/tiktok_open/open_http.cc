#include "libs/tiktok_open/open_http.h"

#include <curl/curl.h>

#include <algorithm>
#include <memory>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "libs/http/query.h"

namespace ttads::tiktok_open {
namespace {

struct Sink {
  std::string body;
  int64_t limit = 0;
  bool overflow = false;
};

size_t Write(char* data, size_t size, size_t n, void* user) {
  auto* sink = static_cast<Sink*>(user);
  size_t bytes = size * n;
  if (static_cast<int64_t>(sink->body.size() + bytes) > sink->limit) {
    sink->overflow = true;
    return 0;
  }
  sink->body.append(data, bytes);
  return bytes;
}

}  // namespace

absl::StatusOr<HttpAnswer> Exchange(const HttpRequestSpec& request,
                                    absl::Time deadline) {
  absl::Duration left = std::min(deadline - absl::Now(), absl::Seconds(30));
  if (left <= absl::ZeroDuration()) {
    return absl::DeadlineExceededError(
        absl::StrCat("no time left to call ", request.url));
  }
  std::unique_ptr<CURL, void (*)(CURL*)> curl(curl_easy_init(),
                                              curl_easy_cleanup);
  if (!curl) return absl::UnavailableError("curl_easy_init failed");
  Sink sink;
  sink.limit = request.max_response_bytes;
  curl_slist* headers = nullptr;
  for (const auto& h : request.headers) {
    headers = curl_slist_append(headers, h.c_str());
  }
  std::unique_ptr<curl_slist, void (*)(curl_slist*)> header_guard(
      headers, curl_slist_free_all);
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS,
                   static_cast<long>(absl::ToInt64Milliseconds(left)) + 1);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, Write);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(c, CURLOPT_USERAGENT, "ttads-tiktok-open/1");
  if (request.method == "POST") {
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request.body.size()));
  }
  CURLcode rc = curl_easy_perform(c);
  if (sink.overflow) {
    return absl::UnavailableError(
        absl::StrCat("answer of ", request.url, " exceeds ",
                     request.max_response_bytes, " bytes"));
  }
  if (rc == CURLE_OPERATION_TIMEDOUT) {
    return absl::DeadlineExceededError(
        absl::StrCat("timed out calling ", request.url));
  }
  if (rc != CURLE_OK) {
    return absl::UnavailableError(absl::StrCat(
        "calling ", request.url, " failed: ", curl_easy_strerror(rc)));
  }
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  return HttpAnswer{static_cast<int>(status), std::move(sink.body)};
}

std::string FormEncode(
    const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  for (const auto& [k, v] : fields) {
    if (!out.empty()) out += '&';
    absl::StrAppend(&out, http::PercentEncode(k), "=", http::PercentEncode(v));
  }
  return out;
}

std::string JoinUrl(const std::string& base, const std::string& path) {
  std::string b = base;
  while (absl::EndsWith(b, "/")) b.pop_back();
  size_t skip = 0;
  while (skip < path.size() && path[skip] == '/') ++skip;
  return absl::StrCat(b, "/", path.substr(skip));
}

}  // namespace ttads::tiktok_open
