#ifndef TTADS_SERVICES_PREFLIGHT_OBJECTIVES_H_
#define TTADS_SERVICES_PREFLIGHT_OBJECTIVES_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

// What each TikTok campaign objective needs before an ad can launch
// (Wevion's publish preflight, docs/preflight.md):
//
//   identity   every objective (TT_USER / BC_AUTH_TT preferred,
//              CUSTOMIZED_USER as the identity service's policy allows)
//   pixel      WEB_CONVERSIONS, CONVERSIONS
//   catalog    PRODUCT_SALES, SHOP_PURCHASES, CATALOG_SALES
//   app        APP_PROMOTION, APP_INSTALL
//   leadForm   LEAD_GENERATION
//
// Every other objective type TikTok documents (REACH, TRAFFIC, VIDEO_VIEWS,
// ENGAGEMENT, RF_REACH, BRAND_CONSIDERATION) needs the identity only.
namespace ttads::preflight {

// The prerequisites, in the order responses list them.
enum class Prerequisite { kIdentity = 0, kPixel, kCatalog, kApp, kLeadForm };
inline constexpr int kPrerequisiteCount = 5;

// "identity", "pixel", "catalog", "app", "leadForm".
std::string_view PrerequisiteName(Prerequisite prerequisite);

// A set of prerequisites as a bit mask (bit i = Prerequisite(i)).
class PrerequisiteSet {
 public:
  constexpr PrerequisiteSet() = default;
  static constexpr PrerequisiteSet Of(std::initializer_list<Prerequisite> ps) {
    PrerequisiteSet s;
    for (Prerequisite p : ps) s.bits_ |= 1u << static_cast<int>(p);
    return s;
  }
  constexpr bool Has(Prerequisite p) const {
    return (bits_ >> static_cast<int>(p)) & 1u;
  }
  constexpr void Add(PrerequisiteSet other) { bits_ |= other.bits_; }
  constexpr bool operator==(const PrerequisiteSet&) const = default;

 private:
  unsigned bits_ = 0;
};

// The objective, upper-cased and validated, with its requirements.
struct Objective {
  std::string name;
  PrerequisiteSet needs;
};

// Parses an objective type (case-insensitive, surrounding spaces ignored).
// Errors: INVALID_ARGUMENT with a BadRequest violation on `field` whose
// message lists every valid objective (empty or unknown value).
absl::StatusOr<Objective> ParseObjective(std::string_view text,
                                         std::string_view field = "objective");

// Every valid objective type, in TikTok's documented order.
const std::vector<std::string>& ValidObjectives();

}  // namespace ttads::preflight

#endif  // TTADS_SERVICES_PREFLIGHT_OBJECTIVES_H_
