#ifndef TTADS_LIBS_HTTP_INTERNAL_ASCII_H_
#define TTADS_LIBS_HTTP_INTERNAL_ASCII_H_

#include <cstddef>
#include <string_view>

#include "absl/strings/ascii.h"

namespace ttads::http::internal {

// ASCII case-insensitive equality, for header names and tokens (bytes
// outside ASCII must match exactly).
inline bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (absl::ascii_tolower(static_cast<unsigned char>(a[i])) !=
        absl::ascii_tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

}  // namespace ttads::http::internal

#endif  // TTADS_LIBS_HTTP_INTERNAL_ASCII_H_
