#ifndef TTADS_TOOLS_TTADSCTL_COMMANDS_H_
#define TTADS_TOOLS_TTADSCTL_COMMANDS_H_

#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "libs/auth/team_store.h"
#include "libs/store/redis.h"

// The operator commands of `ttadsctl`, independent of process setup so they
// can run in-process. Every command writes its result (ids, the key) to
// `out`, one item per line so scripts can capture it, and notes for humans
// to `err`. API keys appear only in the output of `key issue` and `demo`;
// tokens of TikTok connections are never printed.
namespace ttads::ttadsctl {

// A parsed command line: positional words ("team", "create") and --flags.
// Accepts `--flag=value`, `--flag value`, and bare boolean flags listed in
// `boolean_flags` (e.g. --subscription).
struct Args {
  std::vector<std::string> words;
  std::map<std::string, std::string> flags;
};
absl::StatusOr<Args> ParseArgs(const std::vector<std::string>& argv);

// The usage text.
std::string Usage();

// Runs the command in `args` (the --redis flag is the caller's business).
// INVALID_ARGUMENT for an unknown command or missing/unknown flag.
absl::Status Run(const Args& args, auth::TeamStore& teams,
                 store::RedisPool& redis, std::ostream& out, std::ostream& err);

}  // namespace ttads::ttadsctl

#endif  // TTADS_TOOLS_TTADSCTL_COMMANDS_H_
