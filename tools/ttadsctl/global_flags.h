#ifndef TTADS_TOOLS_TTADSCTL_GLOBAL_FLAGS_H_
#define TTADS_TOOLS_TTADSCTL_GLOBAL_FLAGS_H_

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

// The flags of ttadsctl that come before the command: `--output`, the Redis
// flags (group "Redis": each overrides its TTADS_REDIS_* setting, see
// settings.h), the secret-file flags, and the API flags (group "API":
// --admin-address, --audience-address, --api-key-file, --api-timeout-ms,
// --redis-direct). A flag wins over its variable.
namespace ttads::ttadsctl {

class GlobalFlags {
 public:
  // Adds the flags to `app`, in the order --help lists them. `app` keeps
  // pointers into this object: it must not move.
  explicit GlobalFlags(CLI::App& app);
  GlobalFlags(const GlobalFlags&) = delete;
  GlobalFlags& operator=(const GlobalFlags&) = delete;

  // --output json.
  bool json() const { return output_ == "json"; }
  // --api-timeout-ms (default 10 s).
  absl::Duration api_timeout() const {
    return absl::Milliseconds(api_timeout_ms_);
  }
  // --redis-direct: team, member and key commands on Redis even when the
  // admin API is named.
  bool redis_direct() const { return redis_direct_; }

  // The settings overridden by the flags given (setting -> value): a flag's
  // value; for a file flag (--redis-password-file,
  // --redis-sentinel-password-file, --api-key-file) the file's first line
  // without its line ending; TTADS_REDIS_TLS=true with --redis-tls,
  // --redis-tls-ca-file or --redis-tls-cert-file. INVALID_ARGUMENT naming the
  // file when one cannot be read.
  absl::StatusOr<std::map<std::string, std::string>> Overrides() const;

 private:
  std::string output_ = "text";
  int api_timeout_ms_ = 10000;
  bool redis_direct_ = false;
  bool tls_ = false;
  std::map<std::string, std::string> flag_values_;  // setting -> value
  std::map<std::string, std::string> file_values_;  // setting -> path
  // The flags bound to flag_values_ (Redis, then API) and to file_values_.
  std::vector<std::pair<CLI::Option*, std::string>> value_options_;
  std::vector<std::pair<CLI::Option*, std::string>> file_options_;
  CLI::Option* tls_flag_ = nullptr;
};

}  // namespace ttads::ttadsctl

#endif  // TTADS_TOOLS_TTADSCTL_GLOBAL_FLAGS_H_
