#ifndef TTADS_SERVICES_AUDIENCE_REQUEST_RULES_H_
#define TTADS_SERVICES_AUDIENCE_REQUEST_RULES_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "libs/identifiers/identifiers.h"
#include "services/audience/audience_store.h"

// The rules every audience request shares: how a region and an identifier
// type are read, which normaliser an upload hashes with, and how new
// audience and job ids are made.
namespace ttads::audience {

// The field-violation text of a bad `default_region`.
inline constexpr char kRegionRule[] =
    "must be empty or an ISO 3166-1 alpha-2 region code, e.g. GB or US";

// `region` in canonical form (upper case), "" for an empty one;
// INVALID_ARGUMENT with a violation on `default_region` for anything that is
// not an ISO 3166-1 alpha-2 code libphonenumber knows ("UK" included).
absl::StatusOr<std::string> CanonicalRegionOrError(const std::string& region);

// The identifier type of the contract's IdentifierType number (EMAIL = 1 …
// MAID = 5); INVALID_ARGUMENT with a violation on `field` for any other.
absl::StatusOr<IdType> IdTypeOfNumber(int number, std::string_view field);

// The normaliser an upload to `audience` hashes with: `request_region`
// (canonical, already checked) when given, else the audience's region,
// else `base` (the process-wide one).
identifiers::Normalizer NormalizerFor(const identifiers::Normalizer& base,
                                      const std::string& request_region,
                                      const AudienceRecord& audience);

// A new random id: `prefix` then 16 characters of [A-Za-z0-9] ("aud_…",
// "job_…").
std::string NewRecordId(absl::string_view prefix);

}  // namespace ttads::audience

#endif  // TTADS_SERVICES_AUDIENCE_REQUEST_RULES_H_
