#include "services/preflight/sources.h"

namespace ttads::preflight {

std::string_view AssetTypeName(AssetType type) {
  switch (type) {
    case AssetType::kPixel:
      return "pixel";
    case AssetType::kCatalog:
      return "catalog";
    case AssetType::kApp:
      return "app";
    case AssetType::kLeadForm:
      return "leadForm";
  }
  return "";
}

}  // namespace ttads::preflight
