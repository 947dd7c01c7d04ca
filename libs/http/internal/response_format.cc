#include "libs/http/internal/response_format.h"

#include "absl/strings/str_cat.h"
#include "boost/beast/http/status.hpp"
#include "libs/http/internal/ascii.h"

namespace ttads::http::internal {

namespace bhttp = boost::beast::http;

std::string StatusLine(int status) {
  auto reason = bhttp::obsolete_reason(static_cast<bhttp::status>(status));
  return absl::StrCat(
      "HTTP/1.1 ", status, " ",
      reason.empty() ? "Unknown" : std::string(reason.data(), reason.size()),
      "\r\n");
}

bool IsManagedHeader(std::string_view name) {
  return EqualsIgnoreCase(name, "Content-Length") ||
         EqualsIgnoreCase(name, "Transfer-Encoding") ||
         EqualsIgnoreCase(name, "Connection");
}

std::string FormatResponse(const HttpResponse& response, bool keep_alive,
                           bool head_request) {
  std::string out = StatusLine(response.status);
  for (const auto& [k, v] : response.headers.entries()) {
    if (!IsManagedHeader(k)) absl::StrAppend(&out, k, ": ", v, "\r\n");
  }
  absl::StrAppend(&out, "Content-Length: ", response.body.size(), "\r\n");
  if (!keep_alive) out += "Connection: close\r\n";
  out += "\r\n";
  if (!head_request) out += response.body;
  return out;
}

std::string FormatChunkedHead(int status, const Headers& headers,
                              bool keep_alive) {
  std::string out = StatusLine(status);
  for (const auto& [k, v] : headers.entries()) {
    if (!IsManagedHeader(k)) absl::StrAppend(&out, k, ": ", v, "\r\n");
  }
  out += "Transfer-Encoding: chunked\r\n";
  if (!keep_alive) out += "Connection: close\r\n";
  out += "\r\n";
  return out;
}

std::string FormatChunk(std::string_view data) {
  std::string out = absl::StrCat(absl::Hex(data.size()), "\r\n");
  out += data;
  out += "\r\n";
  return out;
}

}  // namespace ttads::http::internal
