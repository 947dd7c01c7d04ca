// The client's budget classes: tags, deferrals, interactive-first order.
#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"
#include "libs/http/server.h"
#include "libs/testing/status_matchers.h"
#include "libs/tiktok/adaptive_interval.h"
#include "libs/tiktok/budget.h"
#include "libs/tiktok/client.h"

namespace ttads::tiktok {
namespace {

using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;

// Answers every request with success and records the paths, in order.
class OkServer {
 public:
  OkServer() {
    server_ = std::make_unique<http::HttpServer>(
        http::HttpServer::Options{},
        [this](http::HttpRequest request, http::HttpResponder responder) {
          {
            absl::MutexLock lock(&mu_);
            paths_.push_back(request.path);
          }
          responder.Send(http::HttpResponse::Json(
              200, R"({"code":0,"message":"OK","request_id":"r","data":{}})"));
        });
    EXPECT_THAT(server_->Start(), IsOk());
  }
  ~OkServer() { server_->Stop(); }
  std::string base_url() const {
    return absl::StrCat("http://127.0.0.1:", server_->port(), "/");
  }
  std::vector<std::string> paths() const {
    absl::MutexLock lock(&mu_);
    return paths_;
  }

 private:
  mutable absl::Mutex mu_;
  std::vector<std::string> paths_;
  std::unique_ptr<http::HttpServer> server_;
};

// Grants interactive calls at once; defers background/bulk calls (lane
// busy, 20 ms) while closed or for their first `defer_first` asks.
class ScriptedLimiter : public RateLimiter {
 public:
  absl::StatusOr<Reservation> Reserve(const RateLimitRequest& request,
                                      absl::Duration) override {
    absl::MutexLock lock(&mu_);
    requests.push_back(request);
    Reservation r;
    if (request.work_class == WorkClass::kInteractive ||
        (open && asks_++ >= defer_first)) {
      r.granted = true;
      granted_teams.push_back(request.team_id);
      return r;
    }
    r.deferral = Deferral::kLaneBusy;
    r.wait = absl::Milliseconds(20);
    return r;
  }
  void Open() {
    absl::MutexLock lock(&mu_);
    open = true;
  }
  std::vector<RateLimitRequest> Requests() {
    absl::MutexLock lock(&mu_);
    return requests;
  }

  absl::Mutex mu_;
  bool open = true ABSL_GUARDED_BY(mu_);
  int defer_first = 0;
  std::vector<RateLimitRequest> requests ABSL_GUARDED_BY(mu_);
  std::vector<std::string> granted_teams ABSL_GUARDED_BY(mu_);

