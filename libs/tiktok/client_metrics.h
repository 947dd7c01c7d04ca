#ifndef TTADS_LIBS_TIKTOK_CLIENT_METRICS_H_
#define TTADS_LIBS_TIKTOK_CLIENT_METRICS_H_

// Prometheus metrics of the TikTok client (docs/observability.md):
//
//   tiktok_api_calls_total{endpoint, code}   counter: finished calls
//   tiktok_api_call_seconds{endpoint}        histogram: Send() to result,
//                                            rate-limit waits and retries
//                                            included
//   tiktok_api_attempts_total                counter  } Client::stats() of
//   tiktok_api_retries_total                 counter  } the watched client,
//   tiktok_api_limiter_waits_total           counter  } brought up to date
//   tiktok_api_limiter_rejects_total         counter  } as each call
//   tiktok_api_limiter_errors_total          counter  } finishes
//   tiktok_api_in_flight                     gauge    }
//
// `endpoint` is the path called ("ad/create/"); `code` is TikTok's envelope
// code ("0" for success, "40100" throttled, "40105" token revoked, ...), or
// for a failure below the envelope "http_<status>" when a response arrived,
// else the status code's name ("DEADLINE_EXCEEDED", "UNAVAILABLE",
// "RESOURCE_EXHAUSTED" for no rate-limit slot in time).

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "libs/tiktok/client.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/gauge.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"

namespace ttads::tiktok {

// The `code` label of a finished call's status (see above).
std::string OutcomeCode(const absl::Status& status);

class ClientMetrics {
 public:
  // Registers the families on `registry`, which this object keeps alive.
  explicit ClientMetrics(std::shared_ptr<prometheus::Registry> registry);
  ~ClientMetrics();

  // For ClientOptions::on_finish; valid while this object lives.
  std::function<void(const CallOutcome&)> Observer();
  void Record(const CallOutcome& outcome);

  // Reports `client`'s counters (Client::stats()) from now on, updated as
  // each call finishes; `client` must outlive this object or be unwatched
  // with Watch(nullptr).
  void Watch(const Client* client);
  // Brings the stats families up to date with the watched client.
  void CatchUp();

 private:
  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Counter>* calls_;
  prometheus::Family<prometheus::Histogram>* seconds_;
  prometheus::Counter& attempts_;
  prometheus::Counter& retries_;
  prometheus::Counter& limiter_waits_;
  prometheus::Counter& limiter_rejects_;
  prometheus::Counter& limiter_errors_;
  prometheus::Gauge& in_flight_;
  std::atomic<const Client*> client_{nullptr};
  absl::Mutex mu_;
  Client::Stats seen_ ABSL_GUARDED_BY(mu_);
};

}  // namespace ttads::tiktok

#endif  // TTADS_LIBS_TIKTOK_CLIENT_METRICS_H_
