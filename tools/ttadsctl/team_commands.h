#ifndef TTADS_TOOLS_TTADSCTL_TEAM_COMMANDS_H_
#define TTADS_TOOLS_TTADSCTL_TEAM_COMMANDS_H_

#include <string>

#include "absl/status/statusor.h"
#include "libs/store/redis.h"
#include "tools/ttadsctl/command_output.h"
#include "tools/ttadsctl/team_admin.h"

// The team commands' logic (`team create|list|show`, parsed by team_cli.h),
// through a TeamAdmin: Redis directly or the admin API, with the same
// output. Errors are the TeamAdmin's (INVALID_ARGUMENT for bad input,
// NOT_FOUND, PERMISSION_DENIED, ...) or, for connections, Redis'; a failed
// command changes nothing beyond what the store or the API documents.
//
// Team (JSON): {"id","name","tier","subscription_active","create_time"}
// (TimeText).
namespace ttads::ttadsctl {

// Creates a team. {"team": Team} / prints the team id.
absl::StatusOr<Output> TeamCreate(TeamAdmin& teams, const std::string& name,
                                  const std::string& tier, bool subscription);

// Every team, oldest first. {"teams": [Team]} / one
// "id<TAB>tier<TAB>subscribed|unsubscribed<TAB>name" per line.
absl::StatusOr<Output> TeamList(TeamAdmin& teams);

// A team, its members and its TikTok connections.
// {"team": Team, "members": [{"id","name","role"}], "connections":
// [{"id","member_id","state","advertiser_ids","create_time"}]} /
// "team:", "name:", "tier:", "subscription_active:", "create_time:" lines,
// "members: N" and "  id  role  name" per member, "connections: N" and
// "  id  member_id=..  state=..  advertiser_ids=..  create_time=.." per
// connection ("-" for a missing field).
// Connections are the hashes the identity service writes under
// ttads:{team:T}:conn:<id> (sub-keys such as conn:<id>:lock and keys that
// are no hash are skipped), sorted by id, with whitelisted fields only:
// tokens are never shown. In JSON, advertiser_ids is [] unless the stored
// value is a JSON array, and a create_time stored as unix milliseconds
// becomes TimeText (other values stay as they are). `redis` null (the admin
// API, which does not serve connections): no connections, in either form.
absl::StatusOr<Output> TeamShow(TeamAdmin& teams, store::RedisPool* redis,
                                const std::string& team_id);

}  // namespace ttads::ttadsctl

#endif  // TTADS_TOOLS_TTADSCTL_TEAM_COMMANDS_H_
