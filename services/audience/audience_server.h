#ifndef TTADS_SERVICES_AUDIENCE_AUDIENCE_SERVER_H_
#define TTADS_SERVICES_AUDIENCE_AUDIENCE_SERVER_H_

#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/config/config.h"
#include "libs/idempotency/idempotency_store.h"
#include "libs/service_kit/service_kit.h"
#include "services/audience/audience_config.h"
#include "services/audience/audience_mutations.h"
#include "services/audience/audience_registry.h"
#include "services/audience/audience_service.h"
#include "services/audience/disqualifier.h"
#include "services/audience/job_queue.h"
#include "services/audience/job_watch.h"
#include "services/audience/member_sync.h"
#include "services/audience/queue_metrics.h"
#include "services/audience/refresh_cycle.h"
#include "services/audience/refresh_scheduler.h"
#include "services/audience/sync_worker.h"

namespace ttads::audience {

// The audience service assembled from its typed configuration: the shared
// kit, the domain objects, `config.workers` sync workers and the refresh
// scheduler, the WatchSyncJob poller and the job-queue metrics sampler
// (started with StartBackground(), stopped by the destructor), and the gRPC
// adapter registered on the kit's runner.
class AudienceServer {
 public:
  static absl::StatusOr<std::unique_ptr<AudienceServer>> Create(
      const AudienceConfig& config);
  // The same with AudienceConfigFrom(config) (a Config loaded with
  // AudienceSchema()).
  static absl::StatusOr<std::unique_ptr<AudienceServer>> Create(
      const config::Config& config);
  ~AudienceServer();

  service_kit::ServiceKit& kit() { return *kit_; }
  // Starts the workers and the scheduler (not the gRPC server).
  void StartBackground();
  void StopBackground();

 private:
  AudienceServer() = default;

  std::unique_ptr<service_kit::ServiceKit> kit_;
  std::unique_ptr<TikTokAudienceApi> tiktok_;
  std::unique_ptr<AudienceStore> store_;
  std::unique_ptr<RedisJobQueue> queue_;
  std::unique_ptr<TokenSource> tokens_;
  std::unique_ptr<AudienceRegistry> audiences_;
  std::unique_ptr<MemberSync> sync_;
  std::unique_ptr<Disqualifier> disqualifier_;
  std::unique_ptr<idempotency::IdempotencyStore> idempotency_;
  std::unique_ptr<AudienceMutations> mutations_;
  std::unique_ptr<RefreshCycle> refresh_;
  std::vector<std::unique_ptr<SyncWorker>> workers_;
  std::unique_ptr<RefreshScheduler> scheduler_;
  std::unique_ptr<JobWatchHub> watch_;
  std::unique_ptr<QueueMetrics> queue_metrics_;
  std::unique_ptr<AudienceServiceImpl> service_;
};

}  // namespace ttads::audience

#endif  // TTADS_SERVICES_AUDIENCE_AUDIENCE_SERVER_H_
