#include "services/audience/sync_session.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "libs/status/status_macros.h"

namespace ttads::audience {

SyncSession::SyncSession(AudienceStore* store, JobQueue* queue, JobRecord job,
                         identifiers::Normalizer normalizer,
                         size_t chunk_digests)
    : store_(store),
      queue_(queue),
      job_(std::move(job)),
      normalizer_(std::move(normalizer)),
      spool_(store, job_.team_id, job_.id, &normalizer_, chunk_digests) {}

absl::Status SyncSession::AddBatch(IdType type, const std::string* values,
                                   size_t n) {
  return spool_.AddBatch(type, values, n);
}

absl::Status SyncSession::AddBatch(
    IdType type, size_t n,
    const std::function<const std::string&(size_t)>& value_at) {
  return spool_.AddBatch(type, n, value_at);
}

absl::StatusOr<JobRecord> SyncSession::Finish() {
  // Not a plain early return: a spool that cannot flush fails the job.
  if (absl::Status s = spool_.Finish(); !s.ok()) {
    Abort(s);
    return s;
  }
  TTADS_RETURN_IF_ERROR(
      store_->SetJobState(job_.team_id, job_.id, JobState::kQueued));
  TTADS_RETURN_IF_ERROR(queue_->Enqueue(job_.team_id, job_.id));
  return store_->GetJob(job_.team_id, job_.id);
}

void SyncSession::Abort(const absl::Status& why) {
  (void)store_->FailJob(
      job_.team_id, job_.id,
      absl::Status(why.code(),
                   absl::StrCat("stream aborted: ", why.message())));
}

void SyncSession::Discard() {
  // The counts and chunk numbers the spool wrote are in the job record.
  auto job = store_->GetJob(job_.team_id, job_.id);
  (void)store_->DeleteJob(job.ok() ? *job : job_);
}

}  // namespace ttads::audience
