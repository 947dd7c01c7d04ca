#ifndef TTADS_TOOLS_TTADSCTL_COMMANDS_H_
#define TTADS_TOOLS_TTADSCTL_COMMANDS_H_

#include <string>

#include "absl/status/statusor.h"
#include "libs/auth/team_store.h"
#include "libs/crypto/key_ring.h"
#include "libs/store/redis.h"
#include "nlohmann/json.hpp"

// The operator commands of `ttadsctl`, independent of argument parsing and
// process setup so they run in-process. Each returns its result twice: as
// one JSON document (`--output json`, field names below are stable) and as
// text (one item per line so scripts can capture it). API keys appear only
// in the results of KeyIssue and Demo; tokens of TikTok connections are
// never returned.
//
// Errors are the stores' (INVALID_ARGUMENT for bad input, NOT_FOUND, ...);
// a failed command changes nothing beyond what the store documents.
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
absl::StatusOr<Output> TeamCreate(auth::TeamStore& teams,
                                  const std::string& name,
                                  const std::string& tier, bool subscription);
// {"teams": [Team]} / one "id tier subscribed|unsubscribed name" per line.
absl::StatusOr<Output> TeamList(auth::TeamStore& teams);
// {"team": Team, "members": [{"id","name","role"}], "connections":
// [{"id","member_id","state","advertiser_ids","create_time"}]}: the TikTok
// connections stored for the team, whitelisted fields only.
absl::StatusOr<Output> TeamShow(auth::TeamStore& teams, store::RedisPool& redis,
                                const std::string& team_id);
// {"member": {"id","team_id","name","role"}} / prints the member id.
absl::StatusOr<Output> MemberAdd(auth::TeamStore& teams,
                                 const std::string& team_id,
                                 const std::string& name,
                                 const std::string& role);
// {"key_id","team_id","member_id","key"} / prints the key (shown once).
absl::StatusOr<Output> KeyIssue(auth::TeamStore& teams,
                                const std::string& team_id,
                                const std::string& member_id);
// {"key_id","revoked": true} / nothing on stdout.
absl::StatusOr<Output> KeyRevoke(auth::TeamStore& teams,
                                 const std::string& key_id);
// {"keys": [{"key_id","member_id","create_time","revoked"}]} / one
// "key_id member_id create_time active|revoked" per line. Never keys.
absl::StatusOr<Output> KeyList(auth::TeamStore& teams,
                               const std::string& team_id);
// A demo team with one member per role; writes `out_dir`/demo-keys.env
// (0600) with their keys. {"team_id","keys_file","owner_key"} / prints the
// owner key.
absl::StatusOr<Output> Demo(auth::TeamStore& teams, const std::string& out_dir,
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
