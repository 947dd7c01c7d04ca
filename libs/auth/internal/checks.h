#ifndef TTADS_LIBS_AUTH_INTERNAL_CHECKS_H_
#define TTADS_LIBS_AUTH_INTERNAL_CHECKS_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/time/time.h"
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

// RotateApiKey's overlap: 0..kMaxRotationOverlap.
inline absl::Status CheckOverlap(absl::Duration overlap,
                                 absl::Duration max_overlap) {
  if (overlap < absl::ZeroDuration() || overlap > max_overlap) {
    return absl::InvalidArgumentError("overlap must be between 0s and " +
                                      absl::FormatDuration(max_overlap));
  }
  return absl::OkStatus();
}

// Why a key cannot be rotated at `now`, or OK.
template <typename Info>
absl::Status CheckRotatable(const Info& key, absl::Time now) {
  if (key.revoked) {
    return absl::FailedPreconditionError("API key " + key.key_id +
                                         " is revoked");
  }
  if (key.expire_time.has_value() && *key.expire_time <= now) {
    return absl::FailedPreconditionError("API key " + key.key_id +
                                         " has expired");
  }
  if (!key.successor_key_id.empty()) {
    return absl::FailedPreconditionError("API key " + key.key_id +
                                         " was already rotated; rotate " +
                                         key.successor_key_id + " instead");
  }
  return absl::OkStatus();
}

// Times are kept to the microsecond (what Redis stores).
inline absl::Time Truncated(absl::Time t) {
  return absl::FromUnixMicros(absl::ToUnixMicros(t));
}

inline absl::Status Unauthenticated() {
  return absl::UnauthenticatedError("invalid or revoked API key");
}

}  // namespace ttads::auth::internal

#endif  // TTADS_LIBS_AUTH_INTERNAL_CHECKS_H_
