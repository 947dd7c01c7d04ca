// The client against the TikTok simulator (tools/tiktok_sim) and, for the
// shared rate limit, a private Redis: each retry class, ambiguous failures,
// one tier shared by two client instances, many calls on one loop thread.
#include <dirent.h>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "absl/synchronization/notification.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/testing/private_redis.h"
#include "libs/testing/status_matchers.h"
#include "libs/tiktok/client.h"
#include "libs/tiktok/redis_rate_limiter.h"
#include "tools/tiktok_sim/seed.h"
#include "tools/tiktok_sim/sim.h"

namespace ttads::tiktok {
namespace {

using tiktok_sim::FaultMode;
using tiktok_sim::FaultRule;
using tiktok_sim::TikTokSim;
using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;
namespace seed = tiktok_sim::seed;

FaultRule Fault(std::string path, FaultMode mode, long long count) {
  FaultRule rule;
  rule.path_prefix = std::move(path);
  rule.mode = mode;
  rule.count = count;
  return rule;
}

absl::Time In(absl::Duration d) { return absl::Now() + d; }

class ClientIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override { sim_ = StartSim(tiktok_sim::Tier::kUnlimited); }
  // Every request the client sent must be one TikTok accepts.
  void TearDown() override {
    absl::Status st = sim_->CheckViolations();
    EXPECT_THAT(st, IsOk());
  }

  static std::unique_ptr<TikTokSim> StartSim(tiktok_sim::Tier tier) {
    TikTokSim::Options options;
    options.tier = tier;
    absl::StatusOr<std::unique_ptr<TikTokSim>> sim = TikTokSim::Start(options);
    EXPECT_THAT(sim, IsOk());
    return *std::move(sim);
  }

  std::unique_ptr<Client> MakeClient(
      std::shared_ptr<RateLimiter> limiter = nullptr) {
    ClientOptions options;
    options.base_url = sim_->base_url();
    options.app_id = "ttads-local-app";
    options.app_secret = "local-sim-secret";
    options.rate_limiter = std::move(limiter);
    options.backoff.initial = absl::Milliseconds(20);
    absl::StatusOr<std::unique_ptr<Client>> client = Client::Create(options);
    EXPECT_THAT(client, IsOk());
    return *std::move(client);
  }

  std::string Token() {
    return sim_->IssueAccessToken({seed::kAdvertiserTtUser});
  }

  HttpCall ListIdentities(const std::string& token) {
    return HttpCall::Get("identity/get/",
                         {{"advertiser_id", seed::kAdvertiserTtUser}}, token);
  }

  HttpCall CreateAd(const std::string& token) {
    nlohmann::json creative = {{"ad_name", "Integration test ad"},
                               {"ad_format", "SINGLE_VIDEO"},
                               {"identity_type", "TT_USER"},
                               {"identity_id", seed::kIdentityTtUser},
                               {"tiktok_item_id", seed::kItemTtUser2},
                               {"ad_text", "Integration test ad"},
                               {"call_to_action", "SHOP_NOW"},
                               {"landing_page_url", "https://example.com"}};
    return HttpCall::Post("ad/create/",
                          {{"advertiser_id", seed::kAdvertiserTtUser},
                           {"adgroup_id", seed::AdGroupId(1, 1)},
                           {"creatives", {creative}}},
                          token);
  }

  int64_t Calls(const std::string& path) {
    return sim_->stats().calls[path].total;
  }

  std::unique_ptr<TikTokSim> sim_;
};

TEST_F(ClientIntegrationTest, SucceedsAgainstTheSimulator) {
  auto client = MakeClient();
  absl::StatusOr<Envelope> result =
      client->Call(ListIdentities(Token()), In(absl::Seconds(5)));
  ASSERT_THAT(result, IsOk());
  EXPECT_FALSE(result->request_id.empty());
  EXPECT_FALSE(result->data["identity_list"].empty());
}

TEST_F(ClientIntegrationTest, AppThrottlingThenSuccess) {
  FaultRule rule = Fault("/identity/get/", FaultMode::kCode, 1);
  rule.code = 40100;
  sim_->AddFault(rule);
  auto client = MakeClient();
  absl::StatusOr<Envelope> result =
      client->Call(ListIdentities(Token()), In(absl::Seconds(5)));
  ASSERT_THAT(result, IsOk());
  EXPECT_EQ(Calls("/identity/get/"), 2);
  EXPECT_EQ(client->stats().retries, 1);
}

TEST_F(ClientIntegrationTest, SystemErrorOnCreateIsRetriedOnce) {
  FaultRule rule = Fault("/ad/create/", FaultMode::kCode, 1);
  rule.code = 50000;  // TikTok did nothing: safe to resend a create
  sim_->AddFault(rule);
  size_t ads_before = sim_->stats().ads;
  auto client = MakeClient();
  absl::StatusOr<Envelope> result =
      client->Call(CreateAd(Token()), In(absl::Seconds(5)));
  ASSERT_THAT(result, IsOk());
  EXPECT_EQ(Calls("/ad/create/"), 2);
  EXPECT_EQ(sim_->stats().ads, ads_before + 1);
}

TEST_F(ClientIntegrationTest, HttpServerErrorThenSuccess) {
  FaultRule rule = Fault("/identity/get/", FaultMode::kHttpStatus, 2);
  rule.http_status = 503;
  sim_->AddFault(rule);
  auto client = MakeClient();
  absl::StatusOr<Envelope> result =
      client->Call(ListIdentities(Token()), In(absl::Seconds(5)));
  ASSERT_THAT(result, IsOk());
  EXPECT_EQ(Calls("/identity/get/"), 3);
}

TEST_F(ClientIntegrationTest, PermanentErrorIsNotRetried) {
  auto client = MakeClient();
  absl::StatusOr<Envelope> result =
      client->Call(ListIdentities("not-a-token"), In(absl::Seconds(5)));
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kUnauthenticated));
  std::optional<TikTokErrorInfo> info = GetTikTokErrorInfo(result.status());
  ASSERT_TRUE(info.has_value());
  EXPECT_FALSE(info->request_id.empty());
  EXPECT_EQ(info->attempts, 1);
  EXPECT_EQ(Calls("/identity/get/"), 1);
}

