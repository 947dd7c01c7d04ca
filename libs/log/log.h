#ifndef TTADS_LIBS_LOG_LOG_H_
#define TTADS_LIBS_LOG_LOG_H_

#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"

// Structured logs: one JSON object per line on stderr, e.g.
//   {"ts":"2026-01-02T03:04:05.678Z","level":"info","msg":"ad created",
//    "service":"ads","request_id":"r-1","ad_id":"123"}
// `ts` is UTC with milliseconds; `request_id` comes from the innermost
// ScopedRequestId on the calling thread (omitted when there is none), unless
// a field named "request_id" is passed explicitly. Likewise `trace_id` and
// `span_id` come from the calling thread's current span (trace::Current(),
// set by the server pipeline and the gateway around the work of a call), so
// every line written while serving a call names its W3C trace
// (docs/observability.md, "Tracing").
//
// Secrets never reach the output: wrap a value in log::Secret (printed as
// "[REDACTED]"), and register process-wide secrets (config secrets, Redis
// password, app secret) with RegisterSecret: every registered value is
// replaced by "[REDACTED]" wherever it occurs in a line (message, keys or
// values), as a backstop for values logged by mistake.
//
// Thread-safe; each line is written with a single write so lines from
// concurrent threads never interleave.
namespace ttads::log {

enum class Level { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

// "debug", "info", "warn" (or "warning"), "error".
absl::StatusOr<Level> ParseLevel(std::string_view name);
std::string_view LevelName(Level level);

// Sets the `service` field and the minimum level. Call once from main;
// before that, lines have no service and the level is info.
void Init(std::string service, Level level);
void SetLevel(Level level);
bool Enabled(Level level);

// Adds a value to the scrubber. Values shorter than 6 characters are ignored
// (scrubbing them would mangle ordinary text); secrets are longer.
void RegisterSecret(std::string_view value);

// Replaces where lines go (tests); nullptr restores stderr.
void SetSinkForTesting(std::function<void(std::string_view line)> sink);

// A value that must not be logged; serialized as "[REDACTED]".
struct Secret {
  std::string_view value;
};
void to_json(nlohmann::json& j, const Secret& secret);

// "[REDACTED]" for a non-empty value, "" for an empty one: log that a value
// was present without logging it.
std::string Redact(std::string_view value);

// Makes `request_id` the current request id of this thread until the scope
// ends (scopes nest; the previous id is restored). Create one at the top of
// every RPC handler, with the id taken from metadata or freshly minted.
class ScopedRequestId {
 public:
  explicit ScopedRequestId(std::string request_id);
  ~ScopedRequestId();
  ScopedRequestId(const ScopedRequestId&) = delete;
  ScopedRequestId& operator=(const ScopedRequestId&) = delete;

 private:
  std::string previous_;
};
// The innermost scope's id on this thread, or "".
const std::string& CurrentRequestId();

using Fields =
    std::initializer_list<std::pair<std::string_view, nlohmann::json>>;

void Log(Level level, std::string_view msg, Fields fields = {});
inline void Debug(std::string_view msg, Fields fields = {}) {
  Log(Level::kDebug, msg, fields);
}
inline void Info(std::string_view msg, Fields fields = {}) {
  Log(Level::kInfo, msg, fields);
}
inline void Warn(std::string_view msg, Fields fields = {}) {
  Log(Level::kWarn, msg, fields);
}
inline void Error(std::string_view msg, Fields fields = {}) {
  Log(Level::kError, msg, fields);
}

// Access logs (one line per gateway request and per RPC served): a failed
// request is always logged; a successful one with probability
// `percent`/100 (TTADS_ACCESS_LOG_SAMPLE_PERCENT, 0-100; 100 logs them
// all). Default 100.
void SetAccessLogSamplePercent(int percent);
int AccessLogSamplePercent();
// Whether to write the access line of a successful request: a random draw
// at the sample rate (no draw at 0 or 100). Cheap and thread-safe.
bool SampleAccess();

// The JSON text of a status for a field: {"status", StatusField(s)}.
std::string StatusField(const absl::Status& status);

}  // namespace ttads::log

#endif  // TTADS_LIBS_LOG_LOG_H_
