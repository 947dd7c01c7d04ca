#ifndef TTADS_BENCH_LOAD_LOAD_GENERATOR_H_
#define TTADS_BENCH_LOAD_LOAD_GENERATOR_H_

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "bench/load/request_builder.h"

namespace ttads::load {

struct LoadOptions {
  // "host:port" of the server.
  std::string target;
  PreparedCall call;
  // Metadata sent with every call, e.g. {"authorization", "Bearer <key>"}.
  std::vector<std::pair<std::string, std::string>> metadata;
  // Closed loop: this many callers, each sending its next call as soon as
  // the previous one completes.
  int concurrency = 64;
  // Calls started during the warm-up are not measured.
  absl::Duration warmup = absl::Seconds(1);
  absl::Duration duration = absl::Seconds(10);
  // Per-call deadline.
  absl::Duration call_timeout = absl::Seconds(5);
  // TCP connections the callers are spread over (separate subchannels).
  int channels = 4;
};

struct LoadReport {
  std::string path;
  int concurrency = 0;
  absl::Duration measured;
  int64_t ok = 0;
  // Non-OK completions by gRPC status code name (e.g. "UNAVAILABLE").
  std::map<std::string, int64_t> errors;
  // First error message seen per code (diagnosis).
  std::map<std::string, std::string> error_samples;
  double throughput = 0;  // OK calls per second
  // Latency of OK calls.
  absl::Duration p50, p90, p99, max;

  int64_t error_count() const;
  // One human-readable line.
  std::string Summary() const;
  // Machine-readable form (one JSON object).
  std::string ToJson() const;
};

// A closed-loop gRPC load generator over the callback API: `concurrency`
// callers are state machines driven by gRPC's completion callbacks, so 64
// (or 6,400) callers need no thread each. Every completion's gRPC status code
// is checked: only OK calls count towards throughput and latency, other codes
// are counted separately (not just HTTP/2 success).
// Errors: INVALID_ARGUMENT for bad options.
absl::StatusOr<LoadReport> RunLoad(const LoadOptions& options);

}  // namespace ttads::load

#endif  // TTADS_BENCH_LOAD_LOAD_GENERATOR_H_
