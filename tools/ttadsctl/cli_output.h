#ifndef TTADS_TOOLS_TTADSCTL_CLI_OUTPUT_H_
#define TTADS_TOOLS_TTADSCTL_CLI_OUTPUT_H_

#include <ostream>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "tools/ttadsctl/command_output.h"
#include "tools/ttadsctl/exit_codes.h"

// How a command's outcome reaches the user: its result on stdout, in the
// --output format; messages to a person on stderr; the exit code.
namespace ttads::ttadsctl {

struct Console {
  std::ostream& out;
  std::ostream& err;
  bool json = false;  // --output json
};

// "ttadsctl: <message> (<CODE>[, <REASON>])" (the ErrorInfo reason when it
// differs from the code), then "  <field>: <description>" per BadRequest
// field violation: the store's or the server's words. Returns kExitUsage for
// INVALID_ARGUMENT, kExitFailed otherwise.
int PrintFailure(std::ostream& err, const absl::Status& status);

// A failed `result`: PrintFailure. Otherwise its JSON (indented by 2, one
// document) or its text on stdout, its note on stderr, and, when it has a
// failure, "ttadsctl: <failure>" on stderr and kExitFailed; else kExitOk.
int PrintOutput(const Console& console, const absl::StatusOr<Output>& result);

}  // namespace ttads::ttadsctl

#endif  // TTADS_TOOLS_TTADSCTL_CLI_OUTPUT_H_
