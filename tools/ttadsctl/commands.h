#ifndef TTADS_TOOLS_TTADSCTL_COMMANDS_H_
#define TTADS_TOOLS_TTADSCTL_COMMANDS_H_

#include <string>

#include "absl/status/statusor.h"
#include "libs/auth/team_store.h"
#include "libs/crypto/key_ring.h"
#include "libs/store/redis.h"
#include "nlohmann/json.hpp"
#include "tools/ttadsctl/team_admin.h"

// The operator commands of `ttadsctl`, independent of argument parsing and
// process setup so they run in-process. Each returns its result twice: as
// one JSON document (`--output json`, field names below are stable) and as
// text (one item per line so scripts can capture it). API keys appear only
// in the results of KeyIssue and Demo; tokens of TikTok connections are
// never returned.
//
// The team, member and key commands work through a TeamAdmin: Redis
// directly or the admin API (team_admin.h), with the same output.
// Errors are the store's or the server's (INVALID_ARGUMENT for bad input,
// NOT_FOUND, PERMISSION_DENIED, ...); a failed command changes nothing
// beyond what the store or the API documents.
namespace ttads::ttadsctl {

struct Output {
  nlohmann::json json;  // an object
  std::string text;     // for stdout, newline-terminated lines
  std::string note;     // for stderr, to a person (may be empty)
  // Non-empty: the command ran but did not fully succeed (the output is
  // still printed; the process exits 1 with this on stderr).
  std::string failure;
};

// {"team": Team} / prints the team id.
// Team: {"id","name","tier","subscription_active","create_time"} (RFC 3339).
absl::StatusOr<Output> TeamCreate(TeamAdmin& teams, const std::string& name,
                                  const std::string& tier, bool subscription);
// {"teams": [Team]} / one "id tier subscribed|unsubscribed name" per line.
absl::StatusOr<Output> TeamList(TeamAdmin& teams);
// {"team": Team, "members": [{"id","name","role"}], "connections":
// [{"id","member_id","state","advertiser_ids","create_time"}]}: the TikTok
// connections stored for the team, whitelisted fields only. `redis` null
// (the admin API, which does not serve connections): no "connections".
absl::StatusOr<Output> TeamShow(TeamAdmin& teams, store::RedisPool* redis,
                                const std::string& team_id);
// {"member": {"id","team_id","name","role"}} / prints the member id.
absl::StatusOr<Output> MemberAdd(TeamAdmin& teams, const std::string& team_id,
                                 const std::string& name,
                                 const std::string& role);
// {"key_id","team_id","member_id","key"} / prints the key (shown once).
absl::StatusOr<Output> KeyIssue(TeamAdmin& teams, const std::string& team_id,
                                const std::string& member_id);
// {"key_id","revoked": true} / nothing on stdout. `team_id` may be empty
// on the Redis path.
absl::StatusOr<Output> KeyRevoke(TeamAdmin& teams, const std::string& team_id,
                                 const std::string& key_id);
// A new key for the key's member; the old key keeps working for `overlap`.
// {"key_id","team_id","member_id","key","previous_key_id",
//  "previous_expire_time"} / prints the new key (shown once).
absl::StatusOr<Output> KeyRotate(TeamAdmin& teams, const std::string& team_id,
                                 const std::string& key_id,
                                 absl::Duration overlap);
// {"keys": [{"key_id","member_id","create_time","revoked","state",
// "expire_time"?,"successor_key_id"?}]} (state: active, expiring, expired,
// revoked) / one "key_id member_id create_time state [until T]" per line.
// Never keys.
absl::StatusOr<Output> KeyList(TeamAdmin& teams, const std::string& team_id);
// A demo team with one member per role; writes `out_dir`/demo-keys.env
// (0600) with their keys. {"team_id","keys_file","owner_key"} / prints the
// owner key.
absl::StatusOr<Output> Demo(TeamAdmin& teams, const std::string& out_dir,
                            const std::string& tier);
// Moves stored TikTok tokens to keys.current_id()
// (connections::ReencryptTokens); writes only when `apply`.
// {"applied","current_key","records","tokens","by_key":{id:n},
//  "already_current","reencrypted","pending","changed_meanwhile",
//  "failures":[...]} / the same as "name: value" lines. Tokens that do not
// decrypt set Output::failure.
absl::StatusOr<Output> Reencrypt(store::RedisPool& redis,
                                 const crypto::KeyRing& keys, bool apply);

}  // namespace ttads::ttadsctl

#endif  // TTADS_TOOLS_TTADSCTL_COMMANDS_H_
