// ttads-load: closed-loop gRPC load generator for any unary method of the
// suite (and grpc.health.v1). See bench/README.md.
//
//   ttads-load --target=127.0.0.1:50052 --method=grpc.health.v1.Health/Check
//   ttads-load --target=127.0.0.1:50052 --key="$KEY" \
//     --method=ttads.preflight.v1.PreflightService/PublishCheck \
//     --data='{"objective":"TRAFFIC"}' --concurrency=64 --duration=10s
//
// Prints one summary line; with --json, one JSON object. Exit status 0 when
// the run completed (even with non-OK calls: they are counted and
// reported), 1 on bad options, 3 when --fail_on_errors and any call failed.
#include <iostream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "bench/load/load_generator.h"
#include "bench/load/request_builder.h"

ABSL_FLAG(std::string, target, "127.0.0.1:50052", "server host:port");
ABSL_FLAG(std::string, method, "grpc.health.v1.Health/Check",
          "full method name, e.g. ttads.preflight.v1.PreflightService/"
          "PublishCheck");
ABSL_FLAG(std::string, data, "{}", "request as proto3 JSON");
ABSL_FLAG(std::string, key, "",
          "API key sent as 'authorization: Bearer <key>'");
ABSL_FLAG(std::vector<std::string>, metadata, {},
          "extra metadata, comma-separated 'name:value' pairs");
ABSL_FLAG(int, concurrency, 64, "concurrent closed-loop callers");
ABSL_FLAG(absl::Duration, duration, absl::Seconds(10), "measured time");
ABSL_FLAG(absl::Duration, warmup, absl::Seconds(1), "unmeasured warm-up");
ABSL_FLAG(absl::Duration, timeout, absl::Seconds(5), "per-call deadline");
ABSL_FLAG(int, channels, 4, "TCP connections to spread callers over");
ABSL_FLAG(bool, json, false, "print a JSON object instead of a line");
ABSL_FLAG(bool, fail_on_errors, false, "exit 3 when any call was not OK");

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  auto call = ttads::load::PrepareCall(absl::GetFlag(FLAGS_method),
                                       absl::GetFlag(FLAGS_data));
  if (!call.ok()) {
    std::cerr << "ttads-load: " << call.status().message() << "\n";
    return 1;
  }
  ttads::load::LoadOptions options;
  options.target = absl::GetFlag(FLAGS_target);
  options.call = *std::move(call);
  options.concurrency = absl::GetFlag(FLAGS_concurrency);
  options.duration = absl::GetFlag(FLAGS_duration);
  options.warmup = absl::GetFlag(FLAGS_warmup);
  options.call_timeout = absl::GetFlag(FLAGS_timeout);
  options.channels = absl::GetFlag(FLAGS_channels);
  if (!absl::GetFlag(FLAGS_key).empty()) {
    options.metadata.emplace_back("authorization",
                                  "Bearer " + absl::GetFlag(FLAGS_key));
  }
  for (const std::string& pair : absl::GetFlag(FLAGS_metadata)) {
    std::vector<std::string> kv = absl::StrSplit(pair, absl::MaxSplits(':', 1));
    if (kv.size() != 2) {
      std::cerr << "ttads-load: --metadata wants name:value, got " << pair
                << "\n";
      return 1;
    }
    options.metadata.emplace_back(
        absl::AsciiStrToLower(absl::StripAsciiWhitespace(kv[0])),
        std::string(absl::StripAsciiWhitespace(kv[1])));
  }
  auto report = ttads::load::RunLoad(options);
  if (!report.ok()) {
    std::cerr << "ttads-load: " << report.status().message() << "\n";
    return 1;
  }
  std::cout << (absl::GetFlag(FLAGS_json) ? report->ToJson()
                                          : report->Summary())
            << std::endl;
  for (const auto& [code, message] : report->error_samples) {
    std::cerr << "ttads-load: " << code << " e.g.: " << message << "\n";
  }
  if (absl::GetFlag(FLAGS_fail_on_errors) && report->error_count() > 0) {
    return 3;
  }
  return 0;
}
