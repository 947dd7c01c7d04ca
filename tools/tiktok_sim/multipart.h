#ifndef TTADS_TOOLS_TIKTOK_SIM_MULTIPART_H_
#define TTADS_TOOLS_TIKTOK_SIM_MULTIPART_H_

// A multipart/form-data (RFC 7578) body parser, enough for TikTok uploads:
// each part's name, optional filename, content type and raw bytes.

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace ttads::tiktok_sim {

struct MultipartPart {
  std::string name;
  std::string filename;  // Empty for plain fields.
  bool is_file = false;  // True when the part carried a filename attribute.
  std::string content_type;
  std::string data;
};

// Extracts the boundary from a Content-Type header value such as
// `multipart/form-data; boundary="abc"`. INVALID_ARGUMENT if it is not
// multipart or has no boundary.
absl::StatusOr<std::string> MultipartBoundary(std::string_view content_type);

// Parses `body`. INVALID_ARGUMENT for a missing closing delimiter, a part
// without a blank line after its headers, or a part without a name.
absl::StatusOr<std::vector<MultipartPart>> ParseMultipart(
    std::string_view body, std::string_view boundary);

}  // namespace ttads::tiktok_sim

#endif  // TTADS_TOOLS_TIKTOK_SIM_MULTIPART_H_
