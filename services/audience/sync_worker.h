#ifndef TTADS_SERVICES_AUDIENCE_SYNC_WORKER_H_
#define TTADS_SERVICES_AUDIENCE_SYNC_WORKER_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/audience/audience_store.h"
#include "services/audience/job_queue.h"
#include "services/audience/tiktok_audience_api.h"

namespace ttads::audience {

// The access token a job acts with (the audience owner's, by the shared
// token-resolution rules).
class TokenSource {
 public:
  virtual ~TokenSource() = default;
  virtual absl::StatusOr<std::string> Token(
      const std::string& team_id, const std::string& member_id,
      const std::string& role, const std::string& advertiser_id) = 0;
};

struct WorkerOptions {
  // This worker's consumer name in the job queue; unique across every
  // worker of every replica (host, pid and index in production).
  std::string consumer = "worker";
  // Where customer files are written before upload (one at a time), named
  // per job, type, file number, consumer and claim, so no two workers (of
  // one process or of several sharing the directory) ever share one.
  std::string temp_dir = "/tmp";
  // Split files at this size (TikTok integrators use 50 MB).
  int64_t max_file_bytes = 50 << 20;
  // After this many attempts a job fails with its last error.
  int max_attempts = 8;
  // Uploaded files applied per TikTok update call (TikTok recommends at
  // most 50 file_paths). A REMOVE of up to this many files is one update,
  // so TikTok's 1,000-member floor rejects it whole, never half-applied.
  int files_per_update = 50;
  absl::Duration poll = absl::Milliseconds(200);
  // How often the claim on the job being processed is renewed; zero: a
  // third of the queue's claim interval.
  absl::Duration heartbeat = absl::ZeroDuration();
  // Pause after a retryable failure before taking work again.
  absl::Duration retry_pause = absl::Seconds(1);
  // Called (on the worker's thread) each time this worker records a job's
  // final state: kSucceeded or kFailed (the job-queue metrics count them).
  std::function<void(JobState)> on_finished;
};

// Processes sync jobs from the queue. Per identifier type the job's chunks
// are merged into a sorted unique stream that is cut into files of
// max_file_bytes; file n of a type is a pure function of the chunks, and
// its checkpoint (ttads:{team:T}:job:<id>:file:<TYPE>:<n>) records the
// merge cursor after it, the file_path once uploaded, "applying" just
// before the TikTok update and "applied" (atomically with the job's counts)
// after it. A worker that takes over a job skips applied files, re-applies
// an uploaded-but-unapplied file_path, and rebuilds the rest from the saved
// cursor, so no digest is lost and none is uploaded twice; the one window
// left is a crash between TikTok applying an update and "applied" being
// recorded, where the same file_path is applied again (harmless to the
// audience: APPEND and REMOVE are set operations).
//
// One owner at a time: while a job is processed a ClaimHeartbeat renews the
// queue entry every options.heartbeat (claim_idle / 3), independently of
// how long an upload and its retries take, so no other worker claims a job
// whose owner is alive. A worker takes the job with AudienceStore::ClaimJob
// (a new fencing epoch) before reading checkpoints and writes every
// checkpoint and count fenced by that epoch. When the heartbeat finds the
// entry owned by another consumer, or a fenced write finds a newer epoch,
// the worker stops: no further upload, apply, checkpoint, FAILED state or
// acknowledgement for that job (a TikTok call already in flight finishes,
// and its result is dropped). The new owner resumes from the checkpoints.
//
// Failures: retryable ones (TikTok throttling/5xx, Redis unavailable) leave
// the queue entry pending so it is retried (by any worker) after the claim
// interval; others mark the job FAILED with the error's code and reason
// (e.g. FAILED_PRECONDITION / AUDIENCE_BELOW_MINIMUM).
class SyncWorker {
 public:
  SyncWorker(AudienceStore* store, JobQueue* queue, TikTokAudienceApi* tiktok,
             TokenSource* tokens, WorkerOptions options);
  ~SyncWorker();

  // Takes and processes at most one job. Returns whether one was taken.
  absl::StatusOr<bool> RunOnce();

  // A thread calling RunOnce until Stop().
  void Start();
  void Stop();

  // Jobs this worker stopped because it lost the claim to another worker.
  int64_t claims_lost() const { return claims_lost_.load(); }

  // Test hook, called after each applied group with the running count of
  // files this worker applied; returning false abandons the job right
  // there without acknowledging it (as if the process had been killed).
  std::function<bool(int64_t files_applied)> after_file;

 private:
  absl::Status Process(const QueuedJob& entry, bool* abandon);
  absl::Status ProcessType(JobRecord& job, AudienceRecord& audience,
                           const std::string& token, IdType type,
                           int64_t chunks, bool* abandon);
  // Applies uploaded files with one TikTok update (or the create).
  absl::Status ApplyGroup(
      JobRecord& job, AudienceRecord& audience, const std::string& token,
      IdType type, std::vector<std::pair<int64_t, FileCheckpoint>>& group,
      bool* abandon);
  absl::Status Apply(JobRecord& job, AudienceRecord& audience,
                     const std::string& token,
                     const std::vector<std::string>& paths, bool resumed);
  absl::Status SpoolRemovals(JobRecord& job);
  // CLAIM_LOST (see IsClaimLost) once the heartbeat lost the job's claim.
  absl::Status CheckClaim() const;

  AudienceStore* store_;
  JobQueue* queue_;
  TikTokAudienceApi* tiktok_;
  TokenSource* tokens_;
  WorkerOptions options_;
  int64_t files_applied_ = 0;
  // The job in progress (RunOnce's thread only): its heartbeat and claim.
  const ClaimHeartbeat* heartbeat_ = nullptr;
  int64_t claim_epoch_ = kUnfenced;
  // Whether Process recorded SUCCEEDED for the job in progress.
  bool succeeded_ = false;
  std::atomic<int64_t> claims_lost_{0};
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace ttads::audience

#endif  // TTADS_SERVICES_AUDIENCE_SYNC_WORKER_H_
