#include "tools/ttadsctl/ttadsctl_runner.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

extern char** environ;

namespace ttads::ttadsctl::testing {
namespace {

std::string ReadAll(int fd) {
  std::string data;
  char buf[4096];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    data.append(buf, static_cast<size_t>(n));
  }
  return data;
}

}  // namespace

TtadsctlProcess::TtadsctlProcess(
    const std::vector<std::string>& args,
    const std::map<std::string, std::string>& env) {
  std::vector<std::string> argv_storage = {TTADSCTL_PATH};
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<std::string> env_storage;
  for (char** e = environ; *e != nullptr; ++e) {
    if (std::string(*e).rfind("TTADS_", 0) != 0) env_storage.emplace_back(*e);
  }
  for (const auto& [name, value] : env)
    env_storage.push_back(name + "=" + value);
  std::vector<char*> argv, envp;
  for (std::string& a : argv_storage) argv.push_back(a.data());
  argv.push_back(nullptr);
  for (std::string& e : env_storage) envp.push_back(e.data());
  envp.push_back(nullptr);

  int out[2], err[2];
  if (pipe2(out, O_CLOEXEC) != 0) return;
  if (pipe2(err, O_CLOEXEC) != 0) {
    close(out[0]);
    close(out[1]);
    return;
  }
  pid_ = fork();
  if (pid_ == 0) {
    dup2(out[1], STDOUT_FILENO);
    dup2(err[1], STDERR_FILENO);
    execve(argv[0], argv.data(), envp.data());
    _exit(127);
  }
  close(out[1]);
  close(err[1]);
  out_fd_ = out[0];
  err_fd_ = err[0];
}

TtadsctlProcess::~TtadsctlProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    Wait();
  }
}

std::optional<std::string> TtadsctlProcess::ReadLine() {
  for (;;) {
    const size_t newline = buffered_.find('\n');
    if (newline != std::string::npos) {
      std::string line = buffered_.substr(0, newline);
      buffered_.erase(0, newline + 1);
      return line;
    }
    if (eof_ || out_fd_ < 0) return std::nullopt;
    char buf[4096];
    ssize_t n = read(out_fd_, buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      eof_ = true;
      continue;
    }
    buffered_.append(buf, static_cast<size_t>(n));
  }
}

void TtadsctlProcess::Signal(int signal) {
  if (pid_ > 0) kill(pid_, signal);
}

CtlResult TtadsctlProcess::Wait() {
  CtlResult r;
  if (pid_ <= 0) return r;
  // stderr is small; read stdout to its end first so the child never
  // blocks on a full pipe.
  r.out = buffered_ + (out_fd_ >= 0 ? ReadAll(out_fd_) : "");
  r.err = err_fd_ >= 0 ? ReadAll(err_fd_) : "";
  buffered_.clear();
  int status = 0;
  while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  pid_ = -1;
  if (out_fd_ >= 0) close(out_fd_);
  if (err_fd_ >= 0) close(err_fd_);
  out_fd_ = err_fd_ = -1;
  return r;
}

CtlResult RunTtadsctl(const std::vector<std::string>& args,
                      const std::map<std::string, std::string>& env) {
  return TtadsctlProcess(args, env).Wait();
}

}  // namespace ttads::ttadsctl::testing
