// Infrastructure and upstream fault scenarios against the real identity
// server in-process (private redis-server with AOF, the TikTok simulator):
// - Redis restarted under load: identity keeps answering without a restart
//   of its own; calls during the restart fail only UNAVAILABLE; afterwards
//   every call succeeds and the connections and accounts written before
//   are still there (AOF);
// - the simulator unreachable: CheckIdentity reports "api_error", other
//   RPCs answer UNAVAILABLE with RetryInfo and ErrorInfo TIKTOK_UNAVAILABLE;
// - upstream throttling bursts (40100 on half the calls): every call still
//   succeeds within its deadline and no 40100 reaches the caller.
#include <atomic>
#include <map>
#include <mutex>
#include <thread>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "libs/connections/connection_store.h"
#include "libs/crypto/sealing.h"
#include "libs/testing/free_port.h"
#include "libs/testing/grpc_status_matchers.h"
#include "libs/testing/status_matchers.h"
#include "services/identity/identity_server.h"
#include "tests/support/service_start.h"
#include "tests/support/suite_fixture.h"
#include "tools/tiktok_sim/seed.h"
#include "ttads/identity/v1/identity_service.grpc.pb.h"

namespace ttads::reliability {
namespace {

using ::testing::AnyOf;
using ::ttads::testing::Authorize;
using ::ttads::testing::GrpcIsOk;
using ::ttads::testing::GrpcStatusIs;
using ::ttads::testing::IsOk;
using ::ttads::testing::SuiteFixture;
using ::ttads::testing::TestTeam;
namespace sim = ::ttads::tiktok_sim::seed;
namespace idv1 = ::ttads::identity::v1;

struct Details {
  std::string reason;
  bool has_retry_info = false;
};

Details DetailsOf(const grpc::Status& status) {
  Details d;
  google::rpc::Status rpc;
  if (!rpc.ParseFromString(status.error_details())) return d;
  for (const auto& any : rpc.details()) {
    google::rpc::ErrorInfo info;
    google::rpc::RetryInfo retry;
    if (any.UnpackTo(&info)) d.reason = info.reason();
    if (any.UnpackTo(&retry)) d.has_retry_info = true;
  }
  return d;
}

class InfrastructureFaultsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto fixture = SuiteFixture::Start();
    ASSERT_THAT(fixture, IsOk());
    fixture_ = *std::move(fixture);
    auto team = fixture_->CreateTeam();
    ASSERT_THAT(team, IsOk());
    team_ = *team;
  }

  std::unique_ptr<identity::IdentityServer> StartIdentity(
      std::map<std::string, std::string> overrides = {}) {
    auto env = fixture_->ServiceEnv();
    env["TTADS_OAUTH_CONSENT_URL"] =
        fixture_->sim().root_url() + "/portal/auth";
    for (const auto& [k, v] : overrides) env[k] = v;
    auto server = testing::StartService<identity::IdentityServer>(
        identity::IdentitySchema(), env);
    EXPECT_THAT(server, IsOk());
    if (!server.ok()) return nullptr;
    stub_ = testing::StubOf<idv1::IdentityService>(**server);
    return *std::move(server);
  }

  // Stores a connection of `member` as identity would (encrypted token).
  void StoreConnection(const TestTeam& team, const std::string& member,
                       const std::string& token) {
    auto key = crypto::ParseKey(absl::Base64Escape(std::string(32, '\x42')));
    ASSERT_THAT(key, IsOk());
    connections::RedisConnectionStore store(&fixture_->redis(), *key);
    connections::Connection c;
    c.connection_id = absl::StrCat("cn", ++seq_);
    c.team_id = team.team_id;
    c.member_id = member;
    c.advertisers.push_back({sim::kAdvertiserTtUser, ""});
    c.advertisers.push_back({sim::kAdvertiserNoTtUser, ""});
    c.create_time = absl::Now();
    ASSERT_THAT(store.Create(c, token), IsOk());
  }

  grpc::Status Check(const std::string& key, const std::string& advertiser,
                     idv1::CheckIdentityResponse* out, int deadline_s = 20) {
    grpc::ClientContext ctx;
    Authorize(&ctx, key, deadline_s);
    idv1::CheckIdentityRequest req;
    req.set_advertiser_id(advertiser);
    return stub_->CheckIdentity(&ctx, req, out);
  }

