#include "tools/ttadsctl/reencrypt_cli.h"

#include "tools/ttadsctl/reencrypt_commands.h"

namespace ttads::ttadsctl {

ReencryptCli::ReencryptCli(CLI::App& app) {
  reencrypt_ = app.add_subcommand(
      "reencrypt",
      "re-encrypt every stored TikTok token under the current "
      "token-encryption key (TTADS_TOKEN_KEY_CURRENT); a dry run that only "
      "counts unless --apply");
  CLI::Option* apply_flag =
      reencrypt_->add_flag("--apply", apply_, "write the re-encrypted tokens");
  reencrypt_->add_flag("--dry-run", dry_run_, "count only (the default)")
      ->excludes(apply_flag);
}

int ReencryptCli::Run(store::RedisPool& redis, const crypto::KeyRing& keys,
                      const Console& console) const {
  return PrintOutput(console, Reencrypt(redis, keys, apply_));
}

}  // namespace ttads::ttadsctl
