#ifndef TTADS_TOOLS_TTADSCTL_TTADSCTL_RUNNER_H_
#define TTADS_TOOLS_TTADSCTL_TTADSCTL_RUNNER_H_

#include <sys/types.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

// Test support: runs the real ttadsctl binary (TTADSCTL_PATH) as a child
// process with the test's TTADS_* variables only (the test process' own
// TTADS_* are not passed on), capturing stdout, stderr and the exit code.
namespace ttads::ttadsctl::testing {

struct CtlResult {
  int exit_code = -1;  // -1: did not exit normally
  std::string out;
  std::string err;
};

// Runs to completion.
CtlResult RunTtadsctl(const std::vector<std::string>& args,
                      const std::map<std::string, std::string>& env);

// A running ttadsctl whose stdout is read line by line (watch).
class TtadsctlProcess {
 public:
  TtadsctlProcess(const std::vector<std::string>& args,
                  const std::map<std::string, std::string>& env);
  ~TtadsctlProcess();
  TtadsctlProcess(const TtadsctlProcess&) = delete;
  TtadsctlProcess& operator=(const TtadsctlProcess&) = delete;

  // The next stdout line without its newline; nullopt at end of output.
  std::optional<std::string> ReadLine();
  // Sends `signal` to the child.
  void Signal(int signal);
  // Waits for the exit; `out` holds what ReadLine did not return.
  CtlResult Wait();

 private:
  pid_t pid_ = -1;
  int out_fd_ = -1;
  int err_fd_ = -1;
  std::string buffered_;
  bool eof_ = false;
};

}  // namespace ttads::ttadsctl::testing

#endif  // TTADS_TOOLS_TTADSCTL_TTADSCTL_RUNNER_H_
