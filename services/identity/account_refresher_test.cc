// AccountRefresher on a private redis-server: what is due is refreshed once
// however many refreshers run, through the same lease as on-use refreshes; a
// dead grant marks re-consent; transient failures back off; revoked
// connections are never refreshed; the thread starts and stops cleanly; and
// end to end against the simulator's Login Kit, an idle connection is
// refreshed in the background and then used without a refresh.

#include "services/identity/account_refresher.h"

#include <memory>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/connections/refresh_lease.h"
#include "libs/status/status.h"
#include "libs/testing/private_redis.h"
#include "libs/testing/status_matchers.h"
#include "libs/tiktok_open/display_api.h"
#include "libs/tiktok_open/fake_login_api.h"
#include "libs/tiktok_open/login_api.h"
#include "tools/tiktok_sim/api.h"
#include "tools/tiktok_sim/faults.h"
#include "tools/tiktok_sim/seed.h"
#include "tools/tiktok_sim/sim.h"

namespace ttads::identity {
namespace {

using connections::AccountTokens;
using connections::AccountTokenSource;
using connections::TikTokAccount;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;
using ::ttads::testing::IsOk;
using ::ttads::testing::IsOkAndHolds;
using ::ttads::testing::StatusIs;

// One identity (or content) replica: its own Redis pool, store, lease,
// token source and refresher over the shared redis-server and Login Kit.
struct Replica {
  std::unique_ptr<store::RedisPool> redis;
  std::unique_ptr<connections::RedisTikTokAccountStore> store;
  std::unique_ptr<connections::RedisRefreshLease> lease;
  std::unique_ptr<AccountTokenSource> tokens;
  std::unique_ptr<AccountRefresher> refresher;
};

class AccountRefresherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto redis = ttads::testing::PrivateRedis::Start();
    ASSERT_THAT(redis, IsOk());
    redis_ = *std::move(redis);
  }

  std::unique_ptr<Replica> NewReplica(
      tiktok_open::LoginApi* login, prometheus::Registry* registry = nullptr,
      std::function<absl::Time()> clock = absl::Now) {
    auto r = std::make_unique<Replica>();
    auto pool = redis_->Connect();
    EXPECT_THAT(pool, IsOk());
    r->redis = std::move(*pool);
    auto key = crypto::AeadKey::FromBytes(std::string(32, 'k'));
    EXPECT_THAT(key, IsOk());
    r->store = std::make_unique<connections::RedisTikTokAccountStore>(
        r->redis.get(), *key);
    r->lease = std::make_unique<connections::RedisRefreshLease>(r->redis.get());
    r->tokens = std::make_unique<AccountTokenSource>(r->store.get(),
                                                     r->lease.get(), login);
    r->refresher = std::make_unique<AccountRefresher>(
        r->redis.get(), r->store.get(), r->tokens.get(), registry, options_,
        std::move(clock));
    return r;
  }

  // A connection of team t1 whose access token expires in `left`, with a
  // refresh token `login_` accepts.
  void Seed(Replica& r, const std::string& id, absl::Duration left,
            TikTokAccount::State state = TikTokAccount::State::kActive) {
    TikTokAccount a;
    a.connection_id = id;
    a.team_id = "t1";
    a.member_id = "m1";
    a.open_id = "open-1";
    a.state = state;
    a.scopes = {"video.list"};
    a.create_time = absl::Now();
    const std::string refresh = absl::StrCat("rft.", id);
    login_.AcceptRefreshToken(refresh);
    ASSERT_THAT(r.store->Create(
                    a, {absl::StrCat("act.", id), refresh, absl::Now() + left,
                        absl::Now() + absl::Hours(24 * 300)}),
                IsOk());
  }

  std::string AccessTokenOf(Replica& r, const std::string& id) {
    auto t = r.store->Tokens("t1", id);
    return t.ok() ? t->access_token : "";
  }

  AccountRefresherOptions options_;
  std::unique_ptr<ttads::testing::PrivateRedis> redis_;
  tiktok_open::FakeLoginApi login_;
};

