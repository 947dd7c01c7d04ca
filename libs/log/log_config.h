#ifndef TTADS_LIBS_LOG_LOG_CONFIG_H_
#define TTADS_LIBS_LOG_LOG_CONFIG_H_

#include <string>

#include "libs/config/common_settings.h"
#include "libs/config/config.h"

namespace ttads::log {

// Initialises logging for a binary from its typed log settings: sets the
// service name and level (TTADS_LOG_LEVEL; info if the level is not one
// ParseLevel knows), the access log's sample rate
// (TTADS_ACCESS_LOG_SAMPLE_PERCENT) and registers every secret value with the
// scrubber.
void InitFrom(std::string service, const config::LogSettings& settings);

// Logs each of the configuration's warnings (Config::warnings(), e.g. an
// environment variable no ttads binary reads) at warn level.
void LogWarnings(const config::Config& config);

// InitFrom() with the log settings of a Config whose schema holds
// TTADS_LOG_LEVEL (config::AddLogKeys, config::CommonServiceSchema), then
// LogWarnings().
void InitFromConfig(std::string service, const config::Config& config);

}  // namespace ttads::log

#endif  // TTADS_LIBS_LOG_LOG_CONFIG_H_
