#ifndef TTADS_TOOLS_TTADSCTL_KEY_CLI_H_
#define TTADS_TOOLS_TTADSCTL_KEY_CLI_H_

#include <string>

#include "CLI/CLI.hpp"
#include "tools/ttadsctl/cli_output.h"
#include "tools/ttadsctl/team_admin.h"

// `ttadsctl key issue --team T --member M`, `key revoke [--team T] --key-id
// K`, `key rotate [--team T] --key-id K [--overlap 24h]`, `key list --team
// T` (key_commands.h: KeyIssue, KeyRevoke, KeyRotate, KeyList).
namespace ttads::ttadsctl {

class KeyCli {
 public:
  // Adds `key` and its subcommands to `app`. `app` keeps pointers into this
  // object: it must not move.
  explicit KeyCli(CLI::App& app);
  KeyCli(const KeyCli&) = delete;
  KeyCli& operator=(const KeyCli&) = delete;

  // The `key` command (it takes a subcommand).
  CLI::App* group() const { return key_; }
  bool parsed() const { return key_->parsed(); }

  // Runs the subcommand parsed and prints its result. An --overlap that is
  // not an absl duration is a usage error ("ttadsctl: --overlap: not a
  // duration: ...", kExitUsage), reported before the store is asked.
  int Run(TeamAdmin& teams, const Console& console) const;

 private:
  std::string team_id_;
  std::string member_id_;
  std::string key_id_;
  std::string overlap_ = "24h";
  CLI::App* key_;
  CLI::App* issue_;
  CLI::App* revoke_;
  CLI::App* rotate_;
  CLI::App* list_;
};

}  // namespace ttads::ttadsctl

#endif  // TTADS_TOOLS_TTADSCTL_KEY_CLI_H_
