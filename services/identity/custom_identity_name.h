#ifndef TTADS_SERVICES_IDENTITY_CUSTOM_IDENTITY_NAME_H_
#define TTADS_SERVICES_IDENTITY_CUSTOM_IDENTITY_NAME_H_

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"
#include "ttads/common/v1/common.pb.h"

namespace ttads::identity {

// TikTok's limit on a CUSTOMIZED_USER's display name, in characters (code
// points), per /identity/create/.
inline constexpr size_t kMaxCustomIdentityName = 40;

// The name a CUSTOMIZED_USER is created with: `display_name` cut to 40 code
// points (never inside a UTF-8 sequence). INVALID_ARGUMENT with field
// violations for an empty (or blank) or non-UTF-8 name, an `image_uri` that
// is not an image id, or a type other than CUSTOMIZED_USER (or unset): the
// others are authorized from the TikTok app (IDENTITY_TYPE_NOT_CREATABLE).
absl::StatusOr<std::string> CustomIdentityName(const std::string& display_name,
                                               const std::string& image_uri,
                                               common::v1::IdentityType type);

}  // namespace ttads::identity

#endif  // TTADS_SERVICES_IDENTITY_CUSTOM_IDENTITY_NAME_H_
