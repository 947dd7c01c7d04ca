#include "services/audience/member_sync.h"

#include <utility>

#include "absl/time/clock.h"
#include "libs/status/status.h"
#include "libs/status/status_macros.h"
#include "services/audience/request_rules.h"

namespace ttads::audience {

MemberSync::MemberSync(AudienceStore* store, JobQueue* queue,
                       AudienceRegistry* audiences,
                       identifiers::NormalizerOptions normalizer,
                       size_t chunk_digests)
    : store_(store),
      queue_(queue),
      audiences_(audiences),
      normalizer_(std::move(normalizer)),
      chunk_digests_(chunk_digests) {}

absl::StatusOr<std::unique_ptr<SyncSession>> MemberSync::Begin(
    const Requester& who, const std::string& advertiser_id,
    const std::string& audience_id, Operation operation,
    const std::string& default_region) {
  if (audience_id.empty()) {
    return status::InvalidArgument(
        "the first message must name the audience",
        {{"audience_id", "required on the first message"}});
  }
  if (operation != Operation::kAdd && operation != Operation::kRemove) {
    return status::InvalidArgument("operation must be ADD or REMOVE",
                                   {{"operation", "must be ADD or REMOVE"}});
  }
  TTADS_ASSIGN_OR_RETURN(const std::string region,
                         CanonicalRegionOrError(default_region));
  TTADS_ASSIGN_OR_RETURN(const AudienceRecord a,
                         audiences_->Owned(who, advertiser_id, audience_id));
  JobRecord job;
  job.id = NewRecordId("job_");
  job.team_id = who.team_id;
  job.audience_id = a.id;
  job.advertiser_id = a.advertiser_id;
  job.operation = operation;
  job.state = JobState::kReceiving;
  job.source = JobSource::kSync;
  job.member_id = a.member_id;
  job.role = a.role;
  job.create_time = job.update_time = absl::Now();
  TTADS_RETURN_IF_ERROR(store_->PutJob(job));
  return std::make_unique<SyncSession>(store_, queue_, std::move(job),
                                       NormalizerFor(normalizer_, region, a),
                                       chunk_digests_);
}

absl::StatusOr<JobRecord> MemberSync::GetJob(const Requester& who,
                                             const std::string& job_id) {
  return store_->GetJob(who.team_id, job_id);
}

absl::StatusOr<std::vector<JobRecord>> MemberSync::ListJobs(
    const Requester& who, const std::string& audience_id, int limit) {
  auto jobs = store_->ListJobs(who.team_id, audience_id.empty() ? limit : 1000);
  if (!jobs.ok() || audience_id.empty()) return jobs;
  std::vector<JobRecord> out;
  for (auto& j : *jobs) {
    if (j.audience_id == audience_id && static_cast<int>(out.size()) < limit) {
      out.push_back(std::move(j));
    }
  }
  return out;
}

absl::StatusOr<Page<JobRecord>> MemberSync::ListJobsPage(
    const Requester& who, const std::string& audience_id,
    const PageRequest& page) {
  // One more than the page tells whether a next page exists.
  TTADS_ASSIGN_OR_RETURN(
      std::vector<JobRecord> jobs,
      ListJobs(who, audience_id, static_cast<int>(page.start + page.size + 1)));
  Page<JobRecord> out;
  for (size_t i = page.start; i < jobs.size() && i < page.start + page.size;
       ++i) {
    out.items.push_back(std::move(jobs[i]));
  }
  out.next_page_token = page.NextToken(jobs.size());
  return out;
}

absl::StatusOr<std::optional<JobRecord>> MemberSync::CommittedJob(
    const Requester& who, const std::string& job_id) {
  auto job = store_->GetJob(who.team_id, job_id);
  if (absl::IsNotFound(job.status())) return std::nullopt;
  TTADS_RETURN_IF_ERROR(job.status());
  if (job->state == JobState::kReceiving) {
    (void)store_->FailJob(
        who.team_id, job->id,
        absl::AbortedError("superseded by a retry of its request_id"));
    return std::nullopt;
  }
  return *std::move(job);
}

}  // namespace ttads::audience
