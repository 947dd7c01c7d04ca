#ifndef TTADS_SERVICES_AUDIENCE_QUEUE_METRICS_H_
#define TTADS_SERVICES_AUDIENCE_QUEUE_METRICS_H_

#include <condition_variable>
#include <mutex>
#include <thread>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "prometheus/counter.h"
#include "prometheus/gauge.h"
#include "prometheus/registry.h"
#include "services/audience/audience_store.h"
#include "services/audience/job_queue.h"

namespace ttads::audience {

// The audience job queue's metrics (docs/observability.md):
//   ttads_audience_queue_jobs{state="queued"|"running"}               gauge
//   ttads_audience_queue_oldest_age_seconds{state="queued"|"running"} gauge
//   ttads_audience_jobs_finished_total{state="succeeded"|"failed"}    counter
// The gauges describe the one queue every replica shares (sampled from
// Redis every `every`, so each replica reports the same values: aggregate
// with max); the counters count the jobs this process' workers finished
// (aggregate with sum). A sample that fails leaves the gauges as they were.
class QueueMetrics {
 public:
  QueueMetrics(prometheus::Registry& registry, RedisJobQueue* queue,
               absl::Duration every);
  ~QueueMetrics();
  QueueMetrics(const QueueMetrics&) = delete;
  QueueMetrics& operator=(const QueueMetrics&) = delete;

  // A worker recorded this final state (kSucceeded or kFailed).
  void Finished(JobState state);
  // Reads the queue once and sets the gauges.
  absl::Status SampleOnce();
  // A thread calling SampleOnce every `every` until Stop().
  void Start();
  void Stop();

 private:
  RedisJobQueue* queue_;
  const absl::Duration every_;
  prometheus::Gauge& queued_;
  prometheus::Gauge& running_;
  prometheus::Gauge& oldest_queued_;
  prometheus::Gauge& oldest_running_;
  prometheus::Counter& succeeded_;
  prometheus::Counter& failed_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;  // guarded by mu_
  std::thread thread_;
};

}  // namespace ttads::audience

#endif  // TTADS_SERVICES_AUDIENCE_QUEUE_METRICS_H_
