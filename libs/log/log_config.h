#ifndef TTADS_LIBS_LOG_LOG_CONFIG_H_
#define TTADS_LIBS_LOG_LOG_CONFIG_H_

#include <string>

#include "libs/config/config.h"

namespace ttads::log {

// Initialises logging for a binary from its loaded configuration: sets the
// service name and TTADS_LOG_LEVEL (info when the schema lacks it), and
// registers every secret value of the configuration with the scrubber.
void InitFromConfig(std::string service, const config::Config& config);

}  // namespace ttads::log

#endif  // TTADS_LIBS_LOG_LOG_CONFIG_H_
