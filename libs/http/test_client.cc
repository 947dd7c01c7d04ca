#include "libs/http/test_client.h"

#include <curl/curl.h>

#include "absl/strings/ascii.h"
#include "absl/strings/strip.h"

namespace ttads::http {
namespace {

size_t OnBody(char* data, size_t size, size_t n, void* user) {
  auto* r = static_cast<TestClient::Result*>(user);
  r->body.append(data, size * n);
  r->body_pieces.emplace_back(data, size * n);
  return size * n;
}

size_t OnHeader(char* data, size_t size, size_t n, void* user) {
  auto* r = static_cast<TestClient::Result*>(user);
  std::string_view line(data, size * n);
  if (line.substr(0, 5) == "HTTP/") {
    r->headers.clear();  // A new response (e.g. after 100 Continue).
    return size * n;
  }
  size_t colon = line.find(':');
  if (colon != std::string_view::npos) {
    std::string name =
        absl::AsciiStrToLower(std::string(line.substr(0, colon)));
    std::string value(
        absl::StripAsciiWhitespace(std::string(line.substr(colon + 1))));
    r->headers.emplace(std::move(name), std::move(value));
  }
  return size * n;
}

struct GlobalInit {
  GlobalInit() { curl_global_init(CURL_GLOBAL_DEFAULT); }
};

}  // namespace

std::string TestClient::Result::Header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? std::string() : it->second;
}

TestClient::TestClient() {
  static GlobalInit init;
  curl_ = curl_easy_init();
}

TestClient::~TestClient() { curl_easy_cleanup(static_cast<CURL*>(curl_)); }

namespace {

TestClient::Result Perform(CURL* c, const std::string& url,
                           const std::vector<std::string>& headers,
                           long timeout_ms, curl_slist** list) {
  TestClient::Result r;
  for (const auto& h : headers) *list = curl_slist_append(*list, h.c_str());
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, *list);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &r);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &r);
  char err[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, err);
  CURLcode code = curl_easy_perform(c);
  r.curl_code = static_cast<int>(code);
  if (code != CURLE_OK) r.curl_error = err[0] ? err : curl_easy_strerror(code);
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  r.status = static_cast<int>(status);
  long connects = 0;
  curl_easy_getinfo(c, CURLINFO_NUM_CONNECTS, &connects);
  r.new_connections = connects;
  return r;
}

}  // namespace

TestClient::Result TestClient::Request(const std::string& method,
                                       const std::string& url,
                                       const std::vector<std::string>& headers,
                                       const std::string& body,
                                       long timeout_ms) {
  CURL* c = static_cast<CURL*>(curl_);
  curl_easy_reset(c);
  if (method == "GET") {
    curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
  } else if (method == "HEAD") {
    curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
  } else {
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method.c_str());
  }
  if (!body.empty() || method == "POST" || method == "PUT" ||
      method == "PATCH") {
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(body.size()));
  }
  curl_slist* list = nullptr;
  Result r = Perform(c, url, headers, timeout_ms, &list);
  curl_slist_free_all(list);
  return r;
}

TestClient::Result TestClient::PostMultipart(
    const std::string& url, const std::vector<Part>& parts,
    const std::vector<std::string>& headers, long timeout_ms) {
  CURL* c = static_cast<CURL*>(curl_);
  curl_easy_reset(c);
  curl_mime* mime = curl_mime_init(c);
  for (const auto& p : parts) {
    curl_mimepart* part = curl_mime_addpart(mime);
    curl_mime_name(part, p.name.c_str());
    curl_mime_data(part, p.value.data(), p.value.size());
    if (p.filename) curl_mime_filename(part, p.filename->c_str());
    if (!p.content_type.empty()) curl_mime_type(part, p.content_type.c_str());
  }
  curl_easy_setopt(c, CURLOPT_MIMEPOST, mime);
  curl_slist* list = nullptr;
  Result r = Perform(c, url, headers, timeout_ms, &list);
  curl_slist_free_all(list);
  curl_mime_free(mime);
  return r;
}

}  // namespace ttads::http
