#ifndef TTADS_TOOLS_TTADSCTL_REENCRYPT_COMMANDS_H_
#define TTADS_TOOLS_TTADSCTL_REENCRYPT_COMMANDS_H_

#include "absl/status/statusor.h"
#include "libs/crypto/key_ring.h"
#include "libs/store/redis.h"
#include "tools/ttadsctl/command_output.h"

// The reencrypt command's logic (`reencrypt`, parsed by reencrypt_cli.h):
// always on Redis.
namespace ttads::ttadsctl {

// Moves stored TikTok tokens to keys.current_id()
// (connections::ReencryptTokens, whose report it prints); writes only when
// `apply`.
// {"applied","current_key","records","tokens","by_key":{id:n},
//  "already_current","reencrypted","pending","changed_meanwhile",
//  "failures":[...]} / the same as "name: value" lines, with
// "  key ID: N" under tokens and "  FAILURE" under failures.
// A dry run with tokens pending notes how to apply it. Tokens that do not
// decrypt set Output::failure (they are left as they are). Errors are
// ReencryptTokens' (Redis).
absl::StatusOr<Output> Reencrypt(store::RedisPool& redis,
                                 const crypto::KeyRing& keys, bool apply);

}  // namespace ttads::ttadsctl

#endif  // TTADS_TOOLS_TTADSCTL_REENCRYPT_COMMANDS_H_
