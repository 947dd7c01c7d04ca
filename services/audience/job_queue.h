#ifndef TTADS_SERVICES_AUDIENCE_JOB_QUEUE_H_
#define TTADS_SERVICES_AUDIENCE_JOB_QUEUE_H_

#include <optional>
#include <string>

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
// until Ack(); an entry whose consumer stopped touching it for the claim
// interval (a killed or stuck worker) is handed to another consumer. Job
// processing is therefore written to be resumable from checkpoints.
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
  // Resets the entry's idle time: "still working on it".
  virtual absl::Status Touch(const std::string& consumer,
                             const QueuedJob& job) = 0;
  virtual absl::Status Ack(const QueuedJob& job) = 0;
};

// A Redis Stream ("ttads:audience:jobs") with one consumer group
// ("audience-workers") shared by every replica: XREADGROUP for new entries,
// XAUTOCLAIM for entries idle longer than `claim_idle`, XCLAIM (JUSTID) as
// the heartbeat, XACK + XDEL when done. The group is created on first use
// (and again if Redis lost it).
class RedisJobQueue : public JobQueue {
 public:
  RedisJobQueue(store::RedisPool* redis, absl::Duration claim_idle,
                std::string stream = "ttads:audience:jobs",
                std::string group = "audience-workers");

  absl::Status Enqueue(const std::string& team_id,
                       const std::string& job_id) override;
  absl::StatusOr<std::optional<QueuedJob>> Next(const std::string& consumer,
                                                absl::Duration wait) override;
  absl::Status Touch(const std::string& consumer,
                     const QueuedJob& job) override;
  absl::Status Ack(const QueuedJob& job) override;

 private:
  absl::Status EnsureGroup();

  store::RedisPool* redis_;
  absl::Duration claim_idle_;
  std::string stream_;
  std::string group_;
};

}  // namespace ttads::audience

#endif  // TTADS_SERVICES_AUDIENCE_JOB_QUEUE_H_
