#ifndef TTADS_TOOLS_TTADSCTL_DEMO_CLI_H_
#define TTADS_TOOLS_TTADSCTL_DEMO_CLI_H_

#include <string>

#include "CLI/CLI.hpp"
#include "tools/ttadsctl/cli_output.h"
#include "tools/ttadsctl/team_admin.h"

// `ttadsctl demo --out-dir DIR [--tier T]` (demo_commands.h: Demo).
namespace ttads::ttadsctl {

class DemoCli {
 public:
  // Adds `demo` to `app`. `app` keeps pointers into this object: it must not
  // move.
  explicit DemoCli(CLI::App& app);
  DemoCli(const DemoCli&) = delete;
  DemoCli& operator=(const DemoCli&) = delete;

  bool parsed() const { return demo_->parsed(); }

  // Runs the command and prints its result.
  int Run(TeamAdmin& teams, const Console& console) const;

 private:
  std::string out_dir_;
  std::string tier_;
  CLI::App* demo_;
};

}  // namespace ttads::ttadsctl

#endif  // TTADS_TOOLS_TTADSCTL_DEMO_CLI_H_
