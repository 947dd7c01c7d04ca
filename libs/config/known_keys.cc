#include "libs/config/known_keys.h"

#include <algorithm>

namespace ttads::config {

bool IsKnownKey(std::string_view name) {
  const std::vector<std::string>& keys = KnownKeys();
  return std::binary_search(
      keys.begin(), keys.end(), name,
      [](std::string_view a, std::string_view b) { return a < b; });
}

}  // namespace ttads::config
