#include "tools/ttadsctl/key_cli.h"

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "tools/ttadsctl/key_commands.h"

namespace ttads::ttadsctl {

KeyCli::KeyCli(CLI::App& app) {
  key_ = app.add_subcommand("key", "API keys");
  key_->require_subcommand(1);
  issue_ = key_->add_subcommand(
      "issue", "issue an API key for a member; prints it (shown once)");
  issue_->add_option("--team", team_id_, "team id")->required();
  issue_->add_option("--member", member_id_, "member id")->required();
  revoke_ = key_->add_subcommand("revoke", "revoke an API key");
  revoke_->add_option("--key-id", key_id_, "key id (key_...)")->required();
  revoke_->add_option("--team", team_id_,
                      "the key's team (required with the admin API)");
  rotate_ = key_->add_subcommand(
      "rotate",
      "replace an API key: prints a new key for the same member (shown "
      "once); the old one keeps working until the overlap ends");
  rotate_->add_option("--key-id", key_id_, "the key to replace")->required();
  rotate_->add_option("--team", team_id_,
                      "the key's team (required with the admin API)");
  rotate_
      ->add_option("--overlap", overlap_,
                   "how long the old key keeps working: 0s to 720h "
                   "(e.g. 90m, 24h, 0s)")
      ->capture_default_str();
  list_ = key_->add_subcommand("list", "a team's key ids (never the keys)");
  list_->add_option("--team", team_id_, "team id")->required();
}

int KeyCli::Run(TeamAdmin& teams, const Console& console) const {
  if (issue_->parsed()) {
    return PrintOutput(console, KeyIssue(teams, team_id_, member_id_));
  }
  if (revoke_->parsed()) {
    return PrintOutput(console, KeyRevoke(teams, team_id_, key_id_));
  }
  if (rotate_->parsed()) {
    absl::Duration overlap;
    if (!absl::ParseDuration(overlap_, &overlap)) {
      console.err << "ttadsctl: --overlap: not a duration: \"" << overlap_
                  << "\" (e.g. 90m, 24h, 0s)\n";
      return kExitUsage;
    }
    return PrintOutput(console, KeyRotate(teams, team_id_, key_id_, overlap));
  }
  if (list_->parsed()) return PrintOutput(console, KeyList(teams, team_id_));
  return PrintFailure(console.err, absl::InternalError("no command ran"));
}

}  // namespace ttads::ttadsctl
