#ifndef TTADS_TOOLS_TTADSCTL_CLI_TESTING_H_
#define TTADS_TOOLS_TTADSCTL_CLI_TESTING_H_

#include <sstream>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "tools/ttadsctl/cli_output.h"

// Test-only helpers for the command line's parts (*_cli_test.cc).
namespace ttads::ttadsctl::testing {

// Parses `args` (without the program name) as `app`'s command line; throws
// CLI11's ParseError as App::parse does.
inline void Parse(CLI::App& app, const std::vector<std::string>& args) {
  std::vector<std::string> reversed(args.rbegin(), args.rend());
  app.parse(reversed);
}

// What a command printed on stdout and stderr.
struct Captured {
  std::ostringstream out;
  std::ostringstream err;
  Console console(bool json = false) {
    return {.out = out, .err = err, .json = json};
  }
};

}  // namespace ttads::ttadsctl::testing

#endif  // TTADS_TOOLS_TTADSCTL_CLI_TESTING_H_