 private:
  int asks_ ABSL_GUARDED_BY(mu_) = 0;
};

class CountingObserver : public BudgetObserver {
 public:
  void OnGranted(const BudgetTag& tag, absl::Duration) override {
    absl::MutexLock lock(&mu_);
    granted.push_back(tag.team_id);
  }
  void OnDeferred(const BudgetTag&, Deferral) override { ++deferred; }
  void OnRejected(const BudgetTag&) override { ++rejected; }
  absl::Mutex mu_;
  std::vector<std::string> granted;
  std::atomic<int> deferred{0};
  std::atomic<int> rejected{0};
};

std::unique_ptr<Client> MakeClient(const std::string& base_url,
                                   std::shared_ptr<RateLimiter> limiter,
                                   ClientOptions options = {}) {
  options.base_url = base_url;
  options.app_id = "test-app";
  options.rate_limiter = std::move(limiter);
  return *Client::Create(std::move(options));
}

absl::Time In(absl::Duration d) { return absl::Now() + d; }

TEST(ClientBudgetTest, ScopeTagsCallsAndCollectsDeferrals) {
  OkServer server;
  auto limiter = std::make_shared<ScriptedLimiter>();
  limiter->defer_first = 2;
  auto observer = std::make_shared<CountingObserver>();
  ClientOptions options;
  options.team_weight = [](const std::string& team) {
    return team == "tm_big" ? 4.0 : 1.0;
  };
  options.budget_observer = observer;
  auto client = MakeClient(server.base_url(), limiter, options);

  BudgetScope scope({WorkClass::kBackground, "tm_big"});
  ASSERT_THAT(client->Call(HttpCall::Get("ad/get/", {}), In(absl::Seconds(5))),
              IsOk());
  std::vector<RateLimitRequest> asked = limiter->Requests();
  ASSERT_EQ(asked.size(), 3u);  // deferred twice, then granted
  for (const RateLimitRequest& r : asked) {
    EXPECT_EQ(r.work_class, WorkClass::kBackground);
    EXPECT_EQ(r.team_id, "tm_big");
    EXPECT_EQ(r.weight, 4.0);
  }
  BudgetUsage::Snapshot usage = scope.TakeUsage();
  EXPECT_EQ(usage.calls, 1);
  EXPECT_EQ(usage.deferrals, 2);
  EXPECT_GT(usage.waited, absl::ZeroDuration());
  EXPECT_EQ(client->stats().limiter_deferrals, 2);
  EXPECT_EQ(observer->deferred.load(), 2);
  EXPECT_EQ(observer->granted.size(), 1u);
}

TEST(ClientBudgetTest, CallTagBeatsScopeAndScopeBeatsAmbient) {
  OkServer server;
  auto limiter = std::make_shared<ScriptedLimiter>();
  ClientOptions options;
  options.ambient_budget = [] {
    return BudgetTag{WorkClass::kInteractive, "tm_ambient", 1};
  };
  auto client = MakeClient(server.base_url(), limiter, options);
  ASSERT_THAT(client->Call(HttpCall::Get("a/", {}), In(absl::Seconds(5))),
              IsOk());
  {
    BudgetScope scope({WorkClass::kBulk, "tm_scope", 2});
    ASSERT_THAT(client->Call(HttpCall::Get("b/", {}), In(absl::Seconds(5))),
                IsOk());
    HttpCall own = HttpCall::Get("c/", {});
    own.budget = BudgetTag{WorkClass::kInteractive, "tm_call", 1};
    ASSERT_THAT(client->Call(own, In(absl::Seconds(5))), IsOk());
  }
  std::vector<RateLimitRequest> asked = limiter->Requests();
  ASSERT_EQ(asked.size(), 3u);
  EXPECT_EQ(asked[0].team_id, "tm_ambient");
  EXPECT_EQ(asked[1].team_id, "tm_scope");
  EXPECT_EQ(asked[1].work_class, WorkClass::kBulk);
  EXPECT_EQ(asked[1].weight, 2.0);
  EXPECT_EQ(asked[2].team_id, "tm_call");
  EXPECT_EQ(asked[2].work_class, WorkClass::kInteractive);
}

// Background calls waiting in the client do not hold up an interactive one.
TEST(ClientBudgetTest, InteractiveGoesBeforeQueuedBackground) {
  OkServer server;
  auto limiter = std::make_shared<ScriptedLimiter>();
  {
    absl::MutexLock lock(&limiter->mu_);
    limiter->open = false;
  }
  auto client = MakeClient(server.base_url(), limiter);
  std::atomic<int> left{3};
  absl::Notification background_done;
  for (int i = 0; i < 3; ++i) {
    HttpCall call = HttpCall::Get("background/", {});
    call.budget = BudgetTag{WorkClass::kBackground, "tm_a", 1};
    client->Send(call, In(absl::Seconds(10)), [&](absl::StatusOr<Envelope> r) {
      EXPECT_THAT(r, IsOk());
      if (--left == 0) background_done.Notify();
    });
  }
  ASSERT_THAT(
      client->Call(HttpCall::Get("interactive/", {}), In(absl::Seconds(5))),
      IsOk());
  EXPECT_EQ(server.paths(), std::vector<std::string>{"/interactive/"});
  limiter->Open();
  background_done.WaitForNotification();
  EXPECT_EQ(server.paths().size(), 4u);
}

TEST(ClientBudgetTest, BackgroundDeferredPastItsDeadlineIsThrottled) {
  OkServer server;
  auto limiter = std::make_shared<ScriptedLimiter>();
  {
    absl::MutexLock lock(&limiter->mu_);
    limiter->open = false;
  }
  auto observer = std::make_shared<CountingObserver>();
  ClientOptions options;
  options.budget_observer = observer;
  auto client = MakeClient(server.base_url(), limiter, options);
  BudgetScope scope({WorkClass::kBackground, "tm_a"});
  absl::StatusOr<Envelope> result =
      client->Call(HttpCall::Get("ad/get/", {}), In(absl::Milliseconds(200)));
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kResourceExhausted));
  std::optional<TikTokErrorInfo> info = GetTikTokErrorInfo(result.status());
  ASSERT_TRUE(info.has_value());
  EXPECT_TRUE(info->retryable);
  EXPECT_EQ(info->attempts, 0);
  EXPECT_TRUE(server.paths().empty());
  EXPECT_EQ(observer->rejected.load(), 1);
  EXPECT_GT(observer->deferred.load(), 1);
}

