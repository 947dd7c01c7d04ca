#include "services/audience/audience_server.h"

#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "libs/status/status_macros.h"

namespace ttads::audience {
namespace {

class ResolverTokens : public TokenSource {
 public:
  explicit ResolverTokens(connections::TokenResolver* resolver)
      : resolver_(resolver) {}
  absl::StatusOr<std::string> Token(const std::string& team,
                                    const std::string& member,
                                    const std::string& role,
                                    const std::string& advertiser) override {
    TTADS_ASSIGN_OR_RETURN(
        auto resolved, resolver_->Resolve({team, member, role}, advertiser));
    return resolved.access_token;
  }

 private:
  connections::TokenResolver* resolver_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<AudienceServer>> AudienceServer::Create(
    const config::Config& config) {
  TTADS_ASSIGN_OR_RETURN(AudienceConfig typed, AudienceConfigFrom(config));
  return Create(typed);
}

absl::StatusOr<std::unique_ptr<AudienceServer>> AudienceServer::Create(
    const AudienceConfig& config) {
  std::unique_ptr<AudienceServer> s(new AudienceServer());
  TTADS_ASSIGN_OR_RETURN(
      s->kit_, service_kit::ServiceKit::Create(config.common, "audience"));
  s->tiktok_ = NewClientAudienceApi(&s->kit_->tiktok());
  s->store_ = std::make_unique<AudienceStore>(&s->kit_->redis());
  s->queue_ =
      std::make_unique<RedisJobQueue>(&s->kit_->redis(), config.claim_idle);
  s->tokens_ = std::make_unique<ResolverTokens>(&s->kit_->tokens());
  s->audiences_ = std::make_unique<AudienceRegistry>(
      s->store_.get(), s->tiktok_.get(), s->tokens_.get(),
      absl::ToInt64Seconds(config.refresh_interval));
  s->sync_ = std::make_unique<MemberSync>(
      s->store_.get(), s->queue_.get(), s->audiences_.get(), config.normalizer,
      static_cast<size_t>(config.chunk_digests));
  s->disqualifier_ = std::make_unique<Disqualifier>(
      s->store_.get(), s->audiences_.get(), config.normalizer);
  s->idempotency_ =
      std::make_unique<idempotency::IdempotencyStore>(&s->kit_->redis());
  s->mutations_ = std::make_unique<AudienceMutations>(
      s->idempotency_.get(), s->audiences_.get(), s->disqualifier_.get());
  s->refresh_ =
      std::make_unique<RefreshCycle>(s->store_.get(), s->queue_.get());
  const std::string host = [] {
    char buf[256] = {0};
    ::gethostname(buf, sizeof(buf) - 1);
    return std::string(buf);
  }();
  s->queue_metrics_ =
      std::make_unique<QueueMetrics>(s->kit_->runner().metrics().registry(),
                                     s->queue_.get(), absl::Seconds(5));
  for (int i = 0; i < config.workers; ++i) {
    WorkerOptions wo;
    wo.on_finished = [metrics = s->queue_metrics_.get()](JobState state) {
      metrics->Finished(state);
    };
    wo.consumer = absl::StrCat(host, "-", ::getpid(), "-", i);
    wo.temp_dir = config.temp_dir;
    wo.max_file_bytes = config.max_file_bytes;
    s->workers_.push_back(
        std::make_unique<SyncWorker>(s->store_.get(), s->queue_.get(),
                                     s->tiktok_.get(), s->tokens_.get(), wo));
  }
  s->scheduler_ = std::make_unique<RefreshScheduler>(s->refresh_.get(),
                                                     config.scheduler_every);
  s->watch_ =
      std::make_unique<JobWatchHub>(s->store_.get(), JobWatchHub::Options{});
  s->service_ = std::make_unique<AudienceServiceImpl>(
      &s->kit_->env(), AudienceDomain{.audiences = s->audiences_.get(),
                                      .mutations = s->mutations_.get(),
                                      .sync = s->sync_.get(),
                                      .idempotency = s->idempotency_.get(),
                                      .watch = s->watch_.get()});
  s->kit_->runner().AddService(s->service_.get(),
                               v1::AudienceService::service_full_name());
  return s;
}

void AudienceServer::StartBackground() {
  for (auto& w : workers_) w->Start();
  scheduler_->Start();
  watch_->Start();
  queue_metrics_->Start();
}

void AudienceServer::StopBackground() {
  if (queue_metrics_) queue_metrics_->Stop();
  if (watch_) watch_->Stop();
  if (scheduler_) scheduler_->Stop();
  for (auto& w : workers_) w->Stop();
}

AudienceServer::~AudienceServer() { StopBackground(); }

}  // namespace ttads::audience
