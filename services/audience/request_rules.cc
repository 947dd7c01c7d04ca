#include "services/audience/request_rules.h"

#include "absl/strings/str_cat.h"
#include "libs/crypto/random.h"
#include "libs/status/status.h"

namespace ttads::audience {

absl::StatusOr<std::string> CanonicalRegionOrError(const std::string& region) {
  std::string canonical = identifiers::CanonicalRegion(region);
  if (!region.empty() && canonical.empty()) {
    return status::InvalidArgument("invalid default_region",
                                   {{"default_region", kRegionRule}});
  }
  return canonical;
}

absl::StatusOr<IdType> IdTypeOfNumber(int number, std::string_view field) {
  if (number < 1 || number > identifiers::kIdTypeCount) {
    return status::InvalidArgument(
        "unknown identifier type",
        {{std::string(field), "must be EMAIL, PHONE, IDFA, GAID or MAID"}});
  }
  return static_cast<IdType>(number - 1);
}

identifiers::Normalizer NormalizerFor(const identifiers::Normalizer& base,
                                      const std::string& request_region,
                                      const AudienceRecord& audience) {
  if (!request_region.empty()) return base.WithRegion(request_region);
  if (!audience.default_region.empty()) {
    return base.WithRegion(audience.default_region);
  }
  return base;
}

std::string NewRecordId(absl::string_view prefix) {
  std::string token = crypto::RandomToken(12);
  for (char& c : token) {
    if (c == '-' || c == '_') c = 'x';
  }
  return absl::StrCat(prefix, token);
}

}  // namespace ttads::audience
