#include "tools/ttadsctl/settings.h"

#include <chrono>
#include <string>

#include "libs/config/common_settings.h"
#include "libs/status/status_macros.h"
#include "libs/store/redis_config.h"

namespace ttads::ttadsctl {
namespace {

constexpr char kTimeoutKey[] = "TTADS_REDIS_TIMEOUT_MS";
constexpr std::chrono::milliseconds kDefaultTimeout{3000};

config::Schema SettingsSchema() {
  config::Schema schema;
  config::AddRedisKeys(schema);
  config::AddTokenKeyKeys(schema);
  schema.Add(config::Key::GrpcTarget(kAdminApiAddressKey)
                 .Help("the admin API (identity's gRPC address)"));
  schema.Add(config::Key::GrpcTarget(kAudienceAddressKey)
                 .Help("the audience service's gRPC address"));
  schema.Add(config::Key::String(kApiKeyKey)
                 .Secret()
                 .Help("the API key ttadsctl calls the services with"));
  return schema;
}

}  // namespace

absl::StatusOr<config::Config> LoadSettings(
    const std::map<std::string, std::string>& environment,
    const std::map<std::string, std::string>& overrides) {
  std::map<std::string, std::string> merged;
  for (const auto& [name, value] : environment) {
    if (name.rfind("TTADS_", 0) == 0) merged[name] = value;
  }
  for (const auto& [name, value] : overrides) merged[name] = value;
  return config::Load(SettingsSchema(), "", merged);
}

absl::StatusOr<store::RedisOptions> RedisOptionsFor(
    const config::Config& settings) {
  TTADS_ASSIGN_OR_RETURN(
      store::RedisOptions options,
      store::RedisOptionsFrom(config::RedisSettingsFrom(settings)));
  options.pool_size = 1;
  if (settings.source(kTimeoutKey) == config::Config::Source::kDefault) {
    options.timeout = kDefaultTimeout;
  }
  return options;
}

absl::StatusOr<crypto::KeyRing> TokenKeysFor(const config::Config& settings) {
  return crypto::ParseKeyRing(settings.GetString("TTADS_TOKEN_ENCRYPTION_KEY"),
                              settings.GetString("TTADS_TOKEN_KEYS"),
                              settings.GetString("TTADS_TOKEN_KEY_CURRENT"));
}

absl::StatusOr<ApiConnection> ApiConnectionFor(const config::Config& settings,
                                               const char* address_key,
                                               const char* flag,
                                               absl::Duration timeout) {
  if (!settings.IsSet(address_key)) {
    return absl::InvalidArgumentError(std::string("no address: set ") + flag +
                                      " or " + address_key);
  }
  const std::string api_key = settings.GetString(kApiKeyKey);
  if (api_key.empty()) {
    return absl::InvalidArgumentError(
        "an API key is required: --api-key-file FILE or TTADS_API_KEY");
  }
  return ApiConnection{.address = settings.GetString(address_key),
                       .api_key = api_key,
                       .timeout = timeout};
}

}  // namespace ttads::ttadsctl
