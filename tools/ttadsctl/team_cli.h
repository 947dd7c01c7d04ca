#ifndef TTADS_TOOLS_TTADSCTL_TEAM_CLI_H_
#define TTADS_TOOLS_TTADSCTL_TEAM_CLI_H_

#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "libs/store/redis.h"
#include "tools/ttadsctl/cli_output.h"
#include "tools/ttadsctl/team_admin.h"

// `ttadsctl team create --name N [--tier T] [--subscription]`,
// `team list`, `team show --team T` (team_commands.h: TeamCreate,
// TeamList, TeamShow).
namespace ttads::ttadsctl {

// The quota tiers a team can have: free, standard, enterprise.
std::vector<std::string> TierNames();

class TeamCli {
 public:
  // Adds `team` and its subcommands to `app`. `app` keeps pointers into this
  // object: it must not move.
  explicit TeamCli(CLI::App& app);
  TeamCli(const TeamCli&) = delete;
  TeamCli& operator=(const TeamCli&) = delete;

  // The `team` command (it takes a subcommand).
  CLI::App* group() const { return team_; }
  bool parsed() const { return team_->parsed(); }

  // Runs the subcommand parsed and prints its result. `redis` null (the
  // admin API): `team show` lists no connections.
  int Run(TeamAdmin& teams, store::RedisPool* redis,
          const Console& console) const;

 private:
  std::string name_;
  std::string tier_;
  std::string team_id_;
  bool subscription_ = false;
  CLI::App* team_;
  CLI::App* create_;
  CLI::App* list_;
  CLI::App* show_;
};

}  // namespace ttads::ttadsctl

#endif  // TTADS_TOOLS_TTADSCTL_TEAM_CLI_H_
