#include "services/preflight/objectives.h"

#include <array>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "libs/status/status.h"

namespace ttads::preflight {
namespace {

using P = Prerequisite;

struct Row {
  const char* name;
  PrerequisiteSet needs;
};

constexpr PrerequisiteSet kIdentityOnly = PrerequisiteSet::Of({P::kIdentity});

// TikTok's objective types (current, then legacy), with what each needs.
constexpr std::array<Row, 14> kTable = {{
    {"REACH", kIdentityOnly},
    {"TRAFFIC", kIdentityOnly},
    {"VIDEO_VIEWS", kIdentityOnly},
    {"LEAD_GENERATION", PrerequisiteSet::Of({P::kIdentity, P::kLeadForm})},
    {"ENGAGEMENT", kIdentityOnly},
    {"APP_PROMOTION", PrerequisiteSet::Of({P::kIdentity, P::kApp})},
    {"WEB_CONVERSIONS", PrerequisiteSet::Of({P::kIdentity, P::kPixel})},
    {"PRODUCT_SALES", PrerequisiteSet::Of({P::kIdentity, P::kCatalog})},
    {"RF_REACH", kIdentityOnly},
    {"BRAND_CONSIDERATION", kIdentityOnly},
    {"CONVERSIONS", PrerequisiteSet::Of({P::kIdentity, P::kPixel})},
    {"APP_INSTALL", PrerequisiteSet::Of({P::kIdentity, P::kApp})},
    {"CATALOG_SALES", PrerequisiteSet::Of({P::kIdentity, P::kCatalog})},
    {"SHOP_PURCHASES", PrerequisiteSet::Of({P::kIdentity, P::kCatalog})},
}};

}  // namespace

std::string_view PrerequisiteName(Prerequisite prerequisite) {
  switch (prerequisite) {
    case P::kIdentity:
      return "identity";
    case P::kPixel:
      return "pixel";
    case P::kCatalog:
      return "catalog";
    case P::kApp:
      return "app";
    case P::kLeadForm:
      return "leadForm";
  }
  return "";
}

const std::vector<std::string>& ValidObjectives() {
  static const auto* names = [] {
    auto* v = new std::vector<std::string>();
    for (const Row& row : kTable) v->push_back(row.name);
    return v;
  }();
  return *names;
}

absl::StatusOr<Objective> ParseObjective(std::string_view text,
                                         std::string_view field) {
  std::string name = absl::AsciiStrToUpper(
      absl::StripAsciiWhitespace(absl::string_view(text.data(), text.size())));
  for (const Row& row : kTable) {
    if (name == row.name) return Objective{std::move(name), row.needs};
  }
  const std::string valid = absl::StrJoin(ValidObjectives(), ", ");
  std::string description =
      name.empty()
          ? absl::StrCat("required; one of: ", valid)
          : absl::StrCat("unknown objective \"", name, "\"; one of: ", valid);
  return status::InvalidArgument(
      absl::StrCat(std::string(field), ": ", description),
      {{std::string(field), description}}, "UNKNOWN_OBJECTIVE");
}

}  // namespace ttads::preflight