  grpc::Status ListState(const std::string& key, int* connections,
                         int* accounts) {
    grpc::ClientContext c1;
    Authorize(&c1, key, 5);
    idv1::ListConnectionsResponse conns;
    grpc::Status s = stub_->ListConnections(&c1, {}, &conns);
    if (!s.ok()) return s;
    grpc::ClientContext c2;
    Authorize(&c2, key, 5);
    idv1::ListAccountsResponse accts;
    s = stub_->ListAccounts(&c2, {}, &accts);
    if (!s.ok()) return s;
    *connections = conns.connections_size();
    *accounts = accts.accounts_size();
    return s;
  }

  std::unique_ptr<SuiteFixture> fixture_;
  std::unique_ptr<idv1::IdentityService::Stub> stub_;
  TestTeam team_;
  int seq_ = 0;
};

TEST_F(InfrastructureFaultsTest,
       RedisRestartUnderLoadRecoversWithoutLosingData) {
  auto server = StartIdentity();
  StoreConnection(team_, team_.owner_id,
                  fixture_->sim().IssueAccessToken(
                      {sim::kAdvertiserTtUser, sim::kAdvertiserNoTtUser}));
  {
    grpc::ClientContext ctx;
    Authorize(&ctx, team_.owner_key);
    idv1::ConnectAdsAccountRequest req;
    req.set_platform("tiktok");
    req.set_advertiser_id(sim::kAdvertiserNoTtUser);
    idv1::ConnectAdsAccountResponse resp;
    grpc::Status s = stub_->ConnectAdsAccount(&ctx, req, &resp);
    ASSERT_THAT(s, GrpcIsOk());
  }
  int conns = 0, accts = 0;
  ASSERT_THAT(ListState(team_.owner_key, &conns, &accts), GrpcIsOk());
  ASSERT_EQ(conns, 1);
  ASSERT_EQ(accts, 1);

  // Load: four clients calling list and check RPCs in a loop.
  std::atomic<bool> stop{false};
  std::mutex mu;
  std::map<grpc::StatusCode, int> codes;
  std::vector<std::thread> clients;
  for (int i = 0; i < 4; ++i) {
    clients.emplace_back([&, i] {
      while (!stop.load()) {
        grpc::Status s;
        if (i % 2 == 0) {
          int c = 0, a = 0;
          s = ListState(team_.owner_key, &c, &a);
        } else {
          idv1::CheckIdentityResponse out;
          s = Check(team_.owner_key, sim::kAdvertiserTtUser, &out, 5);
        }
        std::lock_guard<std::mutex> lock(mu);
        ++codes[s.error_code()];
      }
    });
  }
  auto calls = [&] {
    std::lock_guard<std::mutex> lock(mu);
    int n = 0;
    for (const auto& [code, count] : codes) n += count;
    return n;
  };
  while (calls() < 50) std::this_thread::yield();
  const absl::Time restart_start = absl::Now();
  ASSERT_THAT(fixture_->redis_server().Restart(), IsOk());
  const absl::Duration restart_took = absl::Now() - restart_start;

  // Recovery: the first fully successful round after the restart.
  const absl::Time recover_start = absl::Now();
  bool recovered = false;
  while (absl::Now() - recover_start < absl::Seconds(30)) {
    if (ListState(team_.owner_key, &conns, &accts).ok()) {
      recovered = true;
      break;
    }
  }
  const absl::Duration recovery = absl::Now() - recover_start;
  ASSERT_TRUE(recovered);
  // After it, every call succeeds.
  {
    std::lock_guard<std::mutex> lock(mu);
    codes.clear();
  }
  while (calls() < 100) std::this_thread::yield();
  stop = true;
  for (auto& t : clients) t.join();
  EXPECT_EQ(codes.size(), 1u);
  EXPECT_EQ(codes[grpc::StatusCode::OK], calls());
  EXPECT_EQ(conns, 1);
  EXPECT_EQ(accts, 1);
  std::printf("redis restart: %.0f ms, identity recovered %.0f ms later\n",
              absl::ToDoubleMilliseconds(restart_took),
              absl::ToDoubleMilliseconds(recovery));
}

