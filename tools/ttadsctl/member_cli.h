#ifndef TTADS_TOOLS_TTADSCTL_MEMBER_CLI_H_
#define TTADS_TOOLS_TTADSCTL_MEMBER_CLI_H_

#include <string>

#include "CLI/CLI.hpp"
#include "tools/ttadsctl/cli_output.h"
#include "tools/ttadsctl/team_admin.h"

// `ttadsctl member add --team T --name N --role R` (member_commands.h:
// MemberAdd);
// the role is admin, owner, manager or mediabuyer, in any case.
namespace ttads::ttadsctl {

class MemberCli {
 public:
  // Adds `member` and its subcommand to `app`. `app` keeps pointers into
  // this object: it must not move.
  explicit MemberCli(CLI::App& app);
  MemberCli(const MemberCli&) = delete;
  MemberCli& operator=(const MemberCli&) = delete;

  // The `member` command (it takes a subcommand).
  CLI::App* group() const { return member_; }
  bool parsed() const { return member_->parsed(); }

  // Runs the subcommand parsed and prints its result.
  int Run(TeamAdmin& teams, const Console& console) const;

 private:
  std::string team_id_;
  std::string name_;
  std::string role_;
  CLI::App* member_;
  CLI::App* add_;
};

}  // namespace ttads::ttadsctl

#endif  // TTADS_TOOLS_TTADSCTL_MEMBER_CLI_H_
