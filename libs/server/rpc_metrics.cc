#include "libs/server/rpc_metrics.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace ttads::server {
namespace {

// Upper bounds in seconds: sub-millisecond cached answers up to TikTok
// calls that wait for a rate-limit slot.
const prometheus::Histogram::BucketBoundaries& Buckets() {
  // Never destroyed: a call may finish while the process exits.
  static const auto* const kBuckets =
      new prometheus::Histogram::BucketBoundaries{
          0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
          0.1,    0.25,  0.5,    1,     2.5,  5,     10};
  return *kBuckets;
}

}  // namespace

absl::string_view RpcTypeLabel(RpcType type) {
  switch (type) {
    case RpcType::kUnary:
      return "unary";
    case RpcType::kClientStream:
      return "client_stream";
    case RpcType::kServerStream:
      return "server_stream";
    case RpcType::kBidiStream:
      return "bidi_stream";
  }
  return "unary";
}

std::string GrpcCodeLabel(int code) {
  static constexpr absl::string_view kNames[] = {"OK",
                                                 "Canceled",
                                                 "Unknown",
                                                 "InvalidArgument",
                                                 "DeadlineExceeded",
                                                 "NotFound",
                                                 "AlreadyExists",
                                                 "PermissionDenied",
                                                 "ResourceExhausted",
                                                 "FailedPrecondition",
                                                 "Aborted",
                                                 "OutOfRange",
                                                 "Unimplemented",
                                                 "Internal",
                                                 "Unavailable",
                                                 "DataLoss",
                                                 "Unauthenticated"};
  if (code >= 0 && code < static_cast<int>(std::size(kNames))) {
    return std::string(kNames[code]);
  }
  return absl::StrCat(code);
}

RpcMetrics::RpcMetrics(prometheus::Registry& registry, absl::string_view side)
    : started_(&prometheus::BuildCounter()
                    .Name(absl::StrCat("grpc_", side, "_started_total"))
                    .Help(absl::StrCat("RPCs started on the ", side))
                    .Register(registry)),
      handled_(&prometheus::BuildCounter()
                    .Name(absl::StrCat("grpc_", side, "_handled_total"))
                    .Help(absl::StrCat("RPCs completed on the ", side,
                                       ", by status code"))
                    .Register(registry)),
      handling_(&prometheus::BuildHistogram()
                     .Name(absl::StrCat("grpc_", side, "_handling_seconds"))
                     .Help(absl::StrCat("Latency of RPCs completed on the ",
                                        side, ", in seconds"))
                     .Register(registry)) {}

RpcMetrics::Method* RpcMetrics::For(absl::string_view path, RpcType type) {
  std::string key = absl::StrCat(path, "|", RpcTypeLabel(type));
  {
    absl::ReaderMutexLock lock(&mu_);
    auto it = methods_.find(key);
    if (it != methods_.end()) return it->second.get();
  }
  absl::MutexLock lock(&mu_);
  std::unique_ptr<Method>& method = methods_[key];
  if (method == nullptr) {
    absl::string_view service = "unknown", name = path;
    if (!path.empty() && path.front() == '/') {
      const size_t slash = path.find('/', 1);
      if (slash != absl::string_view::npos) {
        service = path.substr(1, slash - 1);
        name = path.substr(slash + 1);
      }
    }
    method = std::make_unique<Method>();
    method->owner_ = this;
    method->labels_ = {{"grpc_service", std::string(service)},
                       {"grpc_method", std::string(name)},
                       {"grpc_type", std::string(RpcTypeLabel(type))}};
    method->started_ = &started_->Add(method->labels_);
    method->handling_ = &handling_->Add(method->labels_, Buckets());
  }
  return method.get();
}

void RpcMetrics::Method::Handled(int code, double seconds) {
  handling_->Observe(seconds);
  const int slot = code >= 0 && code < kCodes ? code : static_cast<int>(2);
  prometheus::Counter* counter = nullptr;
  {
    absl::ReaderMutexLock lock(&mu_);
    counter = handled_[slot];
  }
  if (counter == nullptr) {
    absl::MutexLock lock(&mu_);
    if (handled_[slot] == nullptr) {
      prometheus::Labels labels = labels_;
      labels.emplace("grpc_code", GrpcCodeLabel(slot));
      handled_[slot] = &owner_->handled_->Add(labels);
    }
    counter = handled_[slot];
  }
  counter->Increment();
}

}  // namespace ttads::server
