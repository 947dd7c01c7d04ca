#ifndef TTADS_LIBS_STORE_SCRIPT_H_
#define TTADS_LIBS_STORE_SCRIPT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/store/redis.h"

namespace ttads::store {

// A Lua script run by its SHA-1 (EVALSHA), falling back to EVAL when the
// server does not know it yet (NOSCRIPT: first use, or after a restart or
// SCRIPT FLUSH); EVAL also caches it, so later runs send only the digest.
// Immutable after construction and safe to share between threads; define
// scripts as long-lived objects (e.g. function-local statics).
//
// On Redis Cluster all `keys` must share a hash tag (use one team's keys);
// Run enforces it on every server (the same slot for every key), so a
// script that would break on Cluster fails in every test.
class Script {
 public:
  explicit Script(std::string source);

  const std::string& source() const { return source_; }
  const std::string& sha1() const { return sha1_; }

  // Errors as RedisPool::Command: a Lua error is INTERNAL with Redis' text.
  // INTERNAL, before anything is sent, when `keys` span several hash
  // slots (a bug in the caller).
  absl::StatusOr<RedisReply> Run(RedisPool& pool,
                                 const std::vector<std::string>& keys,
                                 const std::vector<std::string>& args) const;

 private:
  std::string source_;
  std::string sha1_;
};

}  // namespace ttads::store

#endif  // TTADS_LIBS_STORE_SCRIPT_H_
