#ifndef TTADS_TOOLS_TTADSCTL_REENCRYPT_CLI_H_
#define TTADS_TOOLS_TTADSCTL_REENCRYPT_CLI_H_

#include "CLI/CLI.hpp"
#include "libs/crypto/key_ring.h"
#include "libs/store/redis.h"
#include "tools/ttadsctl/cli_output.h"

// `ttadsctl reencrypt [--apply | --dry-run]` (reencrypt_commands.h: Reencrypt):
// always on Redis, a dry run unless --apply.
namespace ttads::ttadsctl {

class ReencryptCli {
 public:
  // Adds `reencrypt` to `app`. `app` keeps pointers into this object: it
  // must not move.
  explicit ReencryptCli(CLI::App& app);
  ReencryptCli(const ReencryptCli&) = delete;
  ReencryptCli& operator=(const ReencryptCli&) = delete;

  bool parsed() const { return reencrypt_->parsed(); }

  // Runs the command with the token-encryption keys `keys` and prints its
  // result (kExitFailed when some token does not decrypt).
  int Run(store::RedisPool& redis, const crypto::KeyRing& keys,
          const Console& console) const;

 private:
  bool apply_ = false;
  bool dry_run_ = false;
  CLI::App* reencrypt_;
};

}  // namespace ttads::ttadsctl

#endif  // TTADS_TOOLS_TTADSCTL_REENCRYPT_CLI_H_
