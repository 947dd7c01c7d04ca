#include "libs/log/log_config.h"

#include "libs/log/log.h"

namespace ttads::log {

void InitFrom(std::string service, const config::LogSettings& settings) {
  for (const std::string& secret : settings.secrets) RegisterSecret(secret);
  Init(std::move(service), ParseLevel(settings.level).value_or(Level::kInfo));
  SetAccessLogSamplePercent(settings.access_sample_percent);
}

void LogWarnings(const config::Config& config) {
  for (const std::string& warning : config.warnings()) {
    Warn("configuration", {{"warning", warning}});
  }
}

void InitFromConfig(std::string service, const config::Config& config) {
  InitFrom(std::move(service), config::LogSettingsFrom(config));
  LogWarnings(config);
}

}  // namespace ttads::log
