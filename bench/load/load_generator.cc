#include "bench/load/load_generator.h"

#include <algorithm>
#include <atomic>
#include <memory>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/channel_arguments.h"
#include "nlohmann/json.hpp"

namespace ttads::load {
namespace {

std::string CodeName(grpc::StatusCode code) {
  static const char* kNames[] = {"OK",
                                 "CANCELLED",
                                 "UNKNOWN",
                                 "INVALID_ARGUMENT",
                                 "DEADLINE_EXCEEDED",
                                 "NOT_FOUND",
                                 "ALREADY_EXISTS",
                                 "PERMISSION_DENIED",
                                 "RESOURCE_EXHAUSTED",
                                 "FAILED_PRECONDITION",
                                 "ABORTED",
                                 "OUT_OF_RANGE",
                                 "UNIMPLEMENTED",
                                 "INTERNAL",
                                 "UNAVAILABLE",
                                 "DATA_LOSS",
                                 "UNAUTHENTICATED"};
  int i = static_cast<int>(code);
  return i >= 0 && i <= 16 ? kNames[i] : absl::StrCat("CODE_", i);
}

class Run;

// One closed-loop caller: starts a call, and from its completion callback
// records the outcome and starts the next one until the run ends.
class Caller {
 public:
  Caller(Run* run, grpc::GenericStub* stub) : run_(run), stub_(stub) {}
  void Start();

  std::vector<uint32_t> latencies_us;  // OK calls in the measured window
  int64_t ok = 0;
  std::map<grpc::StatusCode, int64_t> errors;
  std::map<grpc::StatusCode, std::string> samples;

 private:
  void OnDone(const grpc::Status& status);

  Run* run_;
  grpc::GenericStub* stub_;
  std::unique_ptr<grpc::ClientContext> context_;
  grpc::ByteBuffer request_;
  grpc::ByteBuffer response_;
  absl::Time started_;
};

class Run {
 public:
  explicit Run(const LoadOptions& options) : options_(options) {
    grpc::Slice slice(options.call.request_bytes);
    request_ = grpc::ByteBuffer(&slice, 1);
  }

  LoadReport Execute() {
    const int channels = std::max(1, options_.channels);
    for (int i = 0; i < channels; ++i) {
      grpc::ChannelArguments args;
      // Separate connections rather than one shared subchannel.
      args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
      args.SetInt("ttads.load.channel", i);
      stubs_.push_back(
          std::make_unique<grpc::GenericStub>(grpc::CreateCustomChannel(
              options_.target, grpc::InsecureChannelCredentials(), args)));
    }
    for (int i = 0; i < options_.concurrency; ++i) {
      callers_.push_back(
          std::make_unique<Caller>(this, stubs_[i % channels].get()));
    }
    const absl::Time begin = absl::Now();
    measure_from_ = begin + options_.warmup;
    end_ = measure_from_ + options_.duration;
    active_ = options_.concurrency;
    for (auto& c : callers_) c->Start();
    all_done_.WaitForNotification();
    const absl::Time last = absl::Now();

    LoadReport report;
    report.path = options_.call.path;
    report.concurrency = options_.concurrency;
    report.measured = std::min(last, end_) - measure_from_;
    std::vector<uint32_t> all;
    for (auto& c : callers_) {
      report.ok += c->ok;
      all.insert(all.end(), c->latencies_us.begin(), c->latencies_us.end());
      for (auto& [code, n] : c->errors) report.errors[CodeName(code)] += n;
      for (auto& [code, msg] : c->samples) {
        report.error_samples.emplace(CodeName(code), msg);
      }
    }
    report.throughput =
        report.ok / std::max(1e-9, absl::ToDoubleSeconds(report.measured));
    if (!all.empty()) {
      std::sort(all.begin(), all.end());
      auto pct = [&](double p) {
        size_t i = static_cast<size_t>(p * (all.size() - 1) + 0.5);
        return absl::Microseconds(all[std::min(i, all.size() - 1)]);
      };
      report.p50 = pct(0.50);
      report.p90 = pct(0.90);
      report.p99 = pct(0.99);
      report.max = absl::Microseconds(all.back());
    }
    return report;
  }