TEST_F(ClientIntegrationTest, LatencyBeyondTheDeadline) {
  FaultRule rule = Fault("/identity/get/", FaultMode::kLatency, -1);
  rule.latency_ms = 5000;
  sim_->AddFault(rule);
  auto client = MakeClient();
  absl::StatusOr<Envelope> result =
      client->Call(ListIdentities(Token()), In(absl::Milliseconds(500)));
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kDeadlineExceeded))
      << result.status();
  EXPECT_EQ(Calls("/identity/get/"), 1);
}

TEST_F(ClientIntegrationTest, DroppedCreateIsAmbiguousAndNotRetried) {
  sim_->AddFault(Fault("/ad/create/", FaultMode::kDrop, 1));
  auto client = MakeClient();
  absl::StatusOr<Envelope> result =
      client->Call(CreateAd(Token()), In(absl::Seconds(5)));
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_TRUE(IsAmbiguous(result.status())) << result.status();
  EXPECT_EQ(Calls("/ad/create/"), 1);
}

TEST_F(ClientIntegrationTest, ApplyThenTimeoutIsAmbiguousAndNotDuplicated) {
  FaultRule rule = Fault("/ad/create/", FaultMode::kApplyThenTimeout, 1);
  rule.latency_ms = 5000;
  sim_->AddFault(rule);
  size_t ads_before = sim_->stats().ads;
  auto client = MakeClient();
  absl::StatusOr<Envelope> result =
      client->Call(CreateAd(Token()), In(absl::Milliseconds(700)));
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kDeadlineExceeded));
  EXPECT_TRUE(IsAmbiguous(result.status())) << result.status();
  EXPECT_EQ(Calls("/ad/create/"), 1);
  EXPECT_EQ(sim_->stats().ads, ads_before + 1);  // applied exactly once
}

TEST_F(ClientIntegrationTest, ApplyThenDropIsAmbiguousAndNotDuplicated) {
  sim_->AddFault(Fault("/ad/create/", FaultMode::kApplyThenTimeout, 1));
  size_t ads_before = sim_->stats().ads;
  auto client = MakeClient();
  absl::StatusOr<Envelope> result =
      client->Call(CreateAd(Token()), In(absl::Seconds(5)));
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_TRUE(IsAmbiguous(result.status())) << result.status();
  EXPECT_EQ(Calls("/ad/create/"), 1);
  EXPECT_EQ(sim_->stats().ads, ads_before + 1);
}

int ThreadCount() {
  int n = 0;
  DIR* dir = opendir("/proc/self/task");
  while (dirent* entry = readdir(dir)) n += entry->d_name[0] != '.';
  closedir(dir);
  return n;
}

