#ifndef TTADS_TOOLS_TTADSCTL_CLI_H_
#define TTADS_TOOLS_TTADSCTL_CLI_H_

#include <map>
#include <ostream>
#include <string>
#include <vector>

// The ttadsctl command line (CLI11): subcommands, `-h/--help` on each,
// `--version`, `--output text|json` and the Redis flags, then the command
// itself (tools/ttadsctl/commands.h) against the Redis the settings name
// (tools/ttadsctl/settings.h).
namespace ttads::ttadsctl {

// Exit codes.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;  // the operation failed (stderr says)
inline constexpr int kExitUsage = 2;   // bad command line or settings

// Runs one invocation: `args` without the program name, `environment` the
// process' variables (only TTADS_* are read). Writes results to `out` (in
// --output json: exactly one JSON document) and messages to `err`.
int RunCli(const std::vector<std::string>& args,
           const std::map<std::string, std::string>& environment,
           std::ostream& out, std::ostream& err);

// "ttadsctl <version>".
std::string VersionText();

}  // namespace ttads::ttadsctl

#endif  // TTADS_TOOLS_TTADSCTL_CLI_H_