  const LoadOptions& options() const { return options_; }
  const grpc::ByteBuffer& request() const { return request_; }
  absl::Time measure_from() const { return measure_from_; }
  absl::Time end() const { return end_; }
  void CallerFinished() {
    if (active_.fetch_sub(1) == 1) all_done_.Notify();
  }

 private:
  const LoadOptions& options_;
  grpc::ByteBuffer request_;
  std::vector<std::unique_ptr<grpc::GenericStub>> stubs_;
  std::vector<std::unique_ptr<Caller>> callers_;
  absl::Time measure_from_, end_;
  std::atomic<int> active_{0};
  absl::Notification all_done_;
};

void Caller::Start() {
  context_ = std::make_unique<grpc::ClientContext>();
  for (const auto& [k, v] : run_->options().metadata) {
    context_->AddMetadata(k, v);
  }
  started_ = absl::Now();
  context_->set_deadline(
      absl::ToChronoTime(started_ + run_->options().call_timeout));
  request_ = run_->request();
  response_.Clear();
  stub_->UnaryCall(context_.get(), run_->options().call.path,
                   grpc::StubOptions(), &request_, &response_,
                   [this](grpc::Status status) { OnDone(status); });
}

void Caller::OnDone(const grpc::Status& status) {
  const absl::Time now = absl::Now();
  const bool measured = started_ >= run_->measure_from() && now <= run_->end();
  if (measured) {
    if (status.ok()) {
      ++ok;
      latencies_us.push_back(static_cast<uint32_t>(std::min<int64_t>(
          absl::ToInt64Microseconds(now - started_), UINT32_MAX)));
    } else {
      ++errors[status.error_code()];
      samples.emplace(status.error_code(), status.error_message());
    }
  }
  if (now >= run_->end()) {
    run_->CallerFinished();
    return;
  }
  Start();
}

}  // namespace

int64_t LoadReport::error_count() const {
  int64_t n = 0;
  for (const auto& [code, count] : errors) n += count;
  return n;
}

std::string LoadReport::Summary() const {
  std::string errs;
  for (const auto& [code, n] : errors)
    absl::StrAppend(&errs, " ", code, "=", n);
  return absl::StrFormat(
      "%s c=%d: %.0f ok/s over %.1fs  ok=%d errors=%d%s  p50=%.2fms "
      "p90=%.2fms p99=%.2fms max=%.2fms",
      path, concurrency, throughput, absl::ToDoubleSeconds(measured), ok,
      error_count(), errs, absl::ToDoubleMilliseconds(p50),
      absl::ToDoubleMilliseconds(p90), absl::ToDoubleMilliseconds(p99),
      absl::ToDoubleMilliseconds(max));
}

std::string LoadReport::ToJson() const {
  nlohmann::json j = {{"method", path},
                      {"concurrency", concurrency},
                      {"seconds", absl::ToDoubleSeconds(measured)},
                      {"ok", ok},
                      {"errors", errors},
                      {"error_samples", error_samples},
                      {"throughput", throughput},
                      {"p50_ms", absl::ToDoubleMilliseconds(p50)},
                      {"p90_ms", absl::ToDoubleMilliseconds(p90)},
                      {"p99_ms", absl::ToDoubleMilliseconds(p99)},
                      {"max_ms", absl::ToDoubleMilliseconds(max)}};
  return j.dump();
}

absl::StatusOr<LoadReport> RunLoad(const LoadOptions& options) {
  if (options.target.empty()) {
    return absl::InvalidArgumentError("target: required (host:port)");
  }
  if (options.concurrency < 1 || options.concurrency > 100000) {
    return absl::InvalidArgumentError("concurrency: must be in [1, 100000]");
  }
  if (options.duration <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("duration: must be positive");
  }
  if (options.call.path.empty()) {
    return absl::InvalidArgumentError("call: no method prepared");
  }
  Run run(options);
  return run.Execute();
}

}  // namespace ttads::load
