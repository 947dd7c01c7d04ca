#include "tools/ttadsctl/command_output.h"

namespace ttads::ttadsctl {

std::string TimeText(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", t, absl::UTCTimeZone());
}

}  // namespace ttads::ttadsctl
