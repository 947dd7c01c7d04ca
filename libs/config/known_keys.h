#ifndef TTADS_LIBS_CONFIG_KNOWN_KEYS_H_
#define TTADS_LIBS_CONFIG_KNOWN_KEYS_H_

#include <string>
#include <string_view>
#include <vector>

// Every TTADS_* name the ttads sources mention, so a binary can tell a key
// another ttads binary reads (legitimately present in a shared environment
// such as run/ttads.env or a Kubernetes ConfigMap) from a key no ttads
// binary reads (a typo, or a setting that was removed).
//
// The list is collected at build time (libs/config/collect_keys.cmake) from
// the C++ sources of libs/, services/ and tools/ and the scripts that start
// the binaries (scripts/, bench/, tests/, cmake/), test sources
// (*_test.cc) excepted, so a key is known as soon as some code names it.
namespace ttads::config {

// Sorted, distinct.
const std::vector<std::string>& KnownKeys();

// Whether `name` is in KnownKeys().
bool IsKnownKey(std::string_view name);

}  // namespace ttads::config

#endif  // TTADS_LIBS_CONFIG_KNOWN_KEYS_H_