TEST_F(ClientIntegrationTest, HundredSlowCallsInFlightOnOneLoopThread) {
  constexpr int kCalls = 100;
  FaultRule rule = Fault("/identity/get/", FaultMode::kLatency, -1);
  rule.latency_ms = 300;
  sim_->AddFault(rule);
  auto client = MakeClient();
  std::string token = Token();
  int threads_before = ThreadCount();
  std::atomic<int> ok{0};
  std::atomic<int> left{kCalls};
  absl::Notification all_done;
  for (int i = 0; i < kCalls; ++i) {
    client->Send(ListIdentities(token), In(absl::Seconds(30)),
                 [&](absl::StatusOr<Envelope> r) {
                   if (r.ok()) ++ok;
                   if (--left == 0) all_done.Notify();
                 });
  }
  int64_t max_in_flight = 0;
  while (!all_done.HasBeenNotified()) {
    max_in_flight = std::max(max_in_flight, client->stats().in_flight);
    EXPECT_EQ(ThreadCount(), threads_before);
    absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_EQ(ok.load(), kCalls);
  EXPECT_GE(max_in_flight, kCalls / 2);
  EXPECT_EQ(Calls("/identity/get/"), kCalls);
}

TEST_F(ClientIntegrationTest, ThousandSlowCallsInFlight) {
  constexpr int kCalls = 1000;
  FaultRule rule = Fault("/identity/get/", FaultMode::kLatency, -1);
  rule.latency_ms = 200;
  sim_->AddFault(rule);
  auto client = MakeClient();
  std::string token = Token();
  std::atomic<int> ok{0};
  std::atomic<int> left{kCalls};
  absl::Notification all_done;
  for (int i = 0; i < kCalls; ++i) {
    client->Send(ListIdentities(token), In(absl::Seconds(60)),
                 [&](absl::StatusOr<Envelope> r) {
                   if (r.ok()) ++ok;
                   if (--left == 0) all_done.Notify();
                 });
  }
  int64_t max_in_flight = 0;
  while (!all_done.HasBeenNotified()) {
    max_in_flight = std::max(max_in_flight, client->stats().in_flight);
    absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_EQ(ok.load(), kCalls);
  EXPECT_GE(max_in_flight, kCalls / 2);
  EXPECT_EQ(client->stats().retries, 0);
}

// Two clients (two replicas) on one Redis share the Basic tier: the
// simulator, enforcing 10 requests per wall-clock second, throttles none of
// their 60 calls; so they were spread over at least 6 seconds. Without the
// shared limiter the same burst is throttled.
class SharedRateLimitTest : public ClientIntegrationTest {
 protected:
  void SetUp() override {
    sim_ = StartSim(tiktok_sim::Tier::kBasic);
    absl::StatusOr<std::unique_ptr<testing::PrivateRedis>> redis =
        testing::PrivateRedis::Start();
    ASSERT_THAT(redis, IsOk());
    redis_ = *std::move(redis);
  }

  // A second replica's pool (the first uses redis_->pool()).
  std::unique_ptr<store::RedisPool> Pool() {
    absl::StatusOr<std::unique_ptr<store::RedisPool>> pool = redis_->Connect();
    EXPECT_THAT(pool, IsOk());
    return *std::move(pool);
  }

  std::unique_ptr<testing::PrivateRedis> redis_;
};

TEST_F(SharedRateLimitTest, TwoClientsStayInsideTheTier) {
  constexpr int kPerClient = 30;
  RateLimitPolicy policy;
  policy.tier = Tier::kBasic;
  // Extra headroom (7.5 per second) so a loaded test machine delaying a few
  // timer-driven sends into the next second cannot exceed 10 there.
  policy.headroom = 0.75;
  store::RedisPool* pool_a = redis_->pool();
  auto pool_b = Pool();
  auto client_a =
      MakeClient(std::make_shared<RedisRateLimiter>(pool_a, policy));
  auto client_b =
      MakeClient(std::make_shared<RedisRateLimiter>(pool_b.get(), policy));
  std::string token = Token();
  std::atomic<int> ok{0};
  std::atomic<int> left{2 * kPerClient};
  absl::Notification all_done;
  auto done = [&](absl::StatusOr<Envelope> r) {
    if (r.ok()) ++ok;
    if (--left == 0) all_done.Notify();
  };
  for (int i = 0; i < kPerClient; ++i) {
    client_a->Send(ListIdentities(token), In(absl::Seconds(60)), done);
    client_b->Send(ListIdentities(token), In(absl::Seconds(60)), done);
  }
  all_done.WaitForNotification();
  EXPECT_EQ(ok.load(), 2 * kPerClient);
  TikTokSim::CallStats calls = sim_->stats().calls["/identity/get/"];
  EXPECT_EQ(calls.total, 2 * kPerClient);  // nothing was throttled...
  EXPECT_EQ(calls.ok, 2 * kPerClient);
  EXPECT_EQ(client_a->stats().retries + client_b->stats().retries, 0);
  // ...because both waited for shared slots.
  EXPECT_GT(client_a->stats().limiter_waits, 0);
  EXPECT_GT(client_b->stats().limiter_waits, 0);
}

TEST_F(SharedRateLimitTest, WithoutTheLimiterTheSameBurstIsThrottled) {
  auto client = MakeClient();
  std::string token = Token();
  std::atomic<int> throttled{0};
  std::atomic<int> left{30};
  absl::Notification all_done;
  for (int i = 0; i < 30; ++i) {
    HttpCall call = ListIdentities(token);
    call.retry = false;
    client->Send(std::move(call), In(absl::Seconds(10)),
                 [&](absl::StatusOr<Envelope> r) {
                   auto info = GetTikTokErrorInfo(r.status());
                   if (info.has_value() && info->code == 40100) ++throttled;
                   if (--left == 0) all_done.Notify();
                 });
  }
  all_done.WaitForNotification();
  EXPECT_GT(throttled.load(), 0);
}

}  // namespace
}  // namespace ttads::tiktok
