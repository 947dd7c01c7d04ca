#ifndef TTADS_LIBS_AUTH_INTERNAL_CHECKS_H_
#define TTADS_LIBS_AUTH_INTERNAL_CHECKS_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "libs/store/key_schema.h"

// Argument checks shared by the TeamStore implementations so both return
// the same codes for the same input.
namespace ttads::auth::internal {

// Names: 1-100 bytes, no control characters.
inline absl::Status CheckName(std::string_view field, std::string_view name) {
  if (name.empty() || name.size() > 100) {
    return absl::InvalidArgumentError(std::string(field) +
                                      " must be 1-100 characters");
  }
  for (char c : name) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return absl::InvalidArgumentError(std::string(field) +
                                        " must not contain control characters");
    }
  }
  return absl::OkStatus();
}

// Ids end up inside Redis keys; reject anything that is not id-shaped.
inline absl::Status CheckId(std::string_view field, std::string_view id) {
  if (!store::IsValidKeyId(id)) {
    return absl::InvalidArgumentError(std::string(field) + " is malformed");
  }
  return absl::OkStatus();
}

inline absl::Status Unauthenticated() {
  return absl::UnauthenticatedError("invalid or revoked API key");
}

}  // namespace ttads::auth::internal

#endif  // TTADS_LIBS_AUTH_INTERNAL_CHECKS_H_
