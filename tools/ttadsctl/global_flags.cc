#include "tools/ttadsctl/global_flags.h"

#include <fstream>
#include <utility>

#include "absl/status/status.h"
#include "libs/status/status_macros.h"
#include "tools/ttadsctl/settings.h"

namespace ttads::ttadsctl {
namespace {

// A flag and the setting it overrides.
struct SettingFlag {
  const char* names;
  const char* key;
  const char* help;
};
constexpr SettingFlag kRedisFlags[] = {
    {"--redis,--redis-address", "TTADS_REDIS_ADDRESS",
     "Redis host:port (default 127.0.0.1:6390)"},
    {"--redis-username", "TTADS_REDIS_USERNAME", "Redis ACL user"},
    {"--redis-password", "TTADS_REDIS_PASSWORD",
     "Redis password (visible to other local users in the process list: "
     "prefer TTADS_REDIS_PASSWORD or --redis-password-file)"},
    {"--redis-timeout-ms", "TTADS_REDIS_TIMEOUT_MS",
     "connect/command timeout, milliseconds (default 3000)"},
    {"--redis-tls-ca-file", "TTADS_REDIS_TLS_CA_FILE",
     "PEM CA bundle for the server certificate (implies --redis-tls)"},
    {"--redis-tls-cert-file", "TTADS_REDIS_TLS_CERT_FILE",
     "PEM client certificate"},
    {"--redis-tls-key-file", "TTADS_REDIS_TLS_KEY_FILE",
     "PEM key of the client certificate"},
    {"--redis-tls-server-name", "TTADS_REDIS_TLS_SERVER_NAME",
     "SNI and verified name (default: the host)"},
    {"--redis-sentinel-master", "TTADS_REDIS_SENTINEL_MASTER",
     "Sentinel master name (with --redis-sentinels)"},
    {"--redis-sentinels", "TTADS_REDIS_SENTINELS",
     "comma-separated sentinel host:port list"},
    {"--redis-sentinel-password", "TTADS_REDIS_SENTINEL_PASSWORD",
     "sentinel password (prefer the variable or the -file flag)"},
};

// The services ttadsctl may call instead of Redis.
constexpr SettingFlag kApiFlags[] = {
    {"--admin-address", kAdminApiAddressKey,
     "gRPC address of the admin API (identity's, e.g. "
     "ttads-identity:50051): team, member and key commands use it"},
    {"--audience-address", kAudienceAddressKey,
     "gRPC address of the audience service (audience job commands)"},
};

// Secret flags read from a file (its first line).
constexpr SettingFlag kFileFlags[] = {
    {"--redis-password-file", "TTADS_REDIS_PASSWORD",
     "file holding the Redis password"},
    {"--redis-sentinel-password-file", "TTADS_REDIS_SENTINEL_PASSWORD",
     "file holding the sentinel password"},
};

absl::StatusOr<std::string> FirstLine(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::InvalidArgumentError("cannot read " + path);
  std::string line;
  std::getline(in, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

}  // namespace

GlobalFlags::GlobalFlags(CLI::App& app) {
  app.add_option("-o,--output", output_, "result format: text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  for (const SettingFlag& f : kRedisFlags) {
    value_options_.emplace_back(
        app.add_option(f.names, flag_values_[f.key], f.help)->group("Redis"),
        f.key);
  }
  for (const SettingFlag& f : kFileFlags) {
    file_options_.emplace_back(
        app.add_option(f.names, file_values_[f.key], f.help)
            ->group("Redis")
            ->check(CLI::ExistingFile),
        f.key);
  }
  CLI::Option* admin_address = nullptr;
  for (const SettingFlag& f : kApiFlags) {
    CLI::Option* option =
        app.add_option(f.names, flag_values_[f.key], f.help)->group("API");
    if (admin_address == nullptr) admin_address = option;
    value_options_.emplace_back(option, f.key);
  }
  file_options_.emplace_back(
      app.add_option("--api-key-file", file_values_[kApiKeyKey],
                     "file holding the API key (first line) for the admin "
                     "API and audience commands; or TTADS_API_KEY")
          ->group("API")
          ->check(CLI::ExistingFile),
      kApiKeyKey);
  app.add_option("--api-timeout-ms", api_timeout_ms_,
                 "deadline of each API call, milliseconds")
      ->group("API")
      ->check(CLI::Range(1, 600000))
      ->capture_default_str();
  app.add_flag("--redis-direct", redis_direct_,
               "team, member and key commands on Redis even when "
               "TTADS_ADMIN_API_ADDRESS is set (making the first admin)")
      ->group("API")
      ->excludes(admin_address);
  tls_flag_ = app.add_flag("--redis-tls", tls_,
                           "connect over TLS, verifying the server (system "
                           "trust store unless --redis-tls-ca-file)")
                  ->group("Redis");
}

absl::StatusOr<std::map<std::string, std::string>> GlobalFlags::Overrides()
    const {
  std::map<std::string, std::string> overrides;
  for (const auto& [option, setting] : value_options_) {
    if (option->count() > 0) overrides[setting] = flag_values_.at(setting);
  }
  for (const auto& [option, setting] : file_options_) {
    if (option->count() == 0) continue;
    TTADS_ASSIGN_OR_RETURN(std::string secret,
                           FirstLine(file_values_.at(setting)));
    overrides[setting] = std::move(secret);
  }
  if (tls_flag_->count() > 0 || overrides.count("TTADS_REDIS_TLS_CA_FILE") ||
      overrides.count("TTADS_REDIS_TLS_CERT_FILE")) {
    overrides["TTADS_REDIS_TLS"] = "true";
  }
  return overrides;
}

}  // namespace ttads::ttadsctl
