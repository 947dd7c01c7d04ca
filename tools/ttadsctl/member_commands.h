#ifndef TTADS_TOOLS_TTADSCTL_MEMBER_COMMANDS_H_
#define TTADS_TOOLS_TTADSCTL_MEMBER_COMMANDS_H_

#include <string>

#include "absl/status/statusor.h"
#include "tools/ttadsctl/command_output.h"
#include "tools/ttadsctl/team_admin.h"

// The member commands' logic (`member add`, parsed by member_cli.h), through
// a TeamAdmin: Redis directly or the admin API, with the same output.
namespace ttads::ttadsctl {

// Adds a member with `role` (admin, owner, manager or mediabuyer, in any
// case) to the team. {"member": {"id","team_id","name","role"}} (role in
// lower case) / prints the member id.
// INVALID_ARGUMENT for another role, before the TeamAdmin is asked; else
// the TeamAdmin's errors (NOT_FOUND for an unknown team, ...).
absl::StatusOr<Output> MemberAdd(TeamAdmin& teams, const std::string& team_id,
                                 const std::string& name,
                                 const std::string& role);

}  // namespace ttads::ttadsctl

#endif  // TTADS_TOOLS_TTADSCTL_MEMBER_COMMANDS_H_
