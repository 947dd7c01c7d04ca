#include "services/audience/queue_metrics.h"

#include "libs/status/status_macros.h"

namespace ttads::audience {
namespace {

prometheus::Family<prometheus::Gauge>& Depth(prometheus::Registry& r) {
  return prometheus::BuildGauge()
      .Name("ttads_audience_queue_jobs")
      .Help(
          "Audience sync jobs in the shared queue: queued (not taken by a "
          "worker yet) or running (taken, not acknowledged)")
      .Register(r);
}

prometheus::Family<prometheus::Gauge>& Age(prometheus::Registry& r) {
  return prometheus::BuildGauge()
      .Name("ttads_audience_queue_oldest_age_seconds")
      .Help(
          "Time since the oldest queued or running audience sync job was "
          "queued (0 when there is none)")
      .Register(r);
}

prometheus::Family<prometheus::Counter>& FinishedFamily(
    prometheus::Registry& r) {
  return prometheus::BuildCounter()
      .Name("ttads_audience_jobs_finished_total")
      .Help(
          "Audience sync jobs this process' workers finished, by final "
          "state")
      .Register(r);
}

}  // namespace

QueueMetrics::QueueMetrics(prometheus::Registry& registry, RedisJobQueue* queue,
                           absl::Duration every)
    : queue_(queue),
      every_(every),
      queued_(Depth(registry).Add({{"state", "queued"}})),
      running_(Depth(registry).Add({{"state", "running"}})),
      oldest_queued_(Age(registry).Add({{"state", "queued"}})),
      oldest_running_(Age(registry).Add({{"state", "running"}})),
      succeeded_(FinishedFamily(registry).Add({{"state", "succeeded"}})),
      failed_(FinishedFamily(registry).Add({{"state", "failed"}})) {}

QueueMetrics::~QueueMetrics() { Stop(); }

void QueueMetrics::Finished(JobState state) {
  if (state == JobState::kSucceeded) succeeded_.Increment();
  if (state == JobState::kFailed) failed_.Increment();
}

absl::Status QueueMetrics::SampleOnce() {
  TTADS_ASSIGN_OR_RETURN(const QueueStats stats, queue_->Stats());
  queued_.Set(static_cast<double>(stats.queued));
  running_.Set(static_cast<double>(stats.running));
  oldest_queued_.Set(absl::ToDoubleSeconds(stats.oldest_queued));
  oldest_running_.Set(absl::ToDoubleSeconds(stats.oldest_running));
  return absl::OkStatus();
}

void QueueMetrics::Start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (thread_.joinable()) return;
  stop_ = false;
  thread_ = std::thread([this] {
    std::unique_lock<std::mutex> lock(mu_);
    while (!stop_) {
      lock.unlock();
      (void)SampleOnce();
      lock.lock();
      cv_.wait_for(lock, absl::ToChronoMilliseconds(every_),
                   [this] { return stop_; });
    }
  });
}

void QueueMetrics::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace ttads::audience
