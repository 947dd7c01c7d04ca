#include "tools/tiktok_sim/multipart.h"

#include <algorithm>
#include <cctype>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace ttads::tiktok_sim {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(c));
  return out;
}

std::string Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' ||
                        s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return std::string(s);
}

// Value of attribute `attr` (e.g. name="x") in a header value; quotes removed.
bool HeaderAttribute(std::string_view value, std::string_view attr,
                     std::string* out) {
  size_t pos = 0;
  while (pos < value.size()) {
    size_t semi = value.find(';', pos);
    std::string_view piece = value.substr(pos, semi == std::string_view::npos
                                                   ? std::string_view::npos
                                                   : semi - pos);
    pos = semi == std::string_view::npos ? value.size() : semi + 1;
    size_t eq = piece.find('=');
    if (eq == std::string_view::npos) continue;
    if (Lower(Trim(piece.substr(0, eq))) != attr) continue;
    std::string v = Trim(piece.substr(eq + 1));
    if (v.size() >= 2 && v.front() == '"' && v.back() == '"') {
      v = v.substr(1, v.size() - 2);
    }
    *out = v;
    return true;
  }
  return false;
}

}  // namespace

absl::StatusOr<std::string> MultipartBoundary(std::string_view content_type) {
  if (Lower(content_type).rfind("multipart/form-data", 0) != 0) {
    return absl::InvalidArgumentError("not multipart/form-data");
  }
  std::string boundary;
  if (!HeaderAttribute(content_type, "boundary", &boundary) ||
      boundary.empty()) {
    return absl::InvalidArgumentError("multipart boundary missing");
  }
  return boundary;
}

absl::StatusOr<std::vector<MultipartPart>> ParseMultipart(
    std::string_view body, std::string_view boundary) {
  const std::string delim = "--" + std::string(boundary);
  std::vector<MultipartPart> parts;
  size_t pos = body.find(delim);
  if (pos == std::string_view::npos) {
    return absl::InvalidArgumentError("multipart delimiter not found");
  }
  pos += delim.size();
  while (true) {
    if (body.substr(pos, 2) == "--") return parts;  // Closing delimiter.
    if (body.substr(pos, 2) != "\r\n") {
      return absl::InvalidArgumentError("malformed multipart delimiter line");
    }
    pos += 2;
    size_t header_end = body.find("\r\n\r\n", pos);
    if (header_end == std::string_view::npos) {
      return absl::InvalidArgumentError("multipart part without header end");
    }
    MultipartPart part;
    std::string_view headers = body.substr(pos, header_end - pos);
    size_t hpos = 0;
    while (hpos <= headers.size()) {
      size_t eol = headers.find("\r\n", hpos);
      std::string_view line = headers.substr(hpos, eol == std::string_view::npos
                                                       ? std::string_view::npos
                                                       : eol - hpos);
      hpos = eol == std::string_view::npos ? headers.size() + 1 : eol + 2;
      size_t colon = line.find(':');
      if (colon == std::string_view::npos) continue;
      std::string name = Lower(Trim(line.substr(0, colon)));
      std::string_view value = line.substr(colon + 1);
      if (name == "content-disposition") {
        HeaderAttribute(value, "name", &part.name);
        part.is_file = HeaderAttribute(value, "filename", &part.filename);
      } else if (name == "content-type") {
        part.content_type = Trim(value);
      }
    }
    if (part.name.empty()) {
      return absl::InvalidArgumentError("multipart part without a name");
    }
    size_t data_start = header_end + 4;
    size_t next = body.find(absl::StrCat("\r\n", delim), data_start);
    if (next == std::string_view::npos) {
      return absl::InvalidArgumentError("multipart closing delimiter missing");
    }
    part.data = std::string(body.substr(data_start, next - data_start));
    parts.push_back(std::move(part));
    pos = next + 2 + delim.size();
  }
}

}  // namespace ttads::tiktok_sim
