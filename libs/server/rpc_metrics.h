#ifndef TTADS_LIBS_SERVER_RPC_METRICS_H_
#define TTADS_LIBS_SERVER_RPC_METRICS_H_

// gRPC metrics with the names and labels of go-grpc-prometheus, the
// convention existing Grafana dashboards and alerts for gRPC services use
// (docs/observability.md). For `side` "server" (and the same with "client"):
//
//   grpc_server_started_total{grpc_service,grpc_method,grpc_type}    counter
//   grpc_server_handled_total{grpc_service,grpc_method,grpc_type,grpc_code}
//                                                                    counter
//   grpc_server_handling_seconds{grpc_service,grpc_method,grpc_type} histogram
//
// `grpc_service` is the full service name ("ttads.ads.v1.AdsService"),
// `grpc_method` the method's ("CreateAd"), `grpc_type` one of unary,
// client_stream, server_stream, bidi_stream, and `grpc_code` the status
// code spelt as Go's codes.Code prints it ("OK", "InvalidArgument",
// "ResourceExhausted", ...).
//
// Each method's series are created in prometheus-cpp on its first call and
// kept: later calls find them under a shared lock (prometheus-cpp's own
// lookup builds a label map and takes the family's lock every time).
// Thread-safe.

#include <array>
#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"

namespace ttads::server {

enum class RpcType { kUnary, kClientStream, kServerStream, kBidiStream };

// "unary", "client_stream", "server_stream" or "bidi_stream".
absl::string_view RpcTypeLabel(RpcType type);

// The go-grpc-prometheus spelling of gRPC status code `code` (0..16):
// "OK", "Canceled", "Unknown", "InvalidArgument", ... "Unauthenticated";
// any other number as its decimal digits.
std::string GrpcCodeLabel(int code);

class RpcMetrics {
 public:
  // The series of one method.
  class Method {
   public:
    void Started() { started_->Increment(); }
    // One finished call with gRPC status `code` (outside 0..16: counted as
    // Unknown) after `seconds`.
    void Handled(int code, double seconds);

   private:
    friend class RpcMetrics;
    static constexpr int kCodes = 17;
    RpcMetrics* owner_ = nullptr;
    prometheus::Labels labels_;
    prometheus::Counter* started_ = nullptr;
    prometheus::Histogram* handling_ = nullptr;
    absl::Mutex mu_;
    std::array<prometheus::Counter*, kCodes> handled_ ABSL_GUARDED_BY(mu_){};
  };

  // Registers the three families with prefix "grpc_<side>_" on `registry`,
  // which must outlive this object.
  RpcMetrics(prometheus::Registry& registry, absl::string_view side);

  // The series of `path` ("/package.Service/Method", as gRPC names a call;
  // anything without the two slashes goes under grpc_service "unknown") of
  // kind `type`. The pointer stays valid for this object's lifetime.
  Method* For(absl::string_view path, RpcType type);

 private:
  prometheus::Family<prometheus::Counter>* started_;
  prometheus::Family<prometheus::Counter>* handled_;
  prometheus::Family<prometheus::Histogram>* handling_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, std::unique_ptr<Method>> methods_
      ABSL_GUARDED_BY(mu_);
};

}  // namespace ttads::server

#endif  // TTADS_LIBS_SERVER_RPC_METRICS_H_
