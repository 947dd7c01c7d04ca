#ifndef TTADS_SERVICES_AUDIENCE_REFRESH_CYCLE_H_
#define TTADS_SERVICES_AUDIENCE_REFRESH_CYCLE_H_

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/audience/audience_store.h"
#include "services/audience/job_queue.h"

namespace ttads::audience {

// The refresh cycle that applies disqualification. Every audience has a
// cycle in the global sorted set `ttads:audience:refresh` (its next due
// time); RunDue claims each due cycle atomically (Lua: still due → moved to
// now + the audience's refresh interval, at least 1 s), so several replicas
// can run it at once and a cycle is applied by one of them. For a claimed
// audience with pending removals that exists on TikTok, a REMOVE job
// (source DISQUALIFICATION, acting with the owner's connection) is queued;
// removals for an audience not yet on TikTok wait for a later cycle. The
// cycle of a deleted audience is dropped.
class RefreshCycle {
 public:
  RefreshCycle(AudienceStore* store, JobQueue* queue);

  // Applies the cycles due at `now` (at most 100 per call); returns the
  // number of jobs queued.
  absl::StatusOr<int> RunDue(absl::Time now);

 private:
  AudienceStore* store_;
  JobQueue* queue_;
};

}  // namespace ttads::audience

#endif  // TTADS_SERVICES_AUDIENCE_REFRESH_CYCLE_H_
