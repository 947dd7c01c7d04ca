#include "libs/testing/redis_server.h"

#include <hiredis/hiredis.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <thread>
#include <vector>

#include "libs/status/status_macros.h"
#include "libs/testing/free_port.h"

namespace ttads::testing {
namespace {

using Clock = std::chrono::steady_clock;

std::string ReadLogTail(const std::string& dir) {
  std::ifstream in(dir + "/redis.log");
  std::stringstream ss;
  ss << in.rdbuf();
  std::string log = ss.str();
  if (log.size() > 2000) log = log.substr(log.size() - 2000);
  return log;
}

// What answers on 127.0.0.1:port: nullopt until something answers PING
// with PONG (after AUTH); then the process_id from its `INFO server`, or 0
// when it gives none (not a redis).
std::optional<pid_t> AnsweringPid(int port, const std::string& password) {
  timeval tv{0, 200 * 1000};
  redisContext* ctx = redisConnectWithTimeout("127.0.0.1", port, tv);
  if (ctx == nullptr) return std::nullopt;
  std::optional<pid_t> answer;
  if (ctx->err == 0) {
    redisSetTimeout(ctx, tv);
    bool authed = true;
    if (!password.empty()) {
      auto* auth = static_cast<redisReply*>(
          redisCommand(ctx, "AUTH %b", password.data(), password.size()));
      authed = auth != nullptr && auth->type == REDIS_REPLY_STATUS;
      if (auth != nullptr) freeReplyObject(auth);
    }
    if (authed) {
      auto* reply = static_cast<redisReply*>(redisCommand(ctx, "PING"));
      const bool pong = reply != nullptr && reply->type == REDIS_REPLY_STATUS &&
                        std::string(reply->str, reply->len) == "PONG";
      if (reply != nullptr) freeReplyObject(reply);
      if (pong) {
        answer = 0;
        auto* info = static_cast<redisReply*>(redisCommand(ctx, "INFO server"));
        if (info != nullptr && info->type == REDIS_REPLY_STRING) {
          const std::string text(info->str, info->len);
          const std::string key = "\nprocess_id:";
          const size_t at = text.find(key);
          if (at != std::string::npos) {
            answer = static_cast<pid_t>(
                std::strtol(text.c_str() + at + key.size(), nullptr, 10));
          }
        }
        if (info != nullptr) freeReplyObject(info);
      }
    }
  }
  redisFree(ctx);
  return answer;
}

// Waits for `pid` to exit; SIGKILLs it after `grace`.
void Reap(pid_t pid, std::chrono::milliseconds grace) {
  const auto deadline = Clock::now() + grace;
  while (true) {
    int status = 0;
    pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid || (r < 0 && errno != EINTR)) return;
    if (Clock::now() > deadline) {
      kill(pid, SIGKILL);
      while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
      }
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

}  // namespace

RedisServer::RedisServer(Options options, std::string dir, ReservedPort port,
                         std::optional<ReservedPort> tls_port)
    : options_(std::move(options)),
      dir_(std::move(dir)),
      port_reservation_(std::move(port)),
      tls_port_reservation_(std::move(tls_port)),
      port_(port_reservation_.port()),
      tls_port_(tls_port_reservation_.has_value()
                    ? tls_port_reservation_->port()
                    : 0) {}

absl::StatusOr<std::unique_ptr<RedisServer>> RedisServer::Start() {
  return Start(Options{});
}

absl::StatusOr<std::unique_ptr<RedisServer>> RedisServer::Start(
    const Options& options) {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = std::string(tmp != nullptr && *tmp ? tmp : "/tmp") +
                        "/ttads-redis-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) {
    return absl::InternalError("mkdtemp failed for " + pattern);
  }
  absl::Status last;
  // A process that binds with SO_REUSEADDR may still take a reserved port
  // before redis binds it; retry on fresh ports.
  for (int attempt = 0; attempt < 5; ++attempt) {
    TTADS_ASSIGN_OR_RETURN(ReservedPort port, ReservedPort::Reserve());
    std::optional<ReservedPort> tls_port;
    if (!options.tls_cert_file.empty()) {
      TTADS_ASSIGN_OR_RETURN(tls_port, ReservedPort::Reserve());
    }
    // A failed attempt's destructor removed the directory.
    std::filesystem::create_directories(pattern);
    std::unique_ptr<RedisServer> server(new RedisServer(
        options, pattern, std::move(port), std::move(tls_port)));
    last = server->Launch();
    if (last.ok()) return server;
  }
  std::filesystem::remove_all(pattern);
  return last;
}

RedisServer::~RedisServer() {
  Stop().IgnoreError();
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

std::string RedisServer::address() const {
  return "127.0.0.1:" + std::to_string(port_);
}

absl::Status RedisServer::Launch() {
  const bool sentinel = !options_.sentinel_config.empty();
  const std::string program = sentinel ? "redis-sentinel" : "redis-server";
  std::vector<std::string> args = {program};
  if (!options_.sentinel_config.empty()) {
    // A sentinel rewrites its config file, so it needs one of its own.
    const std::string conf = dir_ + "/sentinel.conf";
    if (!std::filesystem::exists(conf)) {
      std::ofstream(conf) << options_.sentinel_config;
    }
    args.push_back(conf);
  }
  args.insert(args.end(),
              {"--port", std::to_string(port_), "--bind", "127.0.0.1", "--dir",
               dir_, "--daemonize", "no", "--logfile", "redis.log"});
  if (options_.sentinel_config.empty()) {
    args.insert(args.end(), {"--appendonly", "yes", "--save", ""});
  }
  if (!options_.password.empty()) {
    args.push_back("--requirepass");
    args.push_back(options_.password);
  }
  if (tls_port_ != 0) {
    args.insert(
        args.end(),
        {"--tls-port", std::to_string(tls_port_), "--tls-cert-file",
         options_.tls_cert_file, "--tls-key-file", options_.tls_key_file,
         "--tls-auth-clients", options_.tls_auth_clients ? "yes" : "no"});
    if (!options_.tls_ca_file.empty()) {
      args.insert(args.end(), {"--tls-ca-cert-file", options_.tls_ca_file});
    }
  }
  args.insert(args.end(), options_.args.begin(), options_.args.end());
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  const pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) return absl::InternalError("fork failed");
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(1);
    execvp(program.c_str(), argv.data());
    execv(("/usr/bin/" + program).c_str(), argv.data());
    _exit(127);
  }
  pid_ = pid;

