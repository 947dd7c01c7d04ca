#ifndef TTADS_SERVICES_AUDIENCE_SYNC_SESSION_H_
#define TTADS_SERVICES_AUDIENCE_SYNC_SESSION_H_

#include <cstddef>
#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "libs/identifiers/identifiers.h"
#include "services/audience/audience_store.h"
#include "services/audience/digest_spool.h"
#include "services/audience/job_queue.h"

namespace ttads::audience {

// The receive phase of one sync job (one SyncMembers stream): batches are
// normalised, hashed and spooled to Redis as the job's chunks while the job
// is RECEIVING; Finish queues it for the workers. Exactly one of Finish,
// Abort or Discard ends a session. Made by MemberSync::Begin, which wrote
// the RECEIVING job record.
class SyncSession {
 public:
  // `normalizer` is the one the upload hashes with (NormalizerFor);
  // `chunk_digests` digests per spooled chunk.
  SyncSession(AudienceStore* store, JobQueue* queue, JobRecord job,
              identifiers::Normalizer normalizer, size_t chunk_digests);
  SyncSession(const SyncSession&) = delete;
  SyncSession& operator=(const SyncSession&) = delete;

  // One batch (one IdentifierBatch): its values are all of `type`; hashed
  // and raw values must not be mixed (the other form is counted invalid).
  absl::Status AddBatch(IdType type, const std::string* values, size_t n);
  absl::Status AddBatch(
      IdType type, size_t n,
      const std::function<const std::string&(size_t)>& value_at);
  // Flushes what is buffered, marks the job QUEUED and enqueues it; returns
  // the job as stored. A spool that cannot flush fails the job (Abort).
  absl::StatusOr<JobRecord> Finish();
  // The stream broke: the job is marked FAILED ("stream aborted: <why>",
  // with `why`'s code).
  void Abort(const absl::Status& why);
  // The upload was answered without this job (a duplicate of an earlier
  // stream with the same request_id): the job and everything spooled for it
  // are deleted.
  void Discard();

  const JobRecord& job() const { return job_; }
  // The region phone numbers without "+" are read in for this upload.
  const std::string& default_region() const {
    return normalizer_.options().default_region;
  }

 private:
  AudienceStore* store_;
  JobQueue* queue_;
  JobRecord job_;
  identifiers::Normalizer normalizer_;  // before spool_, which points to it
  DigestSpool spool_;
};

}  // namespace ttads::audience

#endif  // TTADS_SERVICES_AUDIENCE_SYNC_SESSION_H_
