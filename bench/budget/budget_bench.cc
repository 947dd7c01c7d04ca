// ttads-budget-bench: one TikTok app's budget shared by interactive calls
// and 3x its worth of background work, with priorities on and off
// (bench/README.md, "TikTok budget"; docs/tiktok-client.md).
//
// Two replicas (two tiktok::Clients, each with its own Redis connection and
// RedisRateLimiter) share a private redis-server and the simulator at the
// basic tier (10 QPS per wall-clock second, 40100 beyond; the limiter
// spends 9). Load:
//  - team tm_watch: `--watchers` ad watchers on replica A, each polling
//    /ad/get/ every `--poll_interval` (150 x 1 per 5 s = 30 QPS alone);
//  - teams tm_sync_b (replica A) and tm_sync_c (replica B): a large sync
//    each, `--sync_threads` callers looping on
//    /dmp/custom_audience/list/;
//  - tm_ui: `--interactive_qps` per replica of /ad/create/ and
//    /identity/get/ alternately, each with a 10 s deadline (a person
//    waiting).
// Mode "on": background work is tagged background (its team's fair share,
// pollers' AdaptiveInterval); mode "off": every call is interactive and
// pollers keep their interval (the limiter before budget classes).
// Reported per mode: interactive wait added by the limiter (p50/p99, from
// the calls' BudgetScope), each background team's share of background
// calls against its fair share (1/3), throttling errors surfaced
// (RESOURCE_EXHAUSTED to the caller) per class, and client retries.
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "libs/testing/private_redis.h"
#include "libs/tiktok/adaptive_interval.h"
#include "libs/tiktok/budget.h"
#include "libs/tiktok/client.h"
#include "libs/tiktok/error_class.h"
#include "libs/tiktok/redis_rate_limiter.h"
#include "tools/tiktok_sim/seed.h"
#include "tools/tiktok_sim/sim.h"

ABSL_FLAG(absl::Duration, duration, absl::Seconds(60), "measured per mode");
ABSL_FLAG(absl::Duration, warmup, absl::Seconds(15), "not measured");
ABSL_FLAG(int, watchers, 150, "watched advertisers (one poller each)");
ABSL_FLAG(absl::Duration, poll_interval, absl::Seconds(5), "poll interval");
ABSL_FLAG(int, sync_threads, 8, "callers per large sync");
ABSL_FLAG(double, interactive_qps, 0.5, "interactive calls/s per replica");
ABSL_FLAG(std::string, modes, "on,off", "comma-separated: on, off");

namespace ttads::bench {
namespace {

namespace seed = tiktok_sim::seed;
using tiktok::BudgetScope;
using tiktok::BudgetTag;
using tiktok::HttpCall;
using tiktok::WorkClass;

struct Results {
  std::mutex mu;
  std::vector<double> interactive_wait_ms;
  std::map<std::string, int64_t> background_ok;  // team -> calls
  std::map<std::string, int64_t> throttled;      // "interactive"/"background"
  std::map<std::string, int64_t> other_errors;
  int64_t interactive_ok = 0;
  int64_t stretched_polls = 0;
  int64_t polls = 0;
};

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t i = std::min(v.size() - 1, static_cast<size_t>(p * v.size()));
  return v[i];
}

class Mode {
 public:
  Mode(bool priorities, tiktok_sim::TikTokSim* sim,
       const testing::PrivateRedis& redis, std::string token)
      : priorities_(priorities), token_(std::move(token)) {
    for (int i = 0; i < 2; ++i) {
      pools_.push_back(*redis.Connect());
      tiktok::RateLimitPolicy policy;
      policy.tier = tiktok::Tier::kBasic;
      tiktok::ClientOptions options;
      options.base_url = sim->base_url();
      options.app_id = "ttads-local-app";
      options.app_secret = "local-sim-secret";
      options.rate_limiter = std::make_shared<tiktok::RedisRateLimiter>(
          pools_.back().get(), policy);
      clients_.push_back(*tiktok::Client::Create(std::move(options)));
    }
  }

  Results& Run(absl::Duration warmup, absl::Duration duration) {
    end_ = absl::Now() + warmup + duration + absl::Seconds(1);
    const int watchers = absl::GetFlag(FLAGS_watchers);
    const int sync_threads = absl::GetFlag(FLAGS_sync_threads);
    for (int i = 0; i < watchers; ++i) {
      threads_.emplace_back([this, i] { Watch(i); });
    }
    for (int i = 0; i < sync_threads; ++i) {
      threads_.emplace_back([this] { Sync(0, "tm_sync_b"); });
      threads_.emplace_back([this] { Sync(1, "tm_sync_c"); });
    }
    for (int replica = 0; replica < 2; ++replica) {
      threads_.emplace_back([this, replica] { Interact(replica); });
    }
    absl::SleepFor(warmup);
    measuring_ = true;
    absl::SleepFor(duration);
    measuring_ = false;
    stop_.Notify();
    // Every call's deadline is at most end_, so the threads return by then.
    for (std::thread& t : threads_) t.join();
    clients_.clear();
    return results_;
  }

