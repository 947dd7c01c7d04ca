#ifndef TTADS_LIBS_STORE_REDIS_METRICS_H_
#define TTADS_LIBS_STORE_REDIS_METRICS_H_

// Prometheus metrics of a RedisPool (docs/redis.md, "Metrics"):
//
//   redis_command_duration_seconds   histogram: one Command() or Pipeline()
//                                    call, from the caller's view (waiting
//                                    for a pooled connection, dialling,
//                                    Cluster redirects and retries
//                                    included)
//   redis_errors_total{kind}         counter, by kind:
//     unavailable          a call failed UNAVAILABLE (I/O error, timeout,
//                          pool exhausted, a transient reply such as
//                          LOADING, redirects or retries exhausted)
//     internal             a call failed INTERNAL (an error reply such as
//                          WRONGTYPE or NOSCRIPT, a refused AUTH)
//     error_reply          an error reply inside a successful Pipeline()
//     moved, ask, tryagain Cluster replies the pool followed or retried
//                          (TRYAGAIN and CLUSTERDOWN); not failures
//     redirects_exhausted  a Cluster command given up (too many
//                          redirects, TRYAGAIN past its attempts, no
//                          master for its slot); the call is UNAVAILABLE
//     <code>               any other failure, by its status code's name
//
// One object per process, shared by its pools (set RedisOptions::metrics).
#include <chrono>
#include <memory>
#include <string_view>

#include "absl/status/status.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"

namespace ttads::store {

class RedisMetrics {
 public:
  // Registers the families on `registry`, which this object keeps alive.
  explicit RedisMetrics(std::shared_ptr<prometheus::Registry> registry);

  // One finished call and its outcome.
  void ObserveCall(std::chrono::steady_clock::duration took,
                   const absl::Status& status);
  // Adds one to redis_errors_total{kind}.
  void CountError(std::string_view kind);

 private:
  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Histogram* duration_;
  prometheus::Family<prometheus::Counter>* errors_;
};

}  // namespace ttads::store

#endif  // TTADS_LIBS_STORE_REDIS_METRICS_H_
