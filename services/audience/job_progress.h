#ifndef TTADS_SERVICES_AUDIENCE_JOB_PROGRESS_H_
#define TTADS_SERVICES_AUDIENCE_JOB_PROGRESS_H_

#include <cstdint>
#include <optional>

#include "absl/time/time.h"
#include "services/audience/audience_store.h"

namespace ttads::audience {

// How far a sync job is (SyncJob's total/done/percent/eta, docs/audience.md
// "Progress"), derived from its record alone, so every reader of one
// record — GetSyncJob, ListSyncJobs, each WatchSyncJob message — reports
// the same numbers.
struct JobProgress {
  // Identifiers the job accounts for: every value received (valid, invalid
  // or duplicate).
  int64_t total = 0;
  // Of those, settled: invalid, duplicate, or in a file uploaded to TikTok.
  int64_t done = 0;
  // 100 × done / total in [0, 100]; 0 while RECEIVING (total still grows);
  // 100 for a SUCCEEDED job with nothing to upload.
  double percent = 0;
  // Time left as of `progress_time`: (total − done) / rate, the rate being
  // what was settled between the current claim's start and progress_time.
  // nullopt unless the job is RUNNING and something was settled since its
  // claim, at a later time than the claim.
  std::optional<absl::Duration> eta;
  // When `done` last changed; nullopt before anything was settled.
  std::optional<absl::Time> progress_time;
};

JobProgress ProgressOf(const JobRecord& job);

}  // namespace ttads::audience

#endif  // TTADS_SERVICES_AUDIENCE_JOB_PROGRESS_H_
