#ifndef TTADS_LIBS_CONFIG_SUGGEST_H_
#define TTADS_LIBS_CONFIG_SUGGEST_H_

#include <string>
#include <string_view>
#include <vector>

namespace ttads::config {

// The number of single-character insertions, deletions and substitutions
// that turn `a` into `b` (Levenshtein distance).
size_t EditDistance(std::string_view a, std::string_view b);

// The candidate closest to `name` by EditDistance, when it is close enough
// to be a misspelling: at most 2 edits, or a fifth of `name`'s length for
// long names. Ties go to the first candidate. "" when none is close.
std::string ClosestName(std::string_view name,
                        const std::vector<std::string>& candidates);

}  // namespace ttads::config

#endif  // TTADS_LIBS_CONFIG_SUGGEST_H_
