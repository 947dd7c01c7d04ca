#ifndef TTADS_SERVICES_AUDIENCE_AUDIENCE_MANAGER_H_
#define TTADS_SERVICES_AUDIENCE_AUDIENCE_MANAGER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/identifiers/identifiers.h"
#include "services/audience/audience_store.h"
#include "services/audience/digest_spool.h"
#include "services/audience/job_queue.h"
#include "services/audience/sync_worker.h"
#include "services/audience/tiktok_audience_api.h"

namespace ttads::audience {

// Who calls: from the API key, never from the request.
struct Requester {
  std::string team_id;
  std::string member_id;
  std::string role;
};

struct AudienceView {
  AudienceRecord record;
  int64_t size = 0;
  bool is_valid = false;
  std::vector<std::string> history;
  int64_t pending_removals = 0;
  std::optional<absl::Time> next_refresh;
};

struct Batch {
  IdType type;
  std::vector<std::string> values;
};

// How Create writes the record (the idempotency hooks of CreateAudience).
struct CreateOptions {
  // The id to create the audience under; empty: a new one.
  std::string audience_id;
  // Called with the id once the request is valid, just before the record
  // is written; an error stops the create (nothing is written).
  std::function<absl::Status(const std::string& audience_id)> before_write;
};

struct ManagerOptions {
  identifiers::NormalizerOptions normalizer;
  // Digests per spooled chunk (32 bytes each; 262144 = 8 MiB per type).
  size_t chunk_digests = 262144;
  int64_t default_refresh_interval_seconds = 86400;
};

// The audience domain: audiences (tenant-scoped records bound to a TikTok
// customer-file audience), sync sessions that turn a stream of batches into
// a queued job, disqualification and the refresh cycle that applies it.
// Objects of another team are NOT_FOUND, never PERMISSION_DENIED.
class AudienceManager {
 public:
  AudienceManager(AudienceStore* store, JobQueue* queue,
                  TikTokAudienceApi* tiktok, TokenSource* tokens,
                  ManagerOptions options);

  // INVALID_ARGUMENT (field violations on advertiser_id, name — 1-128
  // characters —, identifier_types, refresh_interval_seconds,
  // default_region — empty or an ISO 3166-1 alpha-2 code, any case); the
  // token resolver's FAILED_PRECONDITION / PERMISSION_DENIED when the team
  // cannot reach the advertiser. `default_region` is the region phone
  // numbers without "+" are read in for this audience (empty: the
  // process-wide one).
  absl::StatusOr<AudienceView> Create(const Requester& who,
                                      const std::string& advertiser_id,
                                      const std::string& name,
                                      const std::vector<int>& types,
                                      int64_t refresh_interval_seconds,
                                      const std::string& default_region = "",
                                      const CreateOptions& create = {});
  absl::StatusOr<std::vector<AudienceRecord>> List(
      const Requester& who, const std::string& advertiser_id);
  // With TikTok's size and validity once the audience exists there.
  absl::StatusOr<AudienceView> Get(const Requester& who,
                                   const std::string& advertiser_id,
                                   const std::string& audience_id);
  absl::Status Delete(const Requester& who, const std::string& advertiser_id,
                      const std::string& audience_id);

  // One SyncMembers stream.
  class SyncSession {
   public:
    absl::Status AddBatch(IdType type, const std::string* values, size_t n);
    absl::Status AddBatch(
        IdType type, size_t n,
        const std::function<const std::string&(size_t)>& value_at);
    // Flushes, marks the job QUEUED and enqueues it.
    absl::StatusOr<JobRecord> Finish();
    // The stream broke: the job is marked FAILED.
    void Abort(const absl::Status& why);
    // The upload was answered without this job (a duplicate of an earlier
    // stream with the same request_id): the job and everything spooled for
    // it are deleted.
    void Discard();
    const JobRecord& job() const { return job_; }

    // The region phone numbers without "+" are read in for this upload.
    const std::string& default_region() const {
      return normalizer_.options().default_region;
    }

   private:
    friend class AudienceManager;
    SyncSession(AudienceManager* m, JobRecord job,
                identifiers::Normalizer normalizer);
    AudienceManager* manager_;
    JobRecord job_;
    identifiers::Normalizer normalizer_;  // before spool_, which points to it
    DigestSpool spool_;
  };
  // NOT_FOUND for an unknown (or other team's) audience; INVALID_ARGUMENT
  // for a missing operation or a `default_region` that is not an ISO
  // 3166-1 alpha-2 code. Phone numbers without "+" are read in
  // `default_region` when given, else in the audience's region, else in the
  // process-wide one.
  absl::StatusOr<std::unique_ptr<SyncSession>> BeginSync(
      const Requester& who, const std::string& advertiser_id,
      const std::string& audience_id, Operation operation,
      const std::string& default_region = "");

  absl::StatusOr<JobRecord> GetJob(const Requester& who,
                                   const std::string& job_id);
  absl::StatusOr<std::vector<JobRecord>> ListJobs(
      const Requester& who, const std::string& audience_id, int limit);

  // Queues removals for one audience (or every audience of the advertiser
  // when `audience_id` is empty), applied at each audience's next refresh.
  // Returns the audiences and the number of valid identifiers queued (per
  // audience; the largest count when regions differ). Phone numbers
  // without "+" are read in `default_region` when given, else in each
  // audience's own region (else the process-wide one).
  // INVALID_ARGUMENT when no value is a valid identifier or
  // `default_region` is not an ISO 3166-1 alpha-2 code.
  absl::StatusOr<std::pair<std::vector<std::string>, int64_t>> Disqualify(
      const Requester& who, const std::string& advertiser_id,
      const std::string& audience_id, const std::vector<Batch>& batches,
      const std::string& default_region = "");

  // Applies due refresh cycles: for each due audience with queued removals
  // (and present on TikTok), a REMOVE job is queued; the next cycle is
  // scheduled one interval later. Safe to run from several replicas: each
  // cycle is claimed atomically. Returns the jobs queued.
  absl::StatusOr<int> RefreshDue(absl::Time now);

  const identifiers::Normalizer& normalizer() const { return normalizer_; }
  AudienceStore* store() { return store_; }

 private:
  // The normaliser for an upload: `request_region` (validated by the
  // caller), else the audience's region, else the process-wide one.
  identifiers::Normalizer NormalizerFor(const std::string& request_region,
                                        const AudienceRecord& audience) const;
  absl::StatusOr<AudienceRecord> Owned(const Requester& who,
                                       const std::string& advertiser_id,
                                       const std::string& audience_id);

  AudienceStore* store_;
  JobQueue* queue_;
  TikTokAudienceApi* tiktok_;
  TokenSource* tokens_;
  ManagerOptions options_;
  identifiers::Normalizer normalizer_;
};

// A thread calling RefreshDue every `period`.
class RefreshScheduler {
 public:
  RefreshScheduler(AudienceManager* manager, absl::Duration period);
  ~RefreshScheduler();
  void Start();
  void Stop();

 private:
  AudienceManager* manager_;
  absl::Duration period_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace ttads::audience

#endif  // TTADS_SERVICES_AUDIENCE_AUDIENCE_MANAGER_H_
