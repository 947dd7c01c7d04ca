#ifndef TTADS_SERVICES_AUDIENCE_MEMBER_SYNC_H_
#define TTADS_SERVICES_AUDIENCE_MEMBER_SYNC_H_

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "libs/identifiers/identifiers.h"
#include "services/audience/audience_registry.h"
#include "services/audience/audience_store.h"
#include "services/audience/job_queue.h"
#include "services/audience/requester.h"
#include "services/audience/sync_session.h"

namespace ttads::audience {

// Sync jobs as their team sees them: starting one for an upload (the
// receive phase is a SyncSession; workers do the rest) and reading them.
// A job of another team is NOT_FOUND.
class MemberSync {
 public:
  // `normalizer`: the process-wide one; `chunk_digests`: digests per
  // spooled chunk (32 bytes each; 262144 = 8 MiB per type).
  MemberSync(AudienceStore* store, JobQueue* queue, AudienceRegistry* audiences,
             identifiers::NormalizerOptions normalizer,
             size_t chunk_digests = 262144);

  // Writes a RECEIVING job (source SYNC, acting with the audience owner's
  // connection) and returns its session. INVALID_ARGUMENT for an empty
  // `audience_id`, an operation other than ADD or REMOVE, or a
  // `default_region` that is not an ISO 3166-1 alpha-2 code; NOT_FOUND for
  // an unknown (or other team's, or other advertiser's) audience. Phone
  // numbers without "+" are read in `default_region` when given, else in
  // the audience's region, else in the process-wide one.
  absl::StatusOr<std::unique_ptr<SyncSession>> Begin(
      const Requester& who, const std::string& advertiser_id,
      const std::string& audience_id, Operation operation,
      const std::string& default_region = "");

  absl::StatusOr<JobRecord> GetJob(const Requester& who,
                                   const std::string& job_id);
  // The team's newest jobs first, at most `limit` (of `audience_id` when
  // not empty, looked for among the newest 1,000).
  absl::StatusOr<std::vector<JobRecord>> ListJobs(
      const Requester& who, const std::string& audience_id, int limit);
  // One page of ListJobs.
  absl::StatusOr<Page<JobRecord>> ListJobsPage(const Requester& who,
                                               const std::string& audience_id,
                                               const PageRequest& page);

  // The job an earlier upload under the same request_id made, when that
  // upload committed it (QUEUED or later). A job still RECEIVING (its
  // stream died before committing) is marked FAILED (ABORTED, superseded)
  // and nullopt returned, as for a job that does not exist.
  absl::StatusOr<std::optional<JobRecord>> CommittedJob(
      const Requester& who, const std::string& job_id);

  const identifiers::Normalizer& normalizer() const { return normalizer_; }

 private:
  AudienceStore* store_;
  JobQueue* queue_;
  AudienceRegistry* audiences_;
  identifiers::Normalizer normalizer_;
  size_t chunk_digests_;
};

}  // namespace ttads::audience

#endif  // TTADS_SERVICES_AUDIENCE_MEMBER_SYNC_H_
