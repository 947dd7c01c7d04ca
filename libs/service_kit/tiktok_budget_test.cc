#include "libs/service_kit/tiktok_budget.h"

#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "libs/auth/in_memory_team_store.h"
#include "libs/server/call_context.h"
#include "libs/testing/status_matchers.h"
#include "prometheus/registry.h"

namespace ttads::service_kit {
namespace {

using ::ttads::testing::IsOk;

TEST(TeamBudgetWeightTest, ByTier) {
  EXPECT_EQ(TeamBudgetWeight("free"), 1);
  EXPECT_EQ(TeamBudgetWeight("standard"), 2);
  EXPECT_EQ(TeamBudgetWeight("enterprise"), 4);
  EXPECT_EQ(TeamBudgetWeight("unknown"), 1);
}

TEST(TeamWeightsTest, ReadsTheTierAndCachesIt) {
  auth::InMemoryTeamStore teams;
  absl::StatusOr<auth::Team> team =
      teams.CreateTeam("Acme", "enterprise", true);
  ASSERT_THAT(team, IsOk());
  TeamWeights weights(&teams, absl::Hours(1));
  EXPECT_EQ(weights.Weight(team->id), 4);
  ASSERT_THAT(teams.SetTier(team->id, "free"), IsOk());
  EXPECT_EQ(weights.Weight(team->id), 4);  // cached
  TeamWeights fresh(&teams, absl::ZeroDuration());
  EXPECT_EQ(fresh.Weight(team->id), 1);
  EXPECT_EQ(fresh.Weight("tm_missing"), 1);
  EXPECT_EQ(fresh.Weight(""), 1);
}

double Value(prometheus::Registry& registry, const std::string& family,
             const std::map<std::string, std::string>& labels) {
  for (const prometheus::MetricFamily& f : registry.Collect()) {
    if (f.name != family) continue;
    for (const prometheus::ClientMetric& m : f.metric) {
      std::map<std::string, std::string> have;
      for (const prometheus::ClientMetric::Label& l : m.label) {
        have[l.name] = l.value;
      }
      if (have != labels) continue;
      if (f.type == prometheus::MetricType::Histogram) {
        return static_cast<double>(m.histogram.sample_count);
      }
      return m.counter.value;
    }
  }
  return -1;
}

TEST(BudgetMetricsTest, CountsPerClassAndTeam) {
  prometheus::Registry registry;
  BudgetMetrics metrics(registry);
  tiktok::BudgetTag background{tiktok::WorkClass::kBackground, "tm_a", 1};
  tiktok::BudgetTag interactive{tiktok::WorkClass::kInteractive, "", 1};
  metrics.OnGranted(background, absl::Milliseconds(30));
  metrics.OnGranted(background, absl::Milliseconds(300));
  metrics.OnGranted(interactive, absl::ZeroDuration());
  metrics.OnDeferred(background, tiktok::Deferral::kOverShare);
  metrics.OnDeferred(background, tiktok::Deferral::kLaneBusy);
  metrics.OnRejected(background);
  EXPECT_EQ(Value(registry, "ttads_tiktok_budget_granted_total",
                  {{"class", "background"}, {"team", "tm_a"}}),
            2);
  EXPECT_EQ(Value(registry, "ttads_tiktok_budget_granted_total",
                  {{"class", "interactive"}, {"team", "none"}}),
            1);
  EXPECT_EQ(Value(registry, "ttads_tiktok_budget_wait_seconds",
                  {{"class", "background"}}),
            2);
  EXPECT_EQ(Value(registry, "ttads_tiktok_budget_deferrals_total",
                  {{"class", "background"},
                   {"team", "tm_a"},
                   {"reason", "over_share"}}),
            1);
  EXPECT_EQ(Value(registry, "ttads_tiktok_budget_rejected_total",
                  {{"class", "background"}, {"team", "tm_a"}}),
            1);
  metrics.Detach();
  metrics.OnRejected(background);
  EXPECT_EQ(Value(registry, "ttads_tiktok_budget_rejected_total",
                  {{"class", "background"}, {"team", "tm_a"}}),
            1);
}

TEST(AttachBudgetTest, CallsServingAGrpcCallAreTheCallersInteractiveWork) {
  tiktok::ClientOptions options;
  TeamWeights weights(nullptr);
  AttachBudget(options, &weights, nullptr);
  EXPECT_EQ(options.ambient_budget().team_id, "");
  server::CallContext call;
  call.caller.team_id = "tm_7";
  {
    server::ScopedCurrentCall current(&call);
    tiktok::BudgetTag tag = options.ambient_budget();
    EXPECT_EQ(tag.work_class, tiktok::WorkClass::kInteractive);
    EXPECT_EQ(tag.team_id, "tm_7");
  }
  EXPECT_EQ(options.ambient_budget().team_id, "");
  EXPECT_EQ(options.team_weight("tm_7"), 1);
}

}  // namespace
}  // namespace ttads::service_kit
