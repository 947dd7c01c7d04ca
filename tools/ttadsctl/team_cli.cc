#include "tools/ttadsctl/team_cli.h"

#include "absl/status/status.h"
#include "libs/auth/team_store.h"
#include "tools/ttadsctl/team_commands.h"

namespace ttads::ttadsctl {

std::vector<std::string> TierNames() {
  return {std::string(auth::kTierFree), std::string(auth::kTierStandard),
          std::string(auth::kTierEnterprise)};
}

TeamCli::TeamCli(CLI::App& app) : tier_(auth::kTierStandard) {
  team_ = app.add_subcommand("team", "teams");
  team_->require_subcommand(1);
  create_ = team_->add_subcommand("create", "create a team; prints its id");
  create_->add_option("--name", name_, "team name, 1-100 characters")
      ->required();
  create_->add_option("--tier", tier_, "quota tier")
      ->check(CLI::IsMember(TierNames()))
      ->capture_default_str();
  create_->add_flag("--subscription", subscription_,
                    "the team's subscription is active");
  list_ = team_->add_subcommand("list", "every team, one per line");
  show_ = team_->add_subcommand(
      "show", "a team, its members and its TikTok connections");
  show_->add_option("--team", team_id_, "team id")->required();
}

int TeamCli::Run(TeamAdmin& teams, store::RedisPool* redis,
                 const Console& console) const {
  if (create_->parsed()) {
    return PrintOutput(console, TeamCreate(teams, name_, tier_, subscription_));
  }
  if (list_->parsed()) return PrintOutput(console, TeamList(teams));
  if (show_->parsed()) {
    return PrintOutput(console, TeamShow(teams, redis, team_id_));
  }
  return PrintFailure(console.err, absl::InternalError("no command ran"));
}

}  // namespace ttads::ttadsctl
