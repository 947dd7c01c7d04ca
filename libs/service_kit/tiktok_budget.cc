#include "libs/service_kit/tiktok_budget.h"

#include <utility>

#include "absl/time/clock.h"
#include "libs/server/call_context.h"

namespace ttads::service_kit {
namespace {

std::string TeamLabel(const std::string& team) {
  return team.empty() ? "none" : team;
}

}  // namespace

double TeamBudgetWeight(std::string_view tier) {
  if (tier == auth::kTierEnterprise) return 4;
  if (tier == auth::kTierStandard) return 2;
  return 1;
}

double TeamWeights::Weight(const std::string& team_id) {
  if (team_id.empty() || teams_ == nullptr) return 1;
  absl::Time now = absl::Now();
  {
    absl::MutexLock lock(&mu_);
    auto it = cache_.find(team_id);
    if (it != cache_.end() && it->second.expires > now) {
      return it->second.weight;
    }
  }
  absl::StatusOr<auth::Team> team = teams_->GetTeam(team_id);
  double weight = team.ok() ? TeamBudgetWeight(team->tier) : 1;
  absl::MutexLock lock(&mu_);
  cache_[team_id] = Entry{weight, now + ttl_};
  return weight;
}

BudgetMetrics::BudgetMetrics(prometheus::Registry& registry)
    : granted_(&prometheus::BuildCounter()
                    .Name("ttads_tiktok_budget_granted_total")
                    .Help("TikTok rate-limit slots granted, by class and team")
                    .Register(registry)),
      wait_(&prometheus::BuildHistogram()
                 .Name("ttads_tiktok_budget_wait_seconds")
                 .Help("Time a TikTok call waited for its rate-limit slot "
                       "(queued in the client plus the slot's own wait)")
                 .Register(registry)),
      deferrals_(&prometheus::BuildCounter()
                      .Name("ttads_tiktok_budget_deferrals_total")
                      .Help("Background/bulk TikTok calls told to wait, by "
                            "class, team and reason")
                      .Register(registry)),
      rejected_(&prometheus::BuildCounter()
                     .Name("ttads_tiktok_budget_rejected_total")
                     .Help("TikTok calls failed for want of a slot before "
                           "their deadline")
                     .Register(registry)) {}

void BudgetMetrics::OnGranted(const tiktok::BudgetTag& tag,
                              absl::Duration waited) {
  absl::ReaderMutexLock lock(&mu_);
  if (detached_) return;
  std::string work_class(tiktok::WorkClassName(tag.work_class));
  granted_->Add({{"class", work_class}, {"team", TeamLabel(tag.team_id)}})
      .Increment();
  static const prometheus::Histogram::BucketBoundaries kBuckets = {
      0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
  wait_->Add({{"class", work_class}}, kBuckets)
      .Observe(absl::ToDoubleSeconds(waited));
}

void BudgetMetrics::OnDeferred(const tiktok::BudgetTag& tag,
                               tiktok::Deferral deferral) {
  absl::ReaderMutexLock lock(&mu_);
  if (detached_) return;
  deferrals_
      ->Add(
          {{"class", std::string(tiktok::WorkClassName(tag.work_class))},
           {"team", TeamLabel(tag.team_id)},
           {"reason", deferral == tiktok::Deferral::kOverShare ? "over_share"
                                                               : "lane_busy"}})
      .Increment();
}

void BudgetMetrics::OnRejected(const tiktok::BudgetTag& tag) {
  absl::ReaderMutexLock lock(&mu_);
  if (detached_) return;
  rejected_
      ->Add({{"class", std::string(tiktok::WorkClassName(tag.work_class))},
             {"team", TeamLabel(tag.team_id)}})
      .Increment();
}

void BudgetMetrics::Detach() {
  absl::MutexLock lock(&mu_);
  detached_ = true;
}

void AttachBudget(tiktok::ClientOptions& options, TeamWeights* weights,
                  std::shared_ptr<BudgetMetrics> metrics) {
  options.ambient_budget = [] {
    const server::CallContext* call = server::CurrentCall();
    return tiktok::BudgetTag{tiktok::WorkClass::kInteractive,
                             call != nullptr ? call->caller.team_id : "", 0};
  };
  if (weights != nullptr) {
    options.team_weight = [weights](const std::string& team) {
      return weights->Weight(team);
    };
  }
  options.budget_observer = std::move(metrics);
}

}  // namespace ttads::service_kit
