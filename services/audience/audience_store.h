#ifndef TTADS_SERVICES_AUDIENCE_AUDIENCE_STORE_H_
#define TTADS_SERVICES_AUDIENCE_AUDIENCE_STORE_H_

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "libs/identifiers/identifiers.h"
#include "libs/store/redis.h"

// Redis persistence of audiences, sync jobs and their checkpoints
// (docs/audience.md lists every key). All keys of one team carry its hash
// tag, so the multi-key transactions below stay in one Cluster slot:
//   ttads:{team:T}:audience:<id>             hash: the audience record
//   ttads:{team:T}:audience:<id>:history     list: applied files, newest last
//   ttads:{team:T}:audience:<id>:dq:<TYPE>   set: queued removals (32-byte
//   digests) ttads:{team:T}:audiences                 zset: audience ids by
//   create time ttads:{team:T}:job:<id>                  hash: state, counts,
//   errors ttads:{team:T}:job:<id>:samples:<reason> list: up to 5 invalid
//   samples ttads:{team:T}:job:<id>:chunk:<TYPE>:<k> string: sorted unique
//   digests ttads:{team:T}:job:<id>:file:<TYPE>:<n>  hash: per-file upload
//   checkpoint ttads:{team:T}:jobs                      zset: job ids by create
//   time
namespace ttads::audience {

using identifiers::IdType;
using Digest = std::array<uint8_t, 32>;

struct AudienceRecord {
  std::string id;
  std::string team_id;
  std::string advertiser_id;
  std::string name;
  std::vector<IdType> types;
  int64_t refresh_interval_seconds = 86400;
  absl::Time create_time = absl::UnixEpoch();
  std::string tiktok_id;  // empty until the first upload created it
  // Whose connection token jobs of this audience use.
  std::string member_id;
  std::string role;
  // ISO 3166-1 alpha-2 region for phone numbers written without "+" in this
  // audience's uploads; empty: the process-wide TTADS_AUDIENCE_DEFAULT_REGION.
  std::string default_region;
};

enum class JobState { kReceiving = 1, kQueued, kRunning, kSucceeded, kFailed };
enum class Operation { kAdd = 1, kRemove = 2 };
// Why a job exists: SyncMembers (kSync) or a disqualification cycle.
enum class JobSource { kSync, kDisqualification };

// The name a job record stores for `source`: "sync" or "disqualification".
std::string_view JobSourceName(JobSource source);
// The source a job record's stored name stands for: "disqualification" is
// kDisqualification; anything else, "sync" and the empty name of a record
// written before jobs stored one included, is kSync.
JobSource ParseJobSource(std::string_view name);

struct JobRecord {
  std::string id;
  std::string team_id;
  std::string audience_id;
  std::string advertiser_id;
  Operation operation = Operation::kAdd;
  JobState state = JobState::kReceiving;
  JobSource source = JobSource::kSync;
  std::string member_id;
  std::string role;
  int64_t received = 0;
  int64_t duplicates = 0;
  int64_t files_uploaded = 0;
  int64_t attempts = 0;
  // The latest worker claim (AudienceStore::ClaimJob); 0 / "" before any.
  int64_t claim_epoch = 0;
  std::string claim_owner;
  std::map<std::string, int64_t> invalid;                   // by reason name
  std::map<std::string, int64_t> uploaded;                  // by type name
  std::map<std::string, int64_t> chunks;                    // by type name
  std::map<std::string, std::vector<std::string>> samples;  // by reason
  std::vector<std::string> errors;
  std::string error_code;
  std::string error_reason;
  absl::Time create_time = absl::UnixEpoch();
  absl::Time update_time = absl::UnixEpoch();
  // Progress (job_progress.h). Identifiers settled so far: invalid,
  // duplicates, and digests in files uploaded to TikTok; when that last
  // changed (UnixEpoch: never).
  int64_t settled = 0;
  absl::Time progress_time = absl::UnixEpoch();
  // The latest claim's start and `settled` then: the rate since the claim
  // estimates the time left.
  absl::Time run_start = absl::UnixEpoch();
  int64_t run_start_settled = 0;
};

// Counts gathered while receiving, flushed with each chunk.
struct ReceiveCounts {
  int64_t received = 0;
  int64_t duplicates = 0;
  std::map<std::string, int64_t> invalid;
  std::map<std::string, std::vector<std::string>> samples;
  void Clear() { *this = ReceiveCounts(); }
};

// Upload checkpoint of file n of one type of a job.
struct FileCheckpoint {
  enum class State { kNone, kUploaded, kApplying, kApplied };
  State state = State::kNone;
  std::string file_path;
  // Merge position (next digest index in each chunk) after this file.
  std::vector<int64_t> cursor_end;
  int64_t count = 0;       // digests in the file
  int64_t duplicates = 0;  // cross-chunk duplicates skipped for it
};

// A worker's claim on a job (a fencing token), from AudienceStore::ClaimJob.
struct JobClaim {
  int64_t epoch = 0;     // this claim's number: 1, 2, ... per job
  int64_t attempts = 0;  // claims of the job so far, this one included
};

// Checkpoint writes made with `claim_epoch` > 0 are fenced: they apply only
// while that epoch is the job's latest claim, and otherwise change nothing
// and return ABORTED with ErrorInfo reason CLAIM_LOST (IsClaimLost). Epoch 0
// writes unfenced (the receive phase, before any worker claimed the job).
constexpr int64_t kUnfenced = 0;
bool IsClaimLost(const absl::Status& status);

class AudienceStore {
 public:
  explicit AudienceStore(store::RedisPool* redis) : redis_(redis) {}