double Counter(prometheus::Registry& registry, const std::string& outcome) {
  for (const auto& family : registry.Collect()) {
    if (family.name != "ttads_identity_account_refreshes_total") continue;
    for (const auto& m : family.metric) {
      for (const auto& label : m.label) {
        if (label.name == "outcome" && label.value == outcome) {
          return m.counter.value;
        }
      }
    }
  }
  return -1;
}

TEST_F(AccountRefresherTest, RefreshesWhatExpiresWithinTheLeadOnly) {
  prometheus::Registry registry;
  auto r = NewReplica(&login_, &registry);
  Seed(*r, "soon", absl::Minutes(30));  // Idle 23.5 h of its 24 h.
  Seed(*r, "later", absl::Hours(5));    // Not due yet.
  auto counts = r->refresher->RunOnce();
  ASSERT_THAT(counts, IsOk());
  EXPECT_THAT(*counts, ElementsAre(Pair("refreshed", 1)));
  EXPECT_EQ(login_.refresh_calls(), 1);
  EXPECT_NE(AccessTokenOf(*r, "soon"), "act.soon");
  EXPECT_EQ(AccessTokenOf(*r, "later"), "act.later");
  EXPECT_GT(r->store->Get("t1", "soon")->access_expire_time,
            absl::Now() + absl::Hours(23));
  EXPECT_EQ(Counter(registry, "refreshed"), 1);
  EXPECT_EQ(Counter(registry, "needs_reconsent"), 0);
  // Refreshed: off the due part of the schedule, nothing to do next cycle.
  counts = r->refresher->RunOnce();
  ASSERT_THAT(counts, IsOk());
  EXPECT_THAT(*counts, IsEmpty());
  EXPECT_EQ(login_.refresh_calls(), 1);
}

TEST_F(AccountRefresherTest, TwoRefreshersAtOnceRefreshEachConnectionOnce) {
  auto a = NewReplica(&login_);
  auto b = NewReplica(&login_);
  constexpr int kConnections = 20;
  for (int i = 0; i < kConnections; ++i) {
    Seed(*a, absl::StrCat("c", i), absl::Minutes(10 + i));
  }
  std::vector<AccountRefresher::CycleCounts> counts(2);
  std::thread ta([&] { counts[0] = *a->refresher->RunOnce(); });
  std::thread tb([&] { counts[1] = *b->refresher->RunOnce(); });
  ta.join();
  tb.join();
  EXPECT_EQ(login_.refresh_calls(), kConnections);
  EXPECT_EQ(counts[0]["refreshed"] + counts[1]["refreshed"], kConnections);
  for (int i = 0; i < kConnections; ++i) {
    EXPECT_NE(AccessTokenOf(*a, absl::StrCat("c", i)),
              absl::StrCat("act.c", i));
  }
}

TEST_F(AccountRefresherTest, ARefreshInFlightElsewhereIsNotRepeated) {
  auto a = NewReplica(&login_);
  auto b = NewReplica(&login_);
  Seed(*a, "c0", absl::Minutes(10));
  Seed(*a, "c1", absl::Minutes(20));
  Seed(*a, "c2", absl::Minutes(30));
  // Replica A's first refresh (c0, the soonest) is held at TikTok while
  // replica B runs a whole cycle.
  absl::Notification a_at_tiktok, release_a;
  login_.before_refresh = [&] {
    if (!a_at_tiktok.HasBeenNotified()) {
      a_at_tiktok.Notify();
      release_a.WaitForNotification();
    }
  };
  AccountRefresher::CycleCounts a_counts;
  std::thread ta([&] { a_counts = *a->refresher->RunOnce(); });
  a_at_tiktok.WaitForNotification();
  auto b_counts = b->refresher->RunOnce();
  ASSERT_THAT(b_counts, IsOk());
  EXPECT_THAT(*b_counts,
              UnorderedElementsAre(Pair("busy", 1), Pair("refreshed", 2)));
  release_a.Notify();
  ta.join();
  EXPECT_THAT(a_counts,
              UnorderedElementsAre(Pair("refreshed", 1), Pair("not_due", 2)));
  EXPECT_EQ(login_.refresh_calls(), 3);
}

