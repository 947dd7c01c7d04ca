// RedisTikTokAccountStore and RedisRefreshLease on a private redis-server,
// and two AccountTokenSources (two replicas) refreshing one account at once
// against the simulator's Login Kit: one refresh reaches TikTok.

#include "libs/connections/tiktok_account_store.h"

#include <thread>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/connections/account_token_source.h"
#include "libs/connections/refresh_lease.h"
#include "libs/testing/private_redis.h"
#include "libs/testing/status_matchers.h"
#include "libs/tiktok_open/login_api.h"
#include "tools/tiktok_sim/seed.h"
#include "tools/tiktok_sim/sim.h"

namespace ttads::connections {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::ttads::testing::IsOk;
using ::ttads::testing::IsOkAndHolds;
using ::ttads::testing::StatusIs;

class TikTokAccountStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto redis = ttads::testing::PrivateRedis::Start();
    ASSERT_THAT(redis, IsOk());
    private_redis_ = *std::move(redis);
    redis_ = private_redis_->pool();
    auto key = crypto::AeadKey::FromBytes(std::string(32, 'k'));
    ASSERT_THAT(key, IsOk());
    store_ = std::make_unique<RedisTikTokAccountStore>(redis_, *key);
  }

  TikTokAccount Account(const std::string& id) {
    TikTokAccount a;
    a.connection_id = id;
    a.team_id = "t1";
    a.member_id = "m1";
    a.open_id = "open-1";
    a.scopes = {"user.info.basic", "video.list"};
    a.create_time = absl::FromUnixMillis(1767225600000);
    return a;
  }

  std::unique_ptr<ttads::testing::PrivateRedis> private_redis_;
  store::RedisPool* redis_ = nullptr;  // private_redis_'s
  std::unique_ptr<RedisTikTokAccountStore> store_;
};

TEST_F(TikTokAccountStoreTest, TokensAreEncryptedAtRestAndScoped) {
  AccountTokens t{"act.secret-access", "rft.secret-refresh",
                  absl::FromUnixMillis(1767229200000),
                  absl::FromUnixMillis(1798761600000)};
  ASSERT_THAT(store_->Create(Account("c1"), t), IsOk());
  auto raw = redis_->Command({"HGETALL", TikTokAccountKey("t1", "c1")});
  ASSERT_THAT(raw, IsOk());
  for (const auto& e : raw->elements) {
    EXPECT_THAT(e.str, Not(HasSubstr("secret")));
  }
  auto got = store_->Get("t1", "c1");
  ASSERT_THAT(got, IsOk());
  EXPECT_EQ(got->scopes,
            (std::vector<std::string>{"user.info.basic", "video.list"}));
  EXPECT_EQ(got->access_expire_time, t.access_expire_time);
  auto tokens = store_->Tokens("t1", "c1");
  ASSERT_THAT(tokens, IsOk());
  EXPECT_EQ(tokens->access_token, "act.secret-access");
  EXPECT_EQ(tokens->refresh_token, "rft.secret-refresh");
  EXPECT_THAT(store_->Get("t2", "c1"), StatusIs(absl::StatusCode::kNotFound));

  ASSERT_THAT(
      store_->SetState("t1", "c1", TikTokAccount::State::kRevoked, absl::Now()),
      IsOk());
  EXPECT_EQ(store_->Get("t1", "c1")->state, TikTokAccount::State::kRevoked);
  EXPECT_THAT(store_->Tokens("t1", "c1"),
              StatusIs(absl::StatusCode::kNotFound));
  auto list = store_->List("t1");
  ASSERT_THAT(list, IsOk());
  EXPECT_EQ(list->size(), 1u);
}