 private:
  absl::Time Deadline(absl::Duration timeout) const {
    return std::min(absl::Now() + timeout, end_);
  }

  BudgetTag Tag(WorkClass work_class, const std::string& team) const {
    return {priorities_ ? work_class : WorkClass::kInteractive, team, 1};
  }

  void Record(const absl::StatusOr<tiktok::Envelope>& r, bool interactive,
              const std::string& team, absl::Duration waited) {
    if (!measuring_) return;
    std::lock_guard<std::mutex> lock(results_.mu);
    std::string klass = interactive ? "interactive" : "background";
    if (r.ok()) {
      if (interactive) {
        ++results_.interactive_ok;
        results_.interactive_wait_ms.push_back(
            absl::ToDoubleMilliseconds(waited));
      } else {
        ++results_.background_ok[team];
      }
    } else if (r.status().code() == absl::StatusCode::kResourceExhausted) {
      // TikTok's own throttle (40100 after the client's retries) or the
      // limiter's refusal (no slot before the deadline; nothing sent).
      std::optional<tiktok::TikTokErrorInfo> info =
          tiktok::GetTikTokErrorInfo(r.status());
      bool tiktok_said = info.has_value() && info->code != 0;
      ++results_.throttled[absl::StrCat(klass,
                                        tiktok_said ? "/40100" : "/refused")];
    } else if (r.status().code() != absl::StatusCode::kCancelled) {
      ++results_.other_errors[klass];
    }
  }

  void Watch(int i) {
    BudgetScope scope(Tag(WorkClass::kBackground, "tm_watch"));
    const absl::Duration base = absl::GetFlag(FLAGS_poll_interval);
    tiktok::AdaptiveInterval pace({.base = base, .max = base * 12});
    // Spread the first polls over one interval.
    if (stop_.WaitForNotificationWithTimeout(base * i /
                                             absl::GetFlag(FLAGS_watchers))) {
      return;
    }
    while (!stop_.HasBeenNotified()) {
      auto r = clients_[0]->Call(
          HttpCall::Get(
              "ad/get/",
              {{"advertiser_id", seed::kAdvertiserTtUser}, {"page_size", 100}},
              token_),
          Deadline(absl::Seconds(30)));
      tiktok::BudgetUsage::Snapshot usage = scope.TakeUsage();
      Record(r, false, "tm_watch", usage.waited);
      absl::Duration pause = priorities_ ? pace.Next(usage) : base;
      if (measuring_) {
        std::lock_guard<std::mutex> lock(results_.mu);
        ++results_.polls;
        results_.stretched_polls += pause > base;
      }
      if (stop_.WaitForNotificationWithTimeout(pause)) return;
    }
  }

  void Sync(int replica, const std::string& team) {
    BudgetScope scope(Tag(WorkClass::kBackground, team));
    while (!stop_.HasBeenNotified()) {
      auto r = clients_[replica]->Call(
          HttpCall::Get("dmp/custom_audience/list/",
                        {{"advertiser_id", seed::kAdvertiserTtUser}}, token_),
          Deadline(absl::Seconds(60)));
      Record(r, false, team, scope.TakeUsage().waited);
      if (!r.ok() && r.status().code() == absl::StatusCode::kCancelled) return;
      if (!r.ok()) {  // as the sync worker does: retry the chunk later
        std::optional<tiktok::TikTokErrorInfo> info =
            tiktok::GetTikTokErrorInfo(r.status());
        absl::Duration later = std::clamp(
            info.has_value() ? info->retry_delay : absl::ZeroDuration(),
            absl::Milliseconds(200), absl::Seconds(5));
        if (stop_.WaitForNotificationWithTimeout(later)) return;
      }
    }
  }