TEST_F(AccountRefresherTest, BackgroundAndOnUseRefreshNeverBothCallTikTok) {
  auto identity = NewReplica(&login_);
  auto content = NewReplica(&login_);
  Seed(*identity, "c1", absl::Minutes(5));  // Inside the on-use margin too.
  absl::Notification at_tiktok, release;
  login_.before_refresh = [&] {
    at_tiktok.Notify();
    release.WaitForNotification();
  };
  std::thread background([&] { (void)identity->refresher->RunOnce(); });
  at_tiktok.WaitForNotification();
  // A use elsewhere meanwhile: the still-valid token, no second refresh.
  EXPECT_THAT(
      content->tokens->AccessToken("t1", "c1", absl::Now() + absl::Seconds(10)),
      IsOkAndHolds("act.c1"));
  release.Notify();
  background.join();
  EXPECT_EQ(login_.refresh_calls(), 1);
  EXPECT_THAT(
      content->tokens->AccessToken("t1", "c1", absl::Now() + absl::Seconds(10)),
      IsOkAndHolds(AccessTokenOf(*identity, "c1")));
  EXPECT_EQ(login_.refresh_calls(), 1);
}

TEST_F(AccountRefresherTest, RefusedRefreshTokenMarksReconsent) {
  prometheus::Registry registry;
  auto r = NewReplica(&login_, &registry);
  Seed(*r, "c1", absl::Minutes(30));
  // TikTok no longer knows the refresh token (expired or revoked by the
  // user): invalid_grant.
  login_.refresh_error =
      status::WithErrorInfo(absl::FailedPreconditionError("invalid_grant"),
                            tiktok_open::kGrantInvalid);
  auto counts = r->refresher->RunOnce();
  ASSERT_THAT(counts, IsOk());
  EXPECT_THAT(*counts, ElementsAre(Pair("needs_reconsent", 1)));
  EXPECT_EQ(Counter(registry, "needs_reconsent"), 1);
  EXPECT_EQ(r->store->Get("t1", "c1")->state,
            TikTokAccount::State::kNeedsReconsent);
  // Later uses fail clearly, and nobody asks TikTok again.
  auto use = r->tokens->AccessToken("t1", "c1", absl::Now() + absl::Seconds(5));
  EXPECT_THAT(use, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(tiktok_open::ErrorReason(use.status()),
            "TIKTOK_ACCOUNT_NEEDS_RECONSENT");
  counts = r->refresher->RunOnce();
  ASSERT_THAT(counts, IsOk());
  EXPECT_THAT(*counts, IsEmpty());
  EXPECT_EQ(login_.refresh_calls(), 1);
}

TEST_F(AccountRefresherTest, TransientFailureBacksOffWithoutMarking) {
  prometheus::Registry registry;
  absl::Time now = absl::Now();
  options_.backoff_initial = absl::Minutes(5);
  options_.backoff_max = absl::Minutes(15);
  auto r = NewReplica(&login_, &registry, [&] { return now; });
  Seed(*r, "c1", absl::Minutes(50));
  login_.refresh_error = absl::UnavailableError("TikTok answered HTTP 503");
  auto counts = r->refresher->RunOnce();
  ASSERT_THAT(counts, IsOk());
  EXPECT_THAT(*counts, ElementsAre(Pair("transient_failure", 1)));
  EXPECT_EQ(r->store->Get("t1", "c1")->state, TikTokAccount::State::kActive);
  // The next cycle, inside the backoff: skipped, TikTok not asked.
  now += absl::Minutes(1);
  counts = r->refresher->RunOnce();
  ASSERT_THAT(counts, IsOk());
  EXPECT_THAT(*counts, ElementsAre(Pair("backoff", 1)));
  EXPECT_EQ(login_.refresh_calls(), 1);
  // After it: tried again; a second failure doubles the wait (10 min).
  now += absl::Minutes(5);
  counts = r->refresher->RunOnce();
  EXPECT_THAT(*counts, ElementsAre(Pair("transient_failure", 1)));
  now += absl::Minutes(6);
  EXPECT_THAT(*r->refresher->RunOnce(), ElementsAre(Pair("backoff", 1)));
  // TikTok is back: refreshed, the backoff record is gone.
  login_.refresh_error = absl::OkStatus();
  now += absl::Minutes(5);
  EXPECT_THAT(*r->refresher->RunOnce(), ElementsAre(Pair("refreshed", 1)));
  EXPECT_EQ(login_.refresh_calls(), 3);
  EXPECT_THAT(r->redis->Command({"EXISTS", RefreshBackoffKey("t1", "c1")}),
              IsOk());
  EXPECT_EQ(
      r->redis->Command({"EXISTS", RefreshBackoffKey("t1", "c1")})->integer, 0);
  EXPECT_EQ(Counter(registry, "transient_failure"), 2);
  EXPECT_EQ(Counter(registry, "backoff"), 2);
  EXPECT_EQ(r->store->Get("t1", "c1")->state, TikTokAccount::State::kActive);
}

TEST_F(AccountRefresherTest, OtherRefusalsBackOffWithoutMarking) {
  auto r = NewReplica(&login_);
  Seed(*r, "c1", absl::Minutes(30));
  login_.refresh_error =
      status::WithErrorInfo(absl::FailedPreconditionError("invalid_client"),
                            tiktok_open::kClientInvalid);
  EXPECT_THAT(*r->refresher->RunOnce(), ElementsAre(Pair("error", 1)));
  EXPECT_EQ(r->store->Get("t1", "c1")->state, TikTokAccount::State::kActive);
  EXPECT_THAT(*r->refresher->RunOnce(), ElementsAre(Pair("backoff", 1)));
  EXPECT_EQ(login_.refresh_calls(), 1);
}

TEST_F(AccountRefresherTest, RevokedConnectionsAreNeverRefreshed) {
  auto r = NewReplica(&login_);
  Seed(*r, "revoked", -absl::Minutes(1));
  Seed(*r, "stale", absl::Minutes(10));
  ASSERT_THAT(r->store->SetState("t1", "revoked",
                                 TikTokAccount::State::kRevoked, absl::Now()),
              IsOk());
  EXPECT_THAT(*r->refresher->RunOnce(), ElementsAre(Pair("refreshed", 1)));
  // A stale schedule entry of a revoked connection (e.g. a crash between
  // the state change and the schedule update) is dropped, not refreshed.
  ASSERT_THAT(r->store->SetState("t1", "stale", TikTokAccount::State::kRevoked,
                                 absl::Now()),
              IsOk());
  ASSERT_THAT(
      r->redis->Command({"ZADD", connections::TikTokAccountDueKey(), "0",
                         connections::TikTokAccountDueMember("t1", "stale")}),
      IsOk());
  EXPECT_THAT(*r->refresher->RunOnce(), ElementsAre(Pair("inactive", 1)));
  EXPECT_THAT(*r->refresher->RunOnce(), IsEmpty());
  EXPECT_EQ(login_.refresh_calls(), 1);
}

TEST_F(AccountRefresherTest, StartsAtOnceAndStopsCleanly) {
  prometheus::Registry registry;
  options_.period = absl::Hours(1);  // Only the first cycle runs.
  auto r = NewReplica(&login_, &registry);
  Seed(*r, "c1", absl::Minutes(30));
  EXPECT_FALSE(r->refresher->running());
  r->refresher->Start();
  r->refresher->Start();  // Idempotent: still one thread.
  EXPECT_TRUE(r->refresher->running());
  // The first cycle runs at start; Stop wakes the hour-long wait.
  while (Counter(registry, "refreshed") < 1) {
    absl::SleepFor(absl::Milliseconds(5));
  }
  r->refresher->Stop();
  EXPECT_FALSE(r->refresher->running());
  r->refresher->Stop();
  EXPECT_EQ(login_.refresh_calls(), 1);
  EXPECT_THAT(r->refresher->RunOnce(), IsOk());  // Still usable directly.
  // Destroyed while running: the destructor stops and joins the thread
  // (a joinable std::thread would abort the test here).
  auto other = NewReplica(&login_);
  other->refresher->Start();
  other.reset();
}

// End to end against the simulator's Login Kit: a real grant, stored as a
// connection idle for most of its access token's life (30 min left, at the
// simulator too), is refreshed by the background cycle; the next use gets
// the new token without a refresh, and TikTok's Display API accepts it.
TEST_F(AccountRefresherTest, IdleConnectionIsRefreshedAndUsableAtTheSimulator) {
  auto sim = tiktok_sim::TikTokSim::Start({});
  ASSERT_THAT(sim, IsOk());
  tiktok_open::HttpLoginApi login(tiktok_open::LoginApiOptions{
      (*sim)->root_url(), "ttads-local-app", "local-sim-secret"});
  (*sim)->WithState([&](tiktok_sim::SimState& s) {
    s.open.codes["code-1"] = {
        tiktok_sim::seed::kTikTokUserDemo,
        {"user.info.basic", "video.list"},
        "https://app.example/cb",
        std::chrono::system_clock::now() + std::chrono::minutes(5),
        false};
    return 0;
  });
  auto granted = login.ExchangeCode("code-1", "https://app.example/cb",
                                    absl::Now() + absl::Seconds(10));
  ASSERT_THAT(granted, IsOk());
  const absl::Time expires = absl::Now() + absl::Minutes(30);
  (*sim)->WithState([&](tiktok_sim::SimState& s) {
    s.open.access_tokens[granted->access_token].expires_at =
        absl::ToChronoTime(expires);
    return 0;
  });
  auto identity = NewReplica(&login);
  auto content = NewReplica(&login);
  TikTokAccount a;
  a.connection_id = "c1";
  a.team_id = "t1";
  a.member_id = "m1";
  a.open_id = granted->open_id;
  a.scopes = granted->scopes;
  ASSERT_THAT(
      identity->store->Create(a, {granted->access_token, granted->refresh_token,
                                  expires, granted->refresh_expire_time}),
      IsOk());

  EXPECT_THAT(*identity->refresher->RunOnce(),
              ElementsAre(Pair("refreshed", 1)));
  EXPECT_EQ((*sim)->user_token_refreshes(), 1u);

  auto token =
      content->tokens->AccessToken("t1", "c1", absl::Now() + absl::Seconds(10));
  ASSERT_THAT(token, IsOk());
  EXPECT_NE(*token, granted->access_token);
  EXPECT_EQ((*sim)->user_token_refreshes(), 1u);  // No user-facing refresh.
  tiktok_open::HttpDisplayApi display((*sim)->root_url());
  EXPECT_THAT(display.ListVideos(*token, 0, 5, absl::Now() + absl::Seconds(10)),
              IsOk());

  // The old refresh token was rotated out: replaying it is refused for good.
  EXPECT_THAT(
      login.Refresh(granted->refresh_token, absl::Now() + absl::Seconds(10)),
      StatusIs(absl::StatusCode::kFailedPrecondition));
}

// TikTok down (HTTP 503) and then throttling (429) at the simulator's token
// endpoint: transient failures, backed off, the connection stays usable;
// once TikTok answers, the next try after the backoff refreshes it.
TEST_F(AccountRefresherTest, OutageAtTheSimulatorBacksOffThenRefreshes) {
  auto sim = tiktok_sim::TikTokSim::Start({});
  ASSERT_THAT(sim, IsOk());
  tiktok_open::HttpLoginApi login(tiktok_open::LoginApiOptions{
      (*sim)->root_url(), "ttads-local-app", "local-sim-secret"});
  (*sim)->WithState([&](tiktok_sim::SimState& s) {
    s.open.codes["code-1"] = {
        tiktok_sim::seed::kTikTokUserDemo,
        {"video.list"},
        "https://app.example/cb",
        std::chrono::system_clock::now() + std::chrono::minutes(5),
        false};
    return 0;
  });
  auto granted = login.ExchangeCode("code-1", "https://app.example/cb",
                                    absl::Now() + absl::Seconds(10));
  ASSERT_THAT(granted, IsOk());
  tiktok_sim::FaultRule down;
  down.path_prefix = "/v2/oauth/token/";
  down.mode = tiktok_sim::FaultMode::kHttpStatus;
  down.http_status = 503;
  down.count = 1;
  (*sim)->AddFault(down);
  tiktok_sim::FaultRule throttled;
  throttled.path_prefix = "/v2/oauth/token/";
  throttled.mode = tiktok_sim::FaultMode::kCode;
  throttled.code = tiktok_sim::kRateLimited;
  throttled.count = 1;
  (*sim)->AddFault(throttled);

  absl::Time now = absl::Now();
  auto r = NewReplica(&login, nullptr, [&] { return now; });
  TikTokAccount a;
  a.connection_id = "c1";
  a.team_id = "t1";
  a.member_id = "m1";
  a.open_id = granted->open_id;
  ASSERT_THAT(
      r->store->Create(
          a, {granted->access_token, granted->refresh_token,
              absl::Now() + absl::Minutes(40), granted->refresh_expire_time}),
      IsOk());
  EXPECT_THAT(*r->refresher->RunOnce(),
              ElementsAre(Pair("transient_failure", 1)));  // 503
  now += options_.backoff_initial;
  EXPECT_THAT(*r->refresher->RunOnce(),
              ElementsAre(Pair("transient_failure", 1)));  // 429
  EXPECT_EQ(r->store->Get("t1", "c1")->state, TikTokAccount::State::kActive);
  EXPECT_THAT(
      r->tokens->AccessToken("t1", "c1", absl::Now() + absl::Seconds(10)),
      IsOkAndHolds(granted->access_token));
  EXPECT_THAT(*r->refresher->RunOnce(), ElementsAre(Pair("backoff", 1)));
  now += 2 * options_.backoff_initial;
  EXPECT_THAT(*r->refresher->RunOnce(), ElementsAre(Pair("refreshed", 1)));
  EXPECT_EQ((*sim)->user_token_refreshes(), 1u);
}

// The simulator's refusal of an expired refresh token (TikTok's
// invalid_grant) reaches the connection as "needs re-consent".
TEST_F(AccountRefresherTest, ExpiredRefreshTokenAtTheSimulatorMeansReconsent) {
  auto sim = tiktok_sim::TikTokSim::Start({});
  ASSERT_THAT(sim, IsOk());
  tiktok_open::HttpLoginApi login(tiktok_open::LoginApiOptions{
      (*sim)->root_url(), "ttads-local-app", "local-sim-secret"});
  (*sim)->WithState([&](tiktok_sim::SimState& s) {
    s.open.codes["code-1"] = {
        tiktok_sim::seed::kTikTokUserDemo,
        {"video.list"},
        "https://app.example/cb",
        std::chrono::system_clock::now() + std::chrono::minutes(5),
        false};
    return 0;
  });
  auto granted = login.ExchangeCode("code-1", "https://app.example/cb",
                                    absl::Now() + absl::Seconds(10));
  ASSERT_THAT(granted, IsOk());
  (*sim)->WithState([&](tiktok_sim::SimState& s) {
    for (auto& [id, grant] : s.open.grants) {
      grant.refresh_expires_at =
          std::chrono::system_clock::now() - std::chrono::seconds(1);
    }
    return 0;
  });
  auto r = NewReplica(&login);
  TikTokAccount a;
  a.connection_id = "c1";
  a.team_id = "t1";
  a.member_id = "m1";
  a.open_id = granted->open_id;
  ASSERT_THAT(
      r->store->Create(
          a, {granted->access_token, granted->refresh_token,
              absl::Now() + absl::Minutes(20), absl::Now() - absl::Seconds(1)}),
      IsOk());
  EXPECT_THAT(*r->refresher->RunOnce(),
              ElementsAre(Pair("needs_reconsent", 1)));
  EXPECT_EQ(r->store->Get("t1", "c1")->state,
            TikTokAccount::State::kNeedsReconsent);
  EXPECT_EQ((*sim)->user_token_refreshes(), 0u);
}

}  // namespace
}  // namespace ttads::identity