TEST_F(TikTokAccountStoreTest, RefreshScheduleFollowsTokensAndState) {
  const absl::Time now = absl::FromUnixMillis(1767225600000);
  auto tokens = [&](absl::Duration left) {
    return AccountTokens{"act", "rft", now + left, now + absl::Hours(8760)};
  };
  ASSERT_THAT(store_->Create(Account("c1"), tokens(absl::Minutes(30))), IsOk());
  ASSERT_THAT(store_->Create(Account("c2"), tokens(absl::Minutes(10))), IsOk());
  ASSERT_THAT(store_->Create(Account("c3"), tokens(absl::Hours(20))), IsOk());
  // Soonest first, only what expires before the bound, at most `limit`.
  auto due = store_->DueForRefresh(now + absl::Hours(1), 10);
  ASSERT_THAT(due, IsOk());
  ASSERT_EQ(due->size(), 2u);
  EXPECT_EQ((*due)[0].connection_id, "c2");
  EXPECT_EQ((*due)[0].team_id, "t1");
  EXPECT_EQ((*due)[0].access_expire_time, now + absl::Minutes(10));
  EXPECT_EQ((*due)[1].connection_id, "c1");
  EXPECT_EQ(store_->DueForRefresh(now + absl::Hours(1), 1)->size(), 1u);
  // New tokens move the entry; a state other than active removes it.
  ASSERT_THAT(store_->UpdateTokens("t1", "c2", tokens(absl::Hours(24))),
              IsOk());
  ASSERT_THAT(
      store_->SetState("t1", "c1", TikTokAccount::State::kNeedsReconsent, now),
      IsOk());
  EXPECT_THAT(*store_->DueForRefresh(now + absl::Hours(1), 10),
              ::testing::IsEmpty());
  due = store_->DueForRefresh(now + absl::Hours(25), 10);
  ASSERT_THAT(due, IsOk());
  ASSERT_EQ(due->size(), 2u);
  EXPECT_EQ((*due)[0].connection_id, "c3");
  EXPECT_EQ((*due)[1].connection_id, "c2");
  // Tokens stored for a connection that is no longer active (a refresh that
  // raced a revoke) do not put it back.
  ASSERT_THAT(store_->SetState("t1", "c3", TikTokAccount::State::kRevoked, now),
              IsOk());
  ASSERT_THAT(store_->UpdateTokens("t1", "c3", tokens(absl::Minutes(5))),
              IsOk());
  ASSERT_THAT(store_->Unschedule("t1", "c2"), IsOk());
  EXPECT_THAT(*store_->DueForRefresh(now + absl::Hours(25), 10),
              ::testing::IsEmpty());
}

TEST_F(TikTokAccountStoreTest, LeaseIsExclusiveAndReleasedByItsOwnerOnly) {
  RedisRefreshLease lease(redis_);
  EXPECT_THAT(lease.TryAcquire("t1", "c1", "a", absl::Seconds(30)),
              IsOkAndHolds(true));
  EXPECT_THAT(lease.TryAcquire("t1", "c1", "b", absl::Seconds(30)),
              IsOkAndHolds(false));
  EXPECT_THAT(lease.Release("t1", "c1", "b"), IsOk());  // Not b's: kept.
  EXPECT_THAT(lease.TryAcquire("t1", "c1", "b", absl::Seconds(30)),
              IsOkAndHolds(false));
  EXPECT_THAT(lease.Release("t1", "c1", "a"), IsOk());
  EXPECT_THAT(lease.TryAcquire("t1", "c1", "b", absl::Seconds(30)),
              IsOkAndHolds(true));
}

TEST_F(TikTokAccountStoreTest, TwoReplicasRefreshingAtOnceCostOneRefresh) {
  auto sim = tiktok_sim::TikTokSim::Start({});
  ASSERT_THAT(sim, IsOk());
  // A real grant at the simulator, stored as a connection whose token is
  // inside the refresh margin.
  tiktok_open::HttpLoginApi login(tiktok_open::LoginApiOptions{
      (*sim)->root_url(), "ttads-local-app", "local-sim-secret"});
  std::string code;
  (*sim)->WithState([&](tiktok_sim::SimState& s) {
    code = "test-code";
    s.open.codes[code] = {
        tiktok_sim::seed::kTikTokUserDemo,
        {"video.list"},
        "https://app.example/cb",
        std::chrono::system_clock::now() + std::chrono::minutes(5),
        false};
    return 0;
  });
  auto granted = login.ExchangeCode(code, "https://app.example/cb",
                                    absl::Now() + absl::Seconds(10));
  ASSERT_THAT(granted, IsOk());
  ASSERT_THAT(store_->Create(Account("c1"),
                             {granted->access_token, granted->refresh_token,
                              absl::Now() + absl::Minutes(1),
                              granted->refresh_expire_time}),
              IsOk());

  RedisRefreshLease lease(redis_);
  // Two replicas, each with its own Redis pool and client, many callers.
  std::vector<std::unique_ptr<AccountTokenSource>> replicas;
  for (int i = 0; i < 2; ++i) {
    replicas.push_back(
        std::make_unique<AccountTokenSource>(store_.get(), &lease, &login));
  }
  std::vector<std::thread> callers;
  std::vector<absl::Status> results(8);
  for (int i = 0; i < 8; ++i) {
    callers.emplace_back([&, i] {
      results[i] =
          replicas[i % 2]
              ->AccessToken("t1", "c1", absl::Now() + absl::Seconds(10))
              .status();
    });
  }
  for (auto& t : callers) t.join();
  for (const auto& st : results) EXPECT_THAT(st, IsOk());
  EXPECT_EQ((*sim)->user_token_refreshes(), 1u);
  EXPECT_EQ(store_->Get("t1", "c1")->state, TikTokAccount::State::kActive);
  EXPECT_GT(store_->Get("t1", "c1")->access_expire_time,
            absl::Now() + absl::Hours(23));
}

}  // namespace
}  // namespace ttads::connections