  void Interact(int replica) {
    const absl::Duration every =
        absl::Seconds(1) / absl::GetFlag(FLAGS_interactive_qps);
    int n = replica;
    while (!stop_.WaitForNotificationWithTimeout(every)) {
      BudgetScope scope(BudgetTag{WorkClass::kInteractive, "tm_ui", 1});
      HttpCall call =
          n++ % 2 == 0
              ? HttpCall::Post(
                    "ad/create/",
                    {{"advertiser_id", seed::kAdvertiserTtUser},
                     {"adgroup_id", seed::AdGroupId(1, 1)},
                     {"creatives",
                      {{{"ad_name", "budget bench"},
                        {"ad_format", "SINGLE_VIDEO"},
                        {"identity_type", "TT_USER"},
                        {"identity_id", seed::kIdentityTtUser},
                        {"tiktok_item_id", seed::kItemTtUser2},
                        {"ad_text", "budget bench"},
                        {"call_to_action", "SHOP_NOW"},
                        {"landing_page_url", "https://example.com"}}}}},
                    token_)
              : HttpCall::Get("identity/get/",
                              {{"advertiser_id", seed::kAdvertiserTtUser}},
                              token_);
      // Asynchronous, so a slow call does not delay the next one.
      auto usage = scope.usage();
      clients_[replica]->Send(
          std::move(call), absl::Now() + absl::Seconds(10),
          [this, usage](absl::StatusOr<tiktok::Envelope> r) {
            Record(r, true, "tm_ui", usage->Take().waited);
          });
    }
  }

  const bool priorities_;
  const std::string token_;
  std::vector<std::unique_ptr<store::RedisPool>> pools_;
  std::vector<std::unique_ptr<tiktok::Client>> clients_;
  std::vector<std::thread> threads_;
  absl::Notification stop_;
  std::atomic<bool> measuring_{false};
  absl::Time end_;
  Results results_;
};

void Print(const std::string& mode, Results& r, absl::Duration duration) {
  int64_t background = 0;
  for (const auto& [team, n] : r.background_ok) background += n;
  std::printf("mode %s\n", mode.c_str());
  std::printf(
      "  interactive ok %lld, wait added p50 %.0f ms, p99 %.0f ms, "
      "max %.0f ms\n",
      static_cast<long long>(r.interactive_ok),
      Percentile(r.interactive_wait_ms, 0.5),
      Percentile(r.interactive_wait_ms, 0.99),
      Percentile(r.interactive_wait_ms, 1.0));
  std::printf("  background ok %lld (%.1f/s)\n",
              static_cast<long long>(background),
              background / absl::ToDoubleSeconds(duration));
  for (const auto& [team, n] : r.background_ok) {
    std::printf("    %-10s %5lld  share %5.1f%%  (fair 33.3%%)\n", team.c_str(),
                static_cast<long long>(n),
                background > 0 ? 100.0 * n / background : 0.0);
  }
  std::printf(
      "  RESOURCE_EXHAUSTED surfaced (refused: no limiter slot before the "
      "deadline, nothing sent; 40100: TikTok's throttle):");
  if (r.throttled.empty()) std::printf(" none");
  for (const auto& [what, n] : r.throttled) {
    std::printf(" %s %lld", what.c_str(), static_cast<long long>(n));
  }
  std::printf("\n  other errors:");
  for (const auto& [what, n] : r.other_errors) {
    std::printf(" %s %lld", what.c_str(), static_cast<long long>(n));
  }
  std::printf("\n  polls %lld, with a stretched pause after %lld\n",
              static_cast<long long>(r.polls),
              static_cast<long long>(r.stretched_polls));
  std::fflush(stdout);
}

int Main() {
  auto redis = testing::PrivateRedis::Start();
  if (!redis.ok()) {
    std::fprintf(stderr, "redis: %s\n", redis.status().ToString().c_str());
    return 1;
  }
  tiktok_sim::TikTokSim::Options sim_options;
  sim_options.tier = tiktok_sim::Tier::kBasic;
  auto sim = tiktok_sim::TikTokSim::Start(sim_options);
  if (!sim.ok()) {
    std::fprintf(stderr, "sim: %s\n", sim.status().ToString().c_str());
    return 1;
  }
  std::string token = (*sim)->IssueAccessToken({seed::kAdvertiserTtUser});
  const absl::Duration duration = absl::GetFlag(FLAGS_duration);
  for (absl::string_view mode :
       absl::StrSplit(absl::GetFlag(FLAGS_modes), ',')) {
    (void)(*redis)->pool()->Command({"FLUSHALL"});
    absl::SleepFor(absl::Seconds(2));  // the previous mode's second is over
    Mode run(mode == "on", sim->get(), **redis, token);
    Results& results = run.Run(absl::GetFlag(FLAGS_warmup), duration);
    Print(std::string(mode), results, duration);
  }
  return 0;
}

}  // namespace
}  // namespace ttads::bench

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return ttads::bench::Main();
}
