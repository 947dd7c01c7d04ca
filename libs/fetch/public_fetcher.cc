#include "libs/fetch/public_fetcher.h"

#include <curl/curl.h>

#include <algorithm>
#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "libs/fetch/address_guard.h"
#include "libs/status/status_macros.h"

namespace ttads::fetch {
namespace {

struct UrlParts {
  std::string scheme;
  std::string host;
  int port = 0;
};

absl::StatusOr<UrlParts> ParseUrl(const std::string& url) {
  std::unique_ptr<CURLU, decltype(&curl_url_cleanup)> handle(curl_url(),
                                                             curl_url_cleanup);
  if (curl_url_set(handle.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) {
    return absl::InvalidArgumentError(absl::StrCat("malformed URL: ", url));
  }
  UrlParts parts;
  char* value = nullptr;
  if (curl_url_get(handle.get(), CURLUPART_SCHEME, &value, 0) == CURLUE_OK) {
    parts.scheme = absl::AsciiStrToLower(value);
    curl_free(value);
  }
  if (curl_url_get(handle.get(), CURLUPART_HOST, &value, 0) == CURLUE_OK) {
    parts.host = value;
    curl_free(value);
  }
  if (curl_url_get(handle.get(), CURLUPART_PORT, &value, CURLU_DEFAULT_PORT) ==
      CURLUE_OK) {
    parts.port = std::atoi(value);
    curl_free(value);
  }
  if (parts.host.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("URL has no host: ", url));
  }
  // curl keeps IPv6 literals in brackets.
  if (parts.host.size() > 2 && parts.host.front() == '[') {
    parts.host = parts.host.substr(1, parts.host.size() - 2);
  }
  return parts;
}

struct Transfer {
  const BodySink* sink;
  size_t max_bytes;
  size_t received = 0;
  bool too_big = false;
  bool aborted = false;
};

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t n = size * count;
  t->received += n;
  if (t->received > t->max_bytes) {
    t->too_big = true;
    return 0;
  }
  if (!(*t->sink)(std::string_view(data, n))) {
    t->aborted = true;
    return 0;
  }
  return n;
}

}  // namespace

absl::StatusOr<FetchInfo> Fetch(const std::string& url,
                                const FetchOptions& options,
                                const BodySink& sink) {
  std::string current = url;
  const absl::Time own_end = absl::Now() + options.timeout;
  const bool deadline_first = options.deadline < own_end;
  const absl::Time end = std::min(own_end, options.deadline);
  auto time_out = [&]() -> absl::Status {
    if (deadline_first) {
      return absl::DeadlineExceededError(
          absl::StrCat("deadline exceeded downloading ", url));
    }
    return absl::UnavailableError(
        absl::StrCat("cannot download ", url, ": no answer within ",
                     absl::FormatDuration(options.timeout)));
  };
  for (int hop = 0; hop <= options.max_redirects; ++hop) {
    // libcurl reads a timeout of 0 as "none": stop before that can happen.
    const int64_t left_ms = absl::ToInt64Milliseconds(end - absl::Now());
    if (left_ms < 1) return time_out();
    TTADS_ASSIGN_OR_RETURN(UrlParts parts, ParseUrl(current));
    const bool https = parts.scheme == "https";
    const bool http = parts.scheme == "http";
    const bool allowlisted =
        std::find(options.private_allowlist.begin(),
                  options.private_allowlist.end(),
                  absl::StrCat(parts.host, ":", parts.port)) !=
        options.private_allowlist.end();
    const bool may_be_private = options.allow_private || allowlisted;
    if (!https && !http) {
      return absl::InvalidArgumentError(
          absl::StrCat("URL must use https: ", current));
    }
    TTADS_ASSIGN_OR_RETURN(std::vector<std::string> addresses,
                           ResolvePublic(parts.host, may_be_private));
    if (http && options.require_https && !may_be_private) {
      return absl::InvalidArgumentError(
          absl::StrCat("URL must use https: ", current));
    }
    const std::string& pinned = addresses.front();
    const std::string pin = absl::StrCat(parts.host, ":", parts.port, ":",
                                         pinned.find(':') != std::string::npos
                                             ? absl::StrCat("[", pinned, "]")
                                             : pinned);

    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(),
                                                             curl_easy_cleanup);
    curl_slist* resolve = curl_slist_append(nullptr, pin.c_str());
    Transfer transfer{&sink, options.max_bytes};
    curl_easy_setopt(curl.get(), CURLOPT_URL, current.c_str());
    curl_easy_setopt(curl.get(), CURLOPT_RESOLVE, resolve);
    curl_easy_setopt(curl.get(), CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl.get(), CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS,
                     static_cast<long>(left_ms));
    curl_easy_setopt(curl.get(), CURLOPT_MAXFILESIZE_LARGE,
                     static_cast<curl_off_t>(options.max_bytes));
    curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, OnBody);
    curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &transfer);
    curl_easy_setopt(curl.get(), CURLOPT_USERAGENT, "ttads-fetch/1");
    CURLcode rc = curl_easy_perform(curl.get());
    curl_slist_free_all(resolve);

    long status = 0;
    curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
    if (transfer.too_big || rc == CURLE_FILESIZE_EXCEEDED) {
      return absl::InvalidArgumentError(absl::StrCat(
          "file at ", url, " is larger than ", options.max_bytes, " bytes"));
    }
    if (transfer.aborted) {
      return absl::CancelledError("download aborted by the receiver");
    }
    if (rc == CURLE_OPERATION_TIMEDOUT) return time_out();
    if (rc != CURLE_OK) {
      return absl::UnavailableError(absl::StrCat("cannot download ", current,
                                                 ": ", curl_easy_strerror(rc)));
    }
    if (status >= 300 && status < 400) {
      char* location = nullptr;
      curl_easy_getinfo(curl.get(), CURLINFO_REDIRECT_URL, &location);
      if (location == nullptr) {
        return absl::InvalidArgumentError(
            absl::StrCat(current, " redirected without a location"));
      }
      current = location;
      continue;
    }
    if (status >= 400 && status < 500 && !options.client_errors_are_answers) {
      return absl::InvalidArgumentError(
          absl::StrCat(current, " answered HTTP ", status));
    }
    if (status >= 500 || status < 200) {
      return absl::UnavailableError(
          absl::StrCat(current, " answered HTTP ", status));
    }
    FetchInfo info;
    info.final_url = current;
    info.bytes = transfer.received;
    info.http_status = static_cast<int>(status);
    char* content_type = nullptr;
    curl_easy_getinfo(curl.get(), CURLINFO_CONTENT_TYPE, &content_type);
    if (content_type != nullptr) info.content_type = content_type;
    return info;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("too many redirects fetching ", url));
}

absl::StatusOr<std::string> FetchToString(const std::string& url,
                                          const FetchOptions& options,
                                          FetchInfo* info) {
  std::string body;
  TTADS_ASSIGN_OR_RETURN(FetchInfo result,
                         Fetch(url, options, [&body](std::string_view chunk) {
                           body.append(chunk);
                           return true;
                         }));
  if (info != nullptr) *info = std::move(result);
  return body;
}

}  // namespace ttads::fetch