TEST_F(InfrastructureFaultsTest, FailuresDuringRedisRestartAreUnavailable) {
  auto server = StartIdentity();
  std::atomic<bool> stop{false};
  std::mutex mu;
  std::map<grpc::StatusCode, int> codes;
  std::vector<std::thread> clients;
  for (int i = 0; i < 4; ++i) {
    clients.emplace_back([&] {
      while (!stop.load()) {
        int c = 0, a = 0;
        grpc::Status s = ListState(team_.owner_key, &c, &a);
        std::lock_guard<std::mutex> lock(mu);
        ++codes[s.error_code()];
      }
    });
  }
  ASSERT_THAT(fixture_->redis_server().Stop(), IsOk());
  // With Redis down every answer is an error, and an UNAVAILABLE one.
  while (true) {
    std::lock_guard<std::mutex> lock(mu);
    if (codes[grpc::StatusCode::UNAVAILABLE] >= 20) break;
  }
  ASSERT_THAT(fixture_->redis_server().Restart(), IsOk());
  stop = true;
  for (auto& t : clients) t.join();
  for (const auto& [code, count] : codes) {
    std::printf("redis down/restart: code %d seen %d times\n", code, count);
    EXPECT_THAT(code,
                AnyOf(grpc::StatusCode::OK, grpc::StatusCode::UNAVAILABLE))
        << "seen " << count << " times";
  }
}

TEST_F(InfrastructureFaultsTest, UnreachableSimulatorIsApiErrorAndUnavailable) {
  auto port = ::ttads::testing::FreePort();
  ASSERT_THAT(port, IsOk());
  auto server = StartIdentity(
      {{"TTADS_TIKTOK_BASE_URL",
        absl::StrCat("http://127.0.0.1:", *port, "/open_api/v1.3/")}});
  StoreConnection(team_, team_.owner_id, "unused-token-for-a-dead-upstream");

  idv1::CheckIdentityResponse check;
  grpc::Status s = Check(team_.owner_key, sim::kAdvertiserTtUser, &check, 10);
  ASSERT_THAT(s, GrpcIsOk());
  EXPECT_FALSE(check.has_identity());
  EXPECT_EQ(check.reason(), "api_error");

  grpc::ClientContext ctx;
  Authorize(&ctx, team_.owner_key, 10);
  idv1::ListIdentitiesRequest req;
  req.set_advertiser_id(sim::kAdvertiserTtUser);
  idv1::ListIdentitiesResponse out;
  s = stub_->ListIdentities(&ctx, req, &out);
  EXPECT_THAT(s, GrpcStatusIs(grpc::StatusCode::UNAVAILABLE));
  const Details d = DetailsOf(s);
  EXPECT_EQ(d.reason, "TIKTOK_UNAVAILABLE");
  EXPECT_TRUE(d.has_retry_info);
}

TEST_F(InfrastructureFaultsTest, ThrottlingBurstsNeverReachTheCaller) {
  auto server = StartIdentity();
  fixture_->sim().AddFault({.path_prefix = "",
                            .mode = tiktok_sim::FaultMode::kCode,
                            .code = 40100,
                            .rate = 0.5});
  // A team per call: each check misses the identity cache and calls TikTok.
  constexpr int kCalls = 24;
  std::vector<TestTeam> teams;
  for (int i = 0; i < kCalls; ++i) {
    auto team = fixture_->CreateTeam();
    ASSERT_THAT(team, IsOk());
    StoreConnection(*team, team->owner_id,
                    fixture_->sim().IssueAccessToken({sim::kAdvertiserTtUser}));
    teams.push_back(*team);
  }
  std::atomic<int> ok{0};
  std::vector<std::thread> callers;
  const absl::Time start = absl::Now();
  for (int i = 0; i < kCalls; ++i) {
    callers.emplace_back([&, i] {
      idv1::CheckIdentityResponse out;
      grpc::Status s =
          Check(teams[i].owner_key, sim::kAdvertiserTtUser, &out, 20);
      EXPECT_THAT(s, GrpcIsOk());
      EXPECT_TRUE(out.has_identity()) << out.reason();
      EXPECT_NE(out.tiktok_error().code(), 40100);
      if (s.ok() && out.has_identity()) ++ok;
    });
  }
  for (auto& t : callers) t.join();
  const absl::Duration took = absl::Now() - start;
  EXPECT_EQ(ok.load(), kCalls);
  auto stats = fixture_->sim().stats();
  int64_t total = 0, succeeded = 0;
  for (const auto& [path, c] : stats.calls) {
    total += c.total;
    succeeded += c.ok;
  }
  EXPECT_GT(total, succeeded) << "the fault never fired: the test is void";
  std::printf(
      "throttling 50%%: %d calls ok in %.0f ms; upstream %lld requests, "
      "%lld throttled\n",
      kCalls, absl::ToDoubleMilliseconds(took), static_cast<long long>(total),
      static_cast<long long>(total - succeeded));
}

}  // namespace
}  // namespace ttads::reliability
