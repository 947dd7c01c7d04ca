#include "tools/ttadsctl/member_commands.h"

#include "libs/auth/team_store.h"
#include "libs/status/status_macros.h"

namespace ttads::ttadsctl {

absl::StatusOr<Output> MemberAdd(TeamAdmin& teams, const std::string& team_id,
                                 const std::string& name,
                                 const std::string& role) {
  TTADS_ASSIGN_OR_RETURN(auth::Role parsed, auth::ParseRole(role));
  TTADS_ASSIGN_OR_RETURN(auth::Member member,
                         teams.AddMember(team_id, name, parsed));
  return Output{
      .json = {{"member",
                {{"id", member.id},
                 {"team_id", member.team_id},
                 {"name", member.name},
                 {"role", std::string(auth::RoleName(member.role))}}}},
      .text = member.id + "\n"};
}

}  // namespace ttads::ttadsctl
