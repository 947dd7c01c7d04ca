#include "tools/ttadsctl/reencrypt_commands.h"

#include <sstream>
#include <string>

#include "libs/connections/token_reencrypt.h"
#include "libs/status/status_macros.h"

namespace ttads::ttadsctl {

absl::StatusOr<Output> Reencrypt(store::RedisPool& redis,
                                 const crypto::KeyRing& keys, bool apply) {
  TTADS_ASSIGN_OR_RETURN(connections::ReencryptReport r,
                         connections::ReencryptTokens(redis, keys, apply));
  Output o;
  o.json = {{"applied", r.applied},
            {"current_key", r.current_key},
            {"records", r.records},
            {"tokens", r.tokens},
            {"by_key", r.by_key},
            {"already_current", r.already_current},
            {"reencrypted", r.reencrypted},
            {"pending", r.pending},
            {"changed_meanwhile", r.changed_meanwhile},
            {"failures", r.failures}};
  std::ostringstream text;
  text << "applied: " << (r.applied ? "true" : "false") << "\n"
       << "current_key: " << r.current_key << "\n"
       << "records: " << r.records << "\n"
       << "tokens: " << r.tokens << "\n";
  for (const auto& [id, n] : r.by_key)
    text << "  key " << id << ": " << n << "\n";
  text << "already_current: " << r.already_current << "\n"
       << "reencrypted: " << r.reencrypted << "\n"
       << "pending: " << r.pending << "\n"
       << "changed_meanwhile: " << r.changed_meanwhile << "\n"
       << "failures: " << r.failures.size() << "\n";
  for (const std::string& f : r.failures) text << "  " << f << "\n";
  o.text = text.str();
  if (!r.applied && r.pending > 0) {
    o.note = "dry run: nothing written; run again with --apply to move " +
             std::to_string(r.pending) + " token(s) to key \"" + r.current_key +
             "\"\n";
  }
  if (!r.failures.empty()) {
    o.failure = std::to_string(r.failures.size()) +
                " token(s) do not decrypt with the configured keys (listed "
                "above); they were left as they are";
  }
  return o;
}

}  // namespace ttads::ttadsctl
