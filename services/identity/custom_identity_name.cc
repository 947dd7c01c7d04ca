#include "services/identity/custom_identity_name.h"

#include "absl/strings/str_cat.h"
#include "libs/contracts/enum_names.h"
#include "libs/status/status.h"
#include "libs/store/key_schema.h"
#include "libs/text/utf8.h"

namespace ttads::identity {

absl::StatusOr<std::string> CustomIdentityName(const std::string& display_name,
                                               const std::string& image_uri,
                                               common::v1::IdentityType type) {
  if (type == common::v1::IDENTITY_TYPE_TT_USER ||
      type == common::v1::IDENTITY_TYPE_BC_AUTH_TT ||
      type == common::v1::IDENTITY_TYPE_AUTH_CODE ||
      type == common::v1::IDENTITY_TYPE_TTS_TT) {
    return status::InvalidArgument(
        absl::StrCat(contracts::ShortName(type),
                     " identities cannot be created through the API: they are "
                     "authorized from the TikTok app. Only CUSTOMIZED_USER can "
                     "be created."),
        {{"identity_type", "only CUSTOMIZED_USER can be created"}},
        "IDENTITY_TYPE_NOT_CREATABLE");
  }
  auto name = text::PrefixOfCodePoints(display_name, kMaxCustomIdentityName);
  if (!name.has_value()) {
    return status::InvalidArgument("display_name is not valid UTF-8",
                                   {{"display_name", "must be valid UTF-8"}});
  }
  if (name->find_first_not_of(" \t\r\n") == std::string::npos) {
    return status::InvalidArgument(
        "display_name is required",
        {{"display_name", "required, 1-40 characters"}});
  }
  if (!image_uri.empty() && !store::IsValidKeyId(image_uri)) {
    return status::InvalidArgument(
        "image_uri must be a TikTok image id from an image upload",
        {{"image_uri", "not a TikTok image id"}});
  }
  return std::string(*name);
}

}  // namespace ttads::identity
