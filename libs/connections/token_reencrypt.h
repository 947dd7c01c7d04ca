#ifndef TTADS_LIBS_CONNECTIONS_TOKEN_REENCRYPT_H_
#define TTADS_LIBS_CONNECTIONS_TOKEN_REENCRYPT_H_

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/crypto/key_ring.h"
#include "libs/store/redis.h"

// Moves every stored TikTok token to the key ring's current key
// (`ttadsctl reencrypt`, docs/operations.md): the access token of each
// advertiser connection (ttads:{team:T}:conn:C, field `token`) and the
// access and refresh tokens of each TikTok account connection
// (ttads:{team:T}:ttacct:C, fields `access`, `refresh`).
namespace ttads::connections {

// What a pass found and did. Counts are of token fields.
struct ReencryptReport {
  bool applied = false;                   // false: a dry run, nothing written
  std::string current_key;                // the id tokens are moved to
  int64_t records = 0;                    // connection hashes looked at
  int64_t tokens = 0;                     // token fields found
  std::map<std::string, int64_t> by_key;  // tokens per key id, as found
  int64_t already_current = 0;            // under the current key: left alone
  int64_t reencrypted = 0;                // rewritten under the current key
  int64_t pending = 0;                    // dry run: would be rewritten
  // Rewritten by a service between our read and write (a token refresh,
  // a revoke): left as the service wrote it.
  int64_t changed_meanwhile = 0;
  // Tokens that do not decrypt: "<redis key> <field>: <reason>" (never
  // token material). They are left untouched.
  std::vector<std::string> failures;
};

// Scans Redis for the records above (SCAN, never KEYS), decrypts every
// token not already under keys.current_id() (so a dry run proves each one
// can be moved) and, when `apply`, writes it back encrypted under the
// current key with a compare-and-set (a value changed meanwhile is not
// overwritten). Idempotent: a second pass finds everything current.
// Errors: the Redis error that stopped the scan (UNAVAILABLE, ...); tokens
// that fail to decrypt are reported in `failures`, not as an error.
// `before_write`, when set, runs between the read and the compare-and-set
// of each token (tests use it to play a concurrent writer).
absl::StatusOr<ReencryptReport> ReencryptTokens(
    store::RedisPool& redis, const crypto::KeyRing& keys, bool apply,
    const std::function<void(const std::string& key, const std::string& field)>&
        before_write = nullptr);

}  // namespace ttads::connections

#endif  // TTADS_LIBS_CONNECTIONS_TOKEN_REENCRYPT_H_
