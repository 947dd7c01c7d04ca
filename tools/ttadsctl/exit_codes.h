#ifndef TTADS_TOOLS_TTADSCTL_EXIT_CODES_H_
#define TTADS_TOOLS_TTADSCTL_EXIT_CODES_H_

// ttadsctl's exit codes (kExitInterrupted, 130, is in interrupt.h).
namespace ttads::ttadsctl {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;  // the operation failed (stderr says)
inline constexpr int kExitUsage = 2;   // bad command line or settings

}  // namespace ttads::ttadsctl

#endif  // TTADS_TOOLS_TTADSCTL_EXIT_CODES_H_
