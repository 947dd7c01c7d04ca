#ifndef TTADS_TOOLS_TTADSCTL_COMMAND_OUTPUT_H_
#define TTADS_TOOLS_TTADSCTL_COMMAND_OUTPUT_H_

#include <string>

#include "absl/time/time.h"
#include "nlohmann/json.hpp"

// What an operator command of `ttadsctl` answers (team_commands.h,
// member_commands.h, key_commands.h, demo_commands.h,
// reencrypt_commands.h), independent of argument parsing and process setup
// so the commands run in-process. Each returns its result twice: as one
// JSON document (`--output json`; the field names each command documents
// are stable) and as text (one item per line so scripts can capture it).
// cli_output.h prints it.
namespace ttads::ttadsctl {

struct Output {
  nlohmann::json json;  // an object
  std::string text;     // for stdout, newline-terminated lines
  std::string note;     // for stderr, to a person (may be empty)
  // Non-empty: the command ran but did not fully succeed (the output is
  // still printed; the process exits 1 with this on stderr).
  std::string failure;
};

// How every command writes a time: RFC 3339 in UTC to the second,
// "2026-01-01T00:00:00Z".
std::string TimeText(absl::Time t);

}  // namespace ttads::ttadsctl

#endif  // TTADS_TOOLS_TTADSCTL_COMMAND_OUTPUT_H_
