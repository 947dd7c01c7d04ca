#include "libs/log/log.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <memory>
#include <mutex>
#include <random>
#include <shared_mutex>
#include <vector>

#include "libs/trace/trace_context.h"

namespace ttads::log {
namespace {

constexpr std::string_view kRedacted = "[REDACTED]";

struct State {
  std::shared_mutex mu;
  std::string service;
  std::vector<std::string> secrets;  // raw and JSON-escaped forms
  std::function<void(std::string_view)> sink;
  std::mutex write_mu;
};

State& GetState() {
  static State* state = new State();
  return *state;
}

std::atomic<int> g_level{static_cast<int>(Level::kInfo)};
std::atomic<int> g_access_sample_percent{100};

thread_local std::string t_request_id;

std::string Timestamp() {
  const auto now = std::chrono::system_clock::now();
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      now.time_since_epoch())
                      .count();
  const std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
  return buf;
}

void ReplaceAll(std::string& text, std::string_view from) {
  if (from.empty()) return;
  size_t pos = 0;
  while ((pos = text.find(from, pos)) != std::string::npos) {
    text.replace(pos, from.size(), kRedacted);
    pos += kRedacted.size();
  }
}

void WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n <= 0) return;
    data.remove_prefix(static_cast<size_t>(n));
  }
}

}  // namespace

absl::StatusOr<Level> ParseLevel(std::string_view name) {
  if (name == "debug") return Level::kDebug;
  if (name == "info") return Level::kInfo;
  if (name == "warn" || name == "warning") return Level::kWarn;
  if (name == "error") return Level::kError;
  return absl::InvalidArgumentError("unknown log level \"" + std::string(name) +
                                    "\" (debug, info, warn, error)");
}

std::string_view LevelName(Level level) {
  switch (level) {
    case Level::kDebug:
      return "debug";
    case Level::kInfo:
      return "info";
    case Level::kWarn:
      return "warn";
    case Level::kError:
      return "error";
  }
  return "info";
}

void Init(std::string service, Level level) {
  State& state = GetState();
  {
    std::unique_lock lock(state.mu);
    state.service = std::move(service);
  }
  SetLevel(level);
}

void SetLevel(Level level) { g_level.store(static_cast<int>(level)); }

bool Enabled(Level level) {
  return static_cast<int>(level) >= g_level.load(std::memory_order_relaxed);
}

void RegisterSecret(std::string_view value) {
  if (value.size() < 6) return;
  std::string escaped =
      nlohmann::json(std::string(value))
          .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  escaped = escaped.substr(1, escaped.size() - 2);  // strip quotes
  State& state = GetState();
  std::unique_lock lock(state.mu);
  for (const std::string& s : {std::string(value), escaped}) {
    bool known = false;
    for (const std::string& existing : state.secrets) known |= existing == s;
    if (!known) state.secrets.push_back(s);
  }
}

void SetSinkForTesting(std::function<void(std::string_view line)> sink) {
  State& state = GetState();
  std::unique_lock lock(state.mu);
  state.sink = std::move(sink);
}

void to_json(nlohmann::json& j, const Secret& secret) {
  j = Redact(secret.value);
}

std::string Redact(std::string_view value) {
  return value.empty() ? std::string() : std::string(kRedacted);
}

ScopedRequestId::ScopedRequestId(std::string request_id)
    : previous_(std::exchange(t_request_id, std::move(request_id))) {}

ScopedRequestId::~ScopedRequestId() { t_request_id = std::move(previous_); }

const std::string& CurrentRequestId() { return t_request_id; }

void Log(Level level, std::string_view msg, Fields fields) {
  if (!Enabled(level)) return;
  State& state = GetState();
  nlohmann::ordered_json line;
  line["ts"] = Timestamp();
  line["level"] = LevelName(level);
  line["msg"] = msg;
  std::shared_lock lock(state.mu);
  if (!state.service.empty()) line["service"] = state.service;
  if (!t_request_id.empty()) line["request_id"] = t_request_id;
  if (const trace::TraceContext* trace = trace::Current()) {
    line["trace_id"] = trace->trace_id_view();
    line["span_id"] = trace->span_id_view();
  }
  for (const auto& [key, value] : fields) {
    line[std::string(key)] = value;
  }
  std::string text =
      line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  for (const std::string& secret : state.secrets) ReplaceAll(text, secret);
  text.push_back('\n');
  if (state.sink) {
    state.sink(text);
    return;
  }
  std::lock_guard<std::mutex> write_lock(state.write_mu);
  WriteAll(STDERR_FILENO, text);
}

void SetAccessLogSamplePercent(int percent) {
  g_access_sample_percent.store(std::clamp(percent, 0, 100));
}

int AccessLogSamplePercent() { return g_access_sample_percent.load(); }

bool SampleAccess() {
  const int percent = g_access_sample_percent.load(std::memory_order_relaxed);
  if (percent >= 100) return true;
  if (percent <= 0) return false;
  thread_local std::minstd_rand rng{std::random_device{}()};
  return static_cast<int>(rng() % 100) < percent;
}

std::string StatusField(const absl::Status& status) {
  return status.ToString();
}

}  // namespace ttads::log
