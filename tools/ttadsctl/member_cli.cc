#include "tools/ttadsctl/member_cli.h"

#include "absl/status/status.h"
#include "tools/ttadsctl/member_commands.h"

namespace ttads::ttadsctl {

MemberCli::MemberCli(CLI::App& app) {
  member_ = app.add_subcommand("member", "team members");
  member_->require_subcommand(1);
  add_ = member_->add_subcommand("add", "add a member; prints its id");
  add_->add_option("--team", team_id_, "team id")->required();
  add_->add_option("--name", name_, "member name")->required();
  add_->add_option("--role", role_, "role")
      ->required()
      ->check(CLI::IsMember({"admin", "owner", "manager", "mediabuyer"},
                            CLI::ignore_case));
}

int MemberCli::Run(TeamAdmin& teams, const Console& console) const {
  if (add_->parsed()) {
    return PrintOutput(console, MemberAdd(teams, team_id_, name_, role_));
  }
  return PrintFailure(console.err, absl::InternalError("no command ran"));
}

}  // namespace ttads::ttadsctl