  // The clock of the progress times (a claim's start, the latest settled
  // identifiers), which estimate a job's time left; tests pass a fake one.
  void set_clock(std::function<absl::Time()> clock) {
    clock_ = std::move(clock);
  }

  // Audiences. Get/Delete: NOT_FOUND when absent (or another team's).
  absl::Status PutAudience(const AudienceRecord& a);
  absl::StatusOr<AudienceRecord> GetAudience(const std::string& team,
                                             const std::string& id);
  absl::StatusOr<std::vector<AudienceRecord>> ListAudiences(
      const std::string& team);
  absl::Status DeleteAudience(const std::string& team, const std::string& id);
  absl::Status SetTikTokId(const std::string& team, const std::string& id,
                           const std::string& tiktok_id);
  absl::StatusOr<std::vector<std::string>> History(const std::string& team,
                                                   const std::string& id);

  // Jobs.
  absl::Status PutJob(const JobRecord& job);
  absl::StatusOr<JobRecord> GetJob(const std::string& team,
                                   const std::string& id);
  absl::StatusOr<std::vector<JobRecord>> ListJobs(const std::string& team,
                                                  int limit);
  absl::Status SetJobState(const std::string& team, const std::string& id,
                           JobState state, int64_t claim_epoch = kUnfenced);
  // Marks the job FAILED with `status` as its error.
  absl::Status FailJob(const std::string& team, const std::string& id,
                       const absl::Status& status,
                       int64_t claim_epoch = kUnfenced);
  // Takes the job for `consumer` (atomically: epoch + 1, attempts + 1,
  // claim_owner = consumer in the job hash). From then on fenced writes with
  // an older epoch fail, so a worker that lost the job to another cannot
  // record progress. Call it after taking the queue entry and before reading
  // any checkpoint. It also records the claim's start time and the job's
  // `settled` count then (JobRecord::run_start*). NOT_FOUND when the job
  // does not exist.
  absl::StatusOr<JobClaim> ClaimJob(const std::string& team,
                                    const std::string& id,
                                    const std::string& consumer);

  // Atomically (MULTI) stores chunk `index` of `type` (sorted unique
  // digests, 32 bytes each) and adds `counts` to the job.
  absl::Status WriteChunk(const std::string& team, const std::string& job,
                          IdType type, int64_t index,
                          const std::vector<Digest>& digests,
                          const ReceiveCounts& counts,
                          int64_t claim_epoch = kUnfenced);
  // Adds `counts` to the job without a chunk.
  absl::Status AddCounts(const std::string& team, const std::string& job,
                         const ReceiveCounts& counts,
                         int64_t claim_epoch = kUnfenced);
  // Up to `count` digests of a chunk from digest index `start`.
  absl::StatusOr<std::string> ReadChunk(const std::string& team,
                                        const std::string& job, IdType type,
                                        int64_t index, int64_t start,
                                        int64_t count);

  absl::StatusOr<FileCheckpoint> GetFile(const std::string& team,
                                         const std::string& job, IdType type,
                                         int64_t n);
  absl::Status PutFile(const std::string& team, const std::string& job,
                       IdType type, int64_t n, const FileCheckpoint& file,
                       int64_t claim_epoch = kUnfenced);
  // Records file n as uploaded (`file` in state kUploaded) and, in the
  // same fenced transaction, adds its digests and the duplicates skipped
  // for it to the job's `settled` count: once per file, however often the
  // job is resumed.
  absl::Status RecordUpload(const std::string& team, const std::string& job,
                            IdType type, int64_t n, const FileCheckpoint& file,
                            int64_t claim_epoch = kUnfenced);
  // Atomically marks file n applied, adds its counts to the job and appends
  // `history` to the audience's history.
  absl::Status MarkFileApplied(const std::string& team, const std::string& job,
                               const std::string& audience, IdType type,
                               int64_t n, const FileCheckpoint& file,
                               const std::string& history,
                               int64_t claim_epoch = kUnfenced);
  // Deletes chunk and file keys of a finished job.
  absl::Status DropJobData(const JobRecord& job);
  // Deletes a job that was never queued (a duplicate SyncMembers stream
  // answered from its request_id's record): its record, index entry,
  // errors, samples and chunks, as if it had never been received.
  absl::Status DeleteJob(const JobRecord& job);

  // Disqualification queue.
  absl::Status QueueRemovals(const std::string& team,
                             const std::string& audience, IdType type,
                             const std::vector<Digest>& digests);
  absl::StatusOr<int64_t> PendingRemovals(const std::string& team,
                                          const std::string& audience);
  // Atomically moves the queued removals of `type` into a snapshot key owned
  // by `job` (RENAME) and returns them, sorted. Empty when none queued.
  absl::StatusOr<std::vector<Digest>> TakeRemovals(const std::string& team,
                                                   const std::string& audience,
                                                   IdType type,
                                                   const std::string& job);
  // Refresh schedule (a global sorted set of "team|audience" by due time).
  absl::Status ScheduleRefresh(const std::string& team,
                               const std::string& audience, absl::Time due);
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> DueRefreshes(
      absl::Time now, int limit);
  absl::StatusOr<std::optional<absl::Time>> NextRefresh(
      const std::string& team, const std::string& audience);

  store::RedisPool* redis() { return redis_; }

 private:
  store::RedisPool* redis_;
  std::function<absl::Time()> clock_ = [] { return absl::Now(); };
};

std::string_view JobStateName(JobState s);

}  // namespace ttads::audience

#endif  // TTADS_SERVICES_AUDIENCE_AUDIENCE_STORE_H_
