#ifndef TTADS_LIBS_CONFIG_USAGE_H_
#define TTADS_LIBS_CONFIG_USAGE_H_

#include <string>
#include <string_view>

#include "libs/config/config.h"
#include "libs/config/flags_help.h"

// `--help` for every ttads binary: what the binary is, its command-line
// flags and every configuration key it reads, with default and meaning.
namespace ttads::config {

// The help text: `about` (one or more lines), "Usage: <program> [flags]",
// FlagsUsage(), and one entry per key of `schema`, in schema order:
//   TTADS_REDIS_POOL_SIZE (integer 1..256, default 8)
//       pooled Redis connections per process
// Secrets and required keys say so; a key without a default says "no
// default". An empty schema prints no configuration section.
std::string Usage(std::string_view program, std::string_view about,
                  const Schema& schema);

// When HelpRequested(), prints Usage() to stdout and exits 0; otherwise
// returns. Call it first in main(), before absl::ParseCommandLine.
void ExitWithHelpIfAsked(int argc, char** argv, std::string_view about,
                         const Schema& schema);

}  // namespace ttads::config

#endif  // TTADS_LIBS_CONFIG_USAGE_H_
