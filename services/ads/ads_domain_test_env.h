#ifndef TTADS_SERVICES_ADS_ADS_DOMAIN_TEST_ENV_H_
#define TTADS_SERVICES_ADS_ADS_DOMAIN_TEST_ENV_H_

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "libs/connections/fake_connection_store.h"
#include "libs/connections/token_resolver.h"
#include "libs/idempotency/idempotency_store.h"
#include "libs/server/call_context.h"
#include "libs/status/status.h"
#include "libs/testing/private_redis.h"
#include "libs/testing/status_matchers.h"
#include "libs/tiktok/error_class.h"
#include "services/ads/advertiser_tokens.h"
#include "services/ads/fake_tiktok_ads_api.h"

namespace ttads::ads {

// A team with one owner whose connection reaches one advertiser, the fake
// TikTok, and the token rule over them: what every ads domain test starts
// from.
class AdsDomainTest : public ::testing::Test {
 protected:
  static constexpr char kTeam[] = "team-1";
  static constexpr char kOwner[] = "member-owner";
  static constexpr char kAdvertiser[] = "7101000000000000001";
  static constexpr char kAdgroup[] = "1700000000000000001";

  AdsDomainTest() : resolver_(&connections_), tokens_(&resolver_) {
    Connect(kOwner, {{kAdvertiser, "Demo Brand"}});
  }

  void Connect(const std::string& member,
               std::vector<connections::AdvertiserRef> advertisers) {
    connections::Connection c;
    c.connection_id = "conn-" + member + std::to_string(next_connection_++);
    c.team_id = kTeam;
    c.member_id = member;
    c.advertisers = std::move(advertisers);
    c.create_time = absl::Now();
    ASSERT_THAT(connections_.Create(c, "token-" + member),
                ::ttads::testing::IsOk());
  }

  server::CallContext Call(const std::string& member = kOwner,
                           const std::string& role = "owner") {
    server::CallContext call;
    call.request_id = "req-test";
    call.caller.team_id = kTeam;
    call.caller.member_id = member;
    call.caller.role = role;
    call.deadline = absl::Now() + absl::Seconds(30);
    return call;
  }

  // The fields named by `s`'s BadRequest violations.
  static std::set<std::string> Fields(const absl::Status& s) {
    google::rpc::BadRequest bad;
    std::set<std::string> out;
    if (status::GetDetail(s, &bad)) {
      for (const auto& v : bad.field_violations()) out.insert(v.field());
    }
    return out;
  }

  // A private redis-server shared by the tests of this binary (request-id
  // records; keys differ per test), started on first use.
  static store::RedisPool* TestRedis() {
    // Destroyed at exit (its pool before its server).
    static std::unique_ptr<testing::PrivateRedis> redis = [] {
      auto started = testing::PrivateRedis::Start({.pool_size = 8});
      EXPECT_THAT(started, ::ttads::testing::IsOk());
      return started.ok() ? *std::move(started)
                          : std::unique_ptr<testing::PrivateRedis>();
    }();
    return redis != nullptr ? redis->pool() : nullptr;
  }

  // A failure after which TikTok may have applied the call (timeout after
  // the request was sent).
  static absl::Status Lost() {
    absl::Status s = absl::DeadlineExceededError("timeout after send");
    tiktok::TikTokErrorInfo info;
    info.ambiguous = true;
    info.retryable = true;
    tiktok::SetTikTokErrorInfo(s, info);
    return s;
  }

  FakeTikTokAdsApi tiktok_;
  connections::FakeConnectionStore connections_;
  connections::TokenResolver resolver_;
  AdvertiserTokens tokens_;

 private:
  int next_connection_ = 1;
};

}  // namespace ttads::ads

#endif  // TTADS_SERVICES_ADS_ADS_DOMAIN_TEST_ENV_H_
