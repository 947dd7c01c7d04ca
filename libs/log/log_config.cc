#include "libs/log/log_config.h"

#include "libs/log/log.h"

namespace ttads::log {

void InitFromConfig(std::string service, const config::Config& config) {
  for (const std::string& secret : config.SecretValues()) {
    RegisterSecret(secret);
  }
  Level level = Level::kInfo;
  if (config.Declares("TTADS_LOG_LEVEL") && config.IsSet("TTADS_LOG_LEVEL")) {
    level = ParseLevel(config.GetString("TTADS_LOG_LEVEL")).value_or(level);
  }
  Init(std::move(service), level);
}

}  // namespace ttads::log
