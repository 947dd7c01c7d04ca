#ifndef TTADS_TOOLS_TTADSCTL_KEY_COMMANDS_H_
#define TTADS_TOOLS_TTADSCTL_KEY_COMMANDS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tools/ttadsctl/command_output.h"
#include "tools/ttadsctl/team_admin.h"

// The API-key commands' logic (`key issue|revoke|rotate|list`, parsed by
// key_cli.h), through a TeamAdmin: Redis directly or the admin API, with
// the same output. A key itself appears only in the results of KeyIssue and
// KeyRotate (it is shown once); the note on stderr names its id. Errors are
// the TeamAdmin's (NOT_FOUND for a key of another team, FAILED_PRECONDITION
// for a key rotated before, ...); a failed command changes nothing beyond
// what the store or the API documents.
namespace ttads::ttadsctl {

// A new key for the member. {"key_id","team_id","member_id","key"} /
// prints the key; note "key id: K (the key is shown only once)".
absl::StatusOr<Output> KeyIssue(TeamAdmin& teams, const std::string& team_id,
                                const std::string& member_id);

// Revokes the key. {"key_id","revoked": true} / nothing on stdout; note
// "revoked K". `team_id` may be empty on the Redis path.
absl::StatusOr<Output> KeyRevoke(TeamAdmin& teams, const std::string& team_id,
                                 const std::string& key_id);

// A new key for the key's member; the old key keeps working for `overlap`.
// {"key_id","team_id","member_id","key","previous_key_id",
//  "previous_expire_time"} / prints the new key; note "key id: K (the key
// is shown only once); OLD works until T".
absl::StatusOr<Output> KeyRotate(TeamAdmin& teams, const std::string& team_id,
                                 const std::string& key_id,
                                 absl::Duration overlap);

// The team's keys, oldest first, never the keys themselves.
// {"keys": [{"key_id","member_id","create_time","revoked","state",
// "expire_time"?,"successor_key_id"?}]} / one
// "key_id<TAB>member_id<TAB>create_time<TAB>state[<TAB>until T]" per line.
// state, as the admin API's ApiKeyState: revoked; expired or expiring (a
// rotated key past or within its overlap); else active.
absl::StatusOr<Output> KeyList(TeamAdmin& teams, const std::string& team_id);

}  // namespace ttads::ttadsctl

#endif  // TTADS_TOOLS_TTADSCTL_KEY_COMMANDS_H_
