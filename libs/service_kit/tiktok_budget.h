#ifndef TTADS_LIBS_SERVICE_KIT_TIKTOK_BUDGET_H_
#define TTADS_LIBS_SERVICE_KIT_TIKTOK_BUDGET_H_

#include <string>
#include <string_view>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "libs/auth/team_store.h"
#include "libs/tiktok/budget.h"
#include "libs/tiktok/client.h"
#include "prometheus/counter.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"

namespace ttads::service_kit {

// A team's weight in the TikTok budget's background and bulk lanes, by its
// plan tier (docs/tiktok-client.md): free 1, standard 2, enterprise 4;
// anything else 1.
double TeamBudgetWeight(std::string_view tier);

// Team id -> weight, from the team store, each answer kept for `ttl` (a
// tier change reaches the limiter within it). A team that cannot be read
// weighs 1 until the next lookup. Thread-safe; blocks only on a miss.
class TeamWeights {
 public:
  TeamWeights(auth::TeamStore* teams, absl::Duration ttl = absl::Minutes(1))
      : teams_(teams), ttl_(ttl) {}
  double Weight(const std::string& team_id);

 private:
  struct Entry {
    double weight;
    absl::Time expires;
  };
  auth::TeamStore* const teams_;
  const absl::Duration ttl_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, Entry> cache_ ABSL_GUARDED_BY(mu_);
};

// Exports the TikTok client's budget decisions on a process' registry:
//   ttads_tiktok_budget_granted_total{class,team}     slots granted
//   ttads_tiktok_budget_wait_seconds{class}           queue + slot wait
//   ttads_tiktok_budget_deferrals_total{class,team,reason}
//                                       reason: lane_busy | over_share
//   ttads_tiktok_budget_rejected_total{class,team}    no slot by deadline
// Team "" is exported as "none".
class BudgetMetrics : public tiktok::BudgetObserver {
 public:
  explicit BudgetMetrics(prometheus::Registry& registry);
  void OnGranted(const tiktok::BudgetTag& tag, absl::Duration waited) override;
  void OnDeferred(const tiktok::BudgetTag& tag,
                  tiktok::Deferral deferral) override;
  void OnRejected(const tiktok::BudgetTag& tag) override;
  // From now on records nothing (the registry is about to go).
  void Detach();

 private:
  absl::Mutex mu_;
  bool detached_ ABSL_GUARDED_BY(mu_) = false;
  prometheus::Family<prometheus::Counter>* granted_;
  prometheus::Family<prometheus::Histogram>* wait_;
  prometheus::Family<prometheus::Counter>* deferrals_;
  prometheus::Family<prometheus::Counter>* rejected_;
};

// Sets the budget hooks of TikTok client options for a service: calls made
// while serving a gRPC call are interactive and attributed to the caller's
// team (server::CurrentCall); weights come from `weights`; decisions go to
// `metrics` (either may be null).
void AttachBudget(tiktok::ClientOptions& options, TeamWeights* weights,
                  std::shared_ptr<BudgetMetrics> metrics);

}  // namespace ttads::service_kit

#endif  // TTADS_LIBS_SERVICE_KIT_TIKTOK_BUDGET_H_