// Teams queued in one client take turns: a team with many calls waiting
// does not go before a team that queued later.
TEST(ClientBudgetTest, QueuedTeamsTakeTurns) {
  OkServer server;
  auto limiter = std::make_shared<ScriptedLimiter>();
  {
    absl::MutexLock lock(&limiter->mu_);
    limiter->open = false;
  }
  auto client = MakeClient(server.base_url(), limiter);
  std::atomic<int> left{8};
  absl::Notification done;
  auto send = [&](const std::string& team) {
    HttpCall call = HttpCall::Get(absl::StrCat(team, "/"), {});
    call.budget = BudgetTag{WorkClass::kBackground, team, 1};
    client->Send(call, In(absl::Seconds(10)), [&](absl::StatusOr<Envelope>) {
      if (--left == 0) done.Notify();
    });
  };
  for (int i = 0; i < 6; ++i) send("tm_a");
  for (int i = 0; i < 2; ++i) send("tm_b");
  absl::SleepFor(absl::Milliseconds(50));  // all queued and deferred
  limiter->Open();
  done.WaitForNotification();
  absl::MutexLock lock(&limiter->mu_);
  ASSERT_EQ(limiter->granted_teams.size(), 8u);
  // Round-robin: tm_b's two calls are among the first four granted.
  int b_in_first_four = 0;
  for (int i = 0; i < 4; ++i) {
    b_in_first_four += limiter->granted_teams[i] == "tm_b";
  }
  EXPECT_EQ(b_in_first_four, 2);
}

// Defers the first ask of every call while `short_budget` is set.
class ShortBudgetLimiter : public RateLimiter {
 public:
  absl::StatusOr<Reservation> Reserve(const RateLimitRequest&,
                                      absl::Duration) override {
    Reservation r;
    if (short_budget.load() && !deferred_once_.exchange(true)) {
      r.deferral = Deferral::kLaneBusy;
      r.wait = absl::Milliseconds(1);
      return r;
    }
    deferred_once_ = false;
    r.granted = true;
    return r;
  }
  std::atomic<bool> short_budget{false};

 private:
  std::atomic<bool> deferred_once_{false};
};

// A poller's rounds (one poll each, as AdWatchHub does) stretch their pause
// while the budget is short and return to the base when it frees.
TEST(ClientBudgetTest, PollerStretchesWhileBudgetIsShortAndReturns) {
  OkServer server;
  auto limiter = std::make_shared<ShortBudgetLimiter>();
  auto client = MakeClient(server.base_url(), limiter);
  BudgetScope scope({WorkClass::kBackground, "tm_watch"});
  AdaptiveInterval pace({.base = absl::Seconds(5), .max = absl::Seconds(40)});
  auto round = [&] {
    EXPECT_THAT(
        client->Call(HttpCall::Get("ad/get/", {}), In(absl::Seconds(5))),
        IsOk());
    return pace.Next(scope.TakeUsage());
  };
  EXPECT_EQ(round(), absl::Seconds(5));
  limiter->short_budget = true;
  EXPECT_EQ(round(), absl::Seconds(10));
  EXPECT_EQ(round(), absl::Seconds(20));
  EXPECT_EQ(round(), absl::Seconds(40));
  EXPECT_EQ(round(), absl::Seconds(40));
  limiter->short_budget = false;
  EXPECT_EQ(round(), absl::Seconds(20));
  EXPECT_EQ(round(), absl::Seconds(10));
  EXPECT_EQ(round(), absl::Seconds(5));
  EXPECT_EQ(round(), absl::Seconds(5));
}

}  // namespace
}  // namespace ttads::tiktok
