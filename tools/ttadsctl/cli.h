#ifndef TTADS_TOOLS_TTADSCTL_CLI_H_
#define TTADS_TOOLS_TTADSCTL_CLI_H_

#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "tools/ttadsctl/exit_codes.h"  // IWYU pragma: export

// The ttadsctl command line (CLI11): the command table (global_flags.h and
// one *_cli.h per command group, its logic in the group's *_commands.h or,
// for audience, audience_jobs.h), `-h/--help` on each, `--version`; then the
// settings (settings.h), the connection the command needs (Redis, the admin
// API or the audience service) and the command itself, printed by
// cli_output.h. Exit codes: exit_codes.h and kExitInterrupted (interrupt.h).
namespace ttads::ttadsctl {

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
