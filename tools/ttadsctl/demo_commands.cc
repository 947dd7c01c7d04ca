#include "tools/ttadsctl/demo_commands.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <system_error>

#include "libs/auth/team_store.h"
#include "libs/status/status_macros.h"

namespace ttads::ttadsctl {

absl::StatusOr<Output> Demo(TeamAdmin& teams, const std::string& out_dir,
                            const std::string& tier) {
  TTADS_ASSIGN_OR_RETURN(
      auth::Team team,
      teams.CreateTeam("Demo Team", tier, /*subscription_active=*/true));
  struct Seat {
    auth::Role role;
    const char* name;
    const char* variable;
  };
  const Seat seats[] = {
      {auth::Role::kOwner, "Demo Owner", "TTADS_DEMO_OWNER_KEY"},
      {auth::Role::kManager, "Demo Manager", "TTADS_DEMO_MANAGER_KEY"},
      {auth::Role::kMediaBuyer, "Demo Media Buyer",
       "TTADS_DEMO_MEDIABUYER_KEY"},
  };
  std::string env =
      "# Written by `ttadsctl demo`: API keys of a demo team.\n"
      "TTADS_DEMO_TEAM_ID=" +
      team.id + "\n";
  std::string owner_key;
  for (const Seat& seat : seats) {
    TTADS_ASSIGN_OR_RETURN(auth::Member member,
                           teams.AddMember(team.id, seat.name, seat.role));
    TTADS_ASSIGN_OR_RETURN(auth::IssuedKey key,
                           teams.IssueApiKey(team.id, member.id));
    env += std::string(seat.variable) + "=" + key.plaintext + "\n";
    if (seat.role == auth::Role::kOwner) owner_key = key.plaintext;
  }

  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  if (ec) {
    return absl::InvalidArgumentError("cannot create " + out_dir + ": " +
                                      ec.message());
  }
  const std::string path =
      (std::filesystem::path(out_dir) / "demo-keys.env").string();
  const std::string tmp = path + ".tmp";
  {
    std::ofstream file(tmp, std::ios::trunc);
    chmod(tmp.c_str(), 0600);
    file << env;
    if (!file.flush()) return absl::InternalError("cannot write " + tmp);
  }
  std::filesystem::rename(tmp, path, ec);
  if (ec) return absl::InternalError("cannot write " + path);
  return Output{
      .json = {{"team_id", team.id},
               {"keys_file", path},
               {"owner_key", owner_key}},
      .text = owner_key + "\n",
      .note = "demo team " + team.id + "; keys written to " + path + "\n"};
}

}  // namespace ttads::ttadsctl
