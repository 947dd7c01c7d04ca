#ifndef TTADS_SERVICES_IDENTITY_IDENTITY_DOMAIN_FIXTURE_H_
#define TTADS_SERVICES_IDENTITY_IDENTITY_DOMAIN_FIXTURE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "libs/auth/in_memory_team_store.h"
#include "libs/connections/connection_store.h"
#include "libs/connections/token_resolver.h"
#include "libs/contracts/enum_names.h"
#include "libs/crypto/sealing.h"
#include "libs/server/call_context.h"
#include "libs/status/grpc_status.h"
#include "libs/status/status.h"
#include "libs/testing/field_violations.h"
#include "libs/testing/private_redis.h"
#include "libs/testing/status_matchers.h"
#include "services/identity/account_store.h"
#include "services/identity/fake_tiktok_identity_api.h"
#include "services/identity/identity_catalog.h"

// The identity domain's unit-test environment: FakeTikTokIdentityApi for
// TikTok, the real stores over a private redis-server, an in-memory team
// store, and callers of two teams. No HTTP anywhere.
namespace ttads::identity {

inline constexpr char kAdvertiser[] = "7101000000000000001";
inline constexpr char kOtherAdvertiser[] = "7101000000000000002";

class IdentityDomainTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto redis = testing::PrivateRedis::Start({.pool_size = 4});
    ASSERT_THAT(redis, testing::IsOk());
    private_redis_ = *std::move(redis);
    redis_ = private_redis_->pool();
    connections_ = std::make_unique<connections::RedisConnectionStore>(
        redis_, *crypto::AeadKey::FromBytes(std::string(32, 'k')));
    tokens_ = std::make_unique<connections::TokenResolver>(connections_.get());
    accounts_ = std::make_unique<AccountStore>(redis_);
    catalog_ = std::make_unique<IdentityCatalog>(redis_, connections_.get(),
                                                 tokens_.get(), &teams_,
                                                 &tiktok_, CatalogOptions{});
    auto team = teams_.CreateTeam("Acme", auth::kTierStandard, true);
    ASSERT_THAT(team, testing::IsOk());
    auto other = teams_.CreateTeam("Other", auth::kTierStandard, true);
    ASSERT_THAT(other, testing::IsOk());
    owner_ = Caller(team->id, "mb_owner", "owner");
    manager_ = Caller(team->id, "mb_manager", "manager");
    buyer_ = Caller(team->id, "mb_buyer", "mediabuyer");
    stranger_ = Caller(other->id, "mb_stranger", "owner");
    tiktok_.AddAdvertiser(kAdvertiser, "Acme Ads");
    tiktok_.AddAdvertiser(kOtherAdvertiser, "Acme Second");
  }

  static server::CallContext Caller(const std::string& team,
                                    const std::string& member,
                                    const std::string& role) {
    server::CallContext call;
    call.request_id = "req-test";
    call.caller.team_id = team;
    call.caller.member_id = member;
    call.caller.role = role;
    call.deadline = absl::Now() + absl::Minutes(5);
    return call;
  }

  // Stores an active connection of `call`'s member whose token (known to
  // the fake) reaches `advertisers`; returns the token.
  std::string Connect(const server::CallContext& call,
                      std::vector<std::string> advertisers = {kAdvertiser}) {
    const std::string token = absl::StrCat("act.test-", ++connection_count_);
    tiktok_.AddToken(token, advertisers);
    connections::Connection connection;
    connection.connection_id = absl::StrCat("cn_test", connection_count_);
    connection.team_id = call.caller.team_id;
    connection.member_id = call.caller.member_id;
    for (const auto& id : advertisers) {
      connection.advertisers.push_back({id, ""});
    }
    connection.create_time = absl::Now();
    EXPECT_THAT(connections_->Create(connection, token), testing::IsOk());
    return token;
  }

  common::v1::Identity AddIdentity(const std::string& advertiser,
                                   common::v1::IdentityType type,
                                   const std::string& bc_id = "",
                                   const std::string& status = "AVAILABLE") {
    common::v1::Identity identity;
    identity.set_identity_type(type);
    identity.set_display_name(contracts::ShortName(type));
    identity.set_available_status(status);
    identity.set_identity_authorized_bc_id(bc_id);
    return tiktok_.AddIdentity(advertiser, identity);
  }

  std::unique_ptr<testing::PrivateRedis> private_redis_;
  store::RedisPool* redis_ = nullptr;  // private_redis_'s
  FakeTikTokIdentityApi tiktok_;
  auth::InMemoryTeamStore teams_;
  std::unique_ptr<connections::RedisConnectionStore> connections_;
  std::unique_ptr<connections::TokenResolver> tokens_;
  std::unique_ptr<AccountStore> accounts_;
  std::unique_ptr<IdentityCatalog> catalog_;
  server::CallContext owner_, manager_, buyer_, stranger_;
  int connection_count_ = 0;
};

}  // namespace ttads::identity

#endif  // TTADS_SERVICES_IDENTITY_IDENTITY_DOMAIN_FIXTURE_H_
