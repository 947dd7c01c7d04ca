#include "tools/ttadsctl/demo_cli.h"

#include "libs/auth/team_store.h"
#include "tools/ttadsctl/demo_commands.h"
#include "tools/ttadsctl/team_cli.h"

namespace ttads::ttadsctl {

DemoCli::DemoCli(CLI::App& app) : tier_(auth::kTierStandard) {
  demo_ =
      app.add_subcommand("demo",
                         "create a demo team with one member per role; writes "
                         "DIR/demo-keys.env (0600), prints the owner key");
  demo_->add_option("--out-dir", out_dir_, "directory for demo-keys.env")
      ->required();
  demo_->add_option("--tier", tier_, "quota tier")
      ->check(CLI::IsMember(TierNames()))
      ->capture_default_str();
}

int DemoCli::Run(TeamAdmin& teams, const Console& console) const {
  return PrintOutput(console, Demo(teams, out_dir_, tier_));
}

}  // namespace ttads::ttadsctl
