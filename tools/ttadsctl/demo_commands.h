#ifndef TTADS_TOOLS_TTADSCTL_DEMO_COMMANDS_H_
#define TTADS_TOOLS_TTADSCTL_DEMO_COMMANDS_H_

#include <string>

#include "absl/status/statusor.h"
#include "tools/ttadsctl/command_output.h"
#include "tools/ttadsctl/team_admin.h"

// The demo command's logic (`demo`, parsed by demo_cli.h), through a
// TeamAdmin: Redis directly or the admin API.
namespace ttads::ttadsctl {

// Creates "Demo Team" (`tier`, subscription active) with one member per
// role ("Demo Owner", "Demo Manager", "Demo Media Buyer"), issues each a
// key, and writes `out_dir`/demo-keys.env (created with the directory if
// needed, mode 0600, replaced whole) holding a comment line, then
// TTADS_DEMO_TEAM_ID, TTADS_DEMO_OWNER_KEY, TTADS_DEMO_MANAGER_KEY and
// TTADS_DEMO_MEDIABUYER_KEY as NAME=value lines. Each run makes another
// team. {"team_id","keys_file","owner_key"} / prints the owner key; note
// "demo team T; keys written to PATH".
// The TeamAdmin's errors; INVALID_ARGUMENT when `out_dir` cannot be
// created, INTERNAL when the file cannot be written (in both cases the
// team and its keys exist already).
absl::StatusOr<Output> Demo(TeamAdmin& teams, const std::string& out_dir,
                            const std::string& tier);

}  // namespace ttads::ttadsctl

#endif  // TTADS_TOOLS_TTADSCTL_DEMO_COMMANDS_H_