  const auto deadline = Clock::now() + std::chrono::seconds(15);
  while (Clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return absl::UnavailableError(
          program + " on " + address() + " exited at start (exit status " +
          std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) +
          "); log tail:\n" + ReadLogTail(dir_));
    }
    const std::optional<pid_t> answering =
        AnsweringPid(port_, options_.password);
    if (answering == pid_) return absl::OkStatus();
    if (answering.has_value()) {
      const pid_t ours = pid_;
      Kill().IgnoreError();
      return absl::FailedPreconditionError(
          address() + " is answered by another process (redis process_id " +
          std::to_string(*answering) + "), not the " + program +
          " this fixture started (pid " + std::to_string(ours) + ")");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  Stop().IgnoreError();
  return absl::DeadlineExceededError(
      program + " on " + address() +
      " did not answer PING within 15s; log tail:\n" + ReadLogTail(dir_));
}

absl::Status RedisServer::Stop() {
  if (pid_ <= 0) return absl::OkStatus();
  kill(pid_, SIGTERM);
  Reap(pid_, std::chrono::seconds(10));
  pid_ = -1;
  return absl::OkStatus();
}

absl::Status RedisServer::Kill() {
  if (pid_ <= 0) return absl::OkStatus();
  kill(pid_, SIGKILL);
  Reap(pid_, std::chrono::seconds(10));
  pid_ = -1;
  return absl::OkStatus();
}

absl::Status RedisServer::Restart() {
  TTADS_RETURN_IF_ERROR(Stop());
  return Launch();
}

}  // namespace ttads::testing
