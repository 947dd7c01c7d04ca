#ifndef TTADS_SERVICES_AUDIENCE_JOB_QUEUE_H_
#define TTADS_SERVICES_AUDIENCE_JOB_QUEUE_H_

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/store/redis.h"

namespace ttads::audience {

struct QueuedJob {
  std::string entry_id;  // stream entry id
  std::string team_id;
  std::string job_id;
};

// Work distribution for sync jobs. At-least-once: an entry stays pending
// until Ack(); an entry whose consumer did not renew it for claim_idle() (a
// killed, stuck or partitioned worker) is handed to another consumer. The
// owner keeps it with Renew() (see ClaimHeartbeat). Job processing is
// therefore written to be resumable from checkpoints, and fenced
// (AudienceStore::ClaimJob) so a worker that lost its claim records nothing.
class JobQueue {
 public:
  virtual ~JobQueue() = default;
  virtual absl::Status Enqueue(const std::string& team_id,
                               const std::string& job_id) = 0;
  // The next job for `consumer`: first an abandoned one (idle longer than
  // the claim interval), then a new one, waiting up to `wait`. nullopt when
  // there is none.
  virtual absl::StatusOr<std::optional<QueuedJob>> Next(
      const std::string& consumer, absl::Duration wait) = 0;
  // "Still working on it": resets the entry's idle time, but only while
  // `consumer` owns it; never takes it from another consumer. Returns false
  // when `consumer` no longer owns the entry (another consumer claimed it,
  // or it was acknowledged): the caller must stop working on the job.
  virtual absl::StatusOr<bool> Renew(const std::string& consumer,
                                     const QueuedJob& job) = 0;
  // Removes the entry when `consumer` still owns it; when another consumer
  // does, leaves it to that one (returns OK either way).
  virtual absl::Status Ack(const std::string& consumer,
                           const QueuedJob& job) = 0;
  // How long an entry may go without Renew() before another consumer may
  // claim it.
  virtual absl::Duration claim_idle() const = 0;
};

// Keeps `consumer`'s claim on one queue entry alive while a job is
// processed: a thread calls JobQueue::Renew every `interval` (a fraction of
// the claim interval, e.g. a third) until Stop() or destruction, however
// long the worker's current step (an upload and its retries) takes. When a
// renewal answers that the entry is owned by someone else or gone, lost()
// turns true for good and renewals stop; the worker must then stop working
// on the job. A renewal that fails (Redis unreachable) is tried again at
// the next tick and does not count as lost; if it stays unreachable past the
// claim interval, the checkpoint fence still stops the worker.
class ClaimHeartbeat {
 public:
  ClaimHeartbeat(JobQueue* queue, std::string consumer, QueuedJob job,
                 absl::Duration interval);
  ~ClaimHeartbeat();
  ClaimHeartbeat(const ClaimHeartbeat&) = delete;
  ClaimHeartbeat& operator=(const ClaimHeartbeat&) = delete;

  // Stops renewing (idempotent); returns after the thread ended.
  void Stop();
  bool lost() const { return lost_.load(); }
  // Successful renewals so far.
  int64_t renewals() const { return renewals_.load(); }

 private:
  void Run();

  JobQueue* queue_;
  const std::string consumer_;
  const QueuedJob job_;
  const absl::Duration interval_;
  std::atomic<bool> lost_{false};
  std::atomic<int64_t> renewals_{0};
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;  // guarded by mu_
  std::thread thread_;
};

// What is in the queue (the job-queue metrics, docs/observability.md).
struct QueueStats {
  // Entries no worker took yet, and entries a worker took and has not
  // acknowledged (being processed, or waiting to be claimed again after
  // their worker died or hit a retryable failure).
  int64_t queued = 0;
  int64_t running = 0;
  // Age of the oldest entry of each kind; zero when there is none.
  absl::Duration oldest_queued = absl::ZeroDuration();
  absl::Duration oldest_running = absl::ZeroDuration();
};

// A Redis Stream ("ttads:audience:jobs") with one consumer group
// ("audience-workers") shared by every replica: XREADGROUP for new entries,
// XAUTOCLAIM for entries idle longer than `claim_idle`; Renew is XCLAIM
// (JUSTID) and Ack is XACK + XDEL, each in a Lua script that first checks
// with XPENDING that the caller still owns the entry. The group is created
// on first use (and again if Redis lost it).
class RedisJobQueue : public JobQueue {
 public:
  RedisJobQueue(store::RedisPool* redis, absl::Duration claim_idle,
                std::string stream = "ttads:audience:jobs",
                std::string group = "audience-workers");

  absl::Status Enqueue(const std::string& team_id,
                       const std::string& job_id) override;
  absl::StatusOr<std::optional<QueuedJob>> Next(const std::string& consumer,
                                                absl::Duration wait) override;
  absl::StatusOr<bool> Renew(const std::string& consumer,
                             const QueuedJob& job) override;
  absl::Status Ack(const std::string& consumer, const QueuedJob& job) override;
  absl::Duration claim_idle() const override { return claim_idle_; }

  // Counts the stream's entries (acknowledged ones are deleted, so every
  // entry is queued or running) and ages its oldest ones by their ids'
  // enqueue time against Redis' clock (TIME), so replicas' clocks do not
  // matter. All zero before the stream exists.
  absl::StatusOr<QueueStats> Stats();

 private:
  absl::Status EnsureGroup();

  store::RedisPool* redis_;
  absl::Duration claim_idle_;
  std::string stream_;
  std::string group_;
};

}  // namespace ttads::audience

#endif  // TTADS_SERVICES_AUDIENCE_JOB_QUEUE_H_
