// The TeamStore contract, run against RedisTeamStore (private redis-server)
// and InMemoryTeamStore, so the fake stays faithful to production.
#include "libs/auth/team_store.h"

#include <functional>
#include <memory>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/auth/in_memory_team_store.h"
#include "libs/auth/redis_team_store.h"
#include "libs/store/redis.h"
#include "libs/testing/redis_server.h"

namespace ttads::auth {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::Not;

// Owns whatever a store implementation needs.
struct Backend {
  std::unique_ptr<ttads::testing::RedisServer> server;
  std::unique_ptr<store::RedisPool> pool;
  std::unique_ptr<TeamStore> store;
};

using Factory = std::function<Backend()>;

Backend MakeRedis() {
  Backend b;
  auto server = ttads::testing::RedisServer::Start();
  EXPECT_TRUE(server.ok()) << server.status();
  if (!server.ok()) return b;
  b.server = std::move(*server);
  auto pool =
      store::RedisPool::Connect(*store::ParseRedisAddress(b.server->address()));
  EXPECT_TRUE(pool.ok()) << pool.status();
  if (!pool.ok()) return b;
  b.pool = std::move(*pool);
  b.store = std::make_unique<RedisTeamStore>(*b.pool);
  return b;
}

Backend MakeInMemory() {
  Backend b;
  b.store = std::make_unique<InMemoryTeamStore>();
  return b;
}

class TeamStoreContractTest
    : public ::testing::TestWithParam<std::pair<const char*, Factory>> {
 protected:
  void SetUp() override {
    backend_ = GetParam().second();
    ASSERT_NE(backend_.store, nullptr);
    store_ = backend_.store.get();
  }

  Backend backend_;
  TeamStore* store_ = nullptr;
};

TEST_P(TeamStoreContractTest, TeamsRoundTrip) {
  auto team = store_->CreateTeam("Acme Growth", kTierStandard, true);
  ASSERT_TRUE(team.ok()) << team.status();
  EXPECT_THAT(team->id, ::testing::StartsWith("tm_"));
  auto got = store_->GetTeam(team->id);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->name, "Acme Growth");
  EXPECT_EQ(got->tier, "standard");
  EXPECT_TRUE(got->subscription_active);
  EXPECT_EQ(got->create_time, team->create_time);

  ASSERT_TRUE(store_->SetSubscriptionActive(team->id, false).ok());
  ASSERT_TRUE(store_->SetTier(team->id, kTierEnterprise).ok());
  got = store_->GetTeam(team->id);
  EXPECT_FALSE(got->subscription_active);
  EXPECT_EQ(got->tier, "enterprise");

  auto second = store_->CreateTeam("Beta", kTierFree, false);
  ASSERT_TRUE(second.ok());
  auto all = store_->ListTeams();
  ASSERT_TRUE(all.ok());
  EXPECT_THAT(*all, ElementsAre(Field(&Team::id, team->id),
                                Field(&Team::id, second->id)));
}

TEST_P(TeamStoreContractTest, BadInputAndMissingTeams) {
  EXPECT_EQ(store_->CreateTeam("", kTierFree, true).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->CreateTeam(std::string(101, 'x'), kTierFree, true)
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->CreateTeam("x", "gold", true).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->GetTeam("tm_missing").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(store_->GetTeam("bad}id").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->AddMember("tm_missing", "a", Role::kOwner).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(store_->SetSubscriptionActive("tm_missing", true).code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(store_->ListMembers("tm_missing").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(store_->RevokeApiKey("key_missing").code(),
            absl::StatusCode::kNotFound);
  auto team = store_->CreateTeam("t", kTierFree, true);
  ASSERT_TRUE(team.ok());
  EXPECT_EQ(
      store_->AddMember(team->id, "a", Role::kUnspecified).status().code(),
      absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->SetTier(team->id, "gold").code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_P(TeamStoreContractTest, MembersBelongToTheirTeam) {
  auto a = store_->CreateTeam("A", kTierStandard, true);
  auto b = store_->CreateTeam("B", kTierStandard, true);
  ASSERT_TRUE(a.ok() && b.ok());
  auto owner = store_->AddMember(a->id, "Olivia", Role::kOwner);
  auto buyer = store_->AddMember(a->id, "Bo", Role::kMediaBuyer);
  ASSERT_TRUE(owner.ok() && buyer.ok());
  EXPECT_THAT(owner->id, ::testing::StartsWith("mb_"));

  auto members = store_->ListMembers(a->id);
  ASSERT_TRUE(members.ok());
  ASSERT_EQ(members->size(), 2u);
  EXPECT_EQ((*members)[0].name, "Olivia");
  EXPECT_EQ((*members)[0].role, Role::kOwner);
  EXPECT_EQ((*members)[1].role, Role::kMediaBuyer);
  EXPECT_TRUE(store_->ListMembers(b->id)->empty());

  EXPECT_TRUE(store_->GetMember(a->id, owner->id).ok());
  EXPECT_EQ(store_->GetMember(b->id, owner->id).status().code(),
            absl::StatusCode::kNotFound);
  // A key can't be issued for another team's member.
  EXPECT_EQ(store_->IssueApiKey(b->id, owner->id).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_P(TeamStoreContractTest, IssuedKeyAuthenticatesWithTenantFromKey) {
  auto team = store_->CreateTeam("A", kTierStandard, true);
  ASSERT_TRUE(team.ok());
  auto manager = store_->AddMember(team->id, "Max", Role::kManager);
  ASSERT_TRUE(manager.ok());
  auto key = store_->IssueApiKey(team->id, manager->id);
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_THAT(key->plaintext, ::testing::StartsWith("ttads_"));
  EXPECT_EQ(key->plaintext.size(), 6u + 43u);

  auto principal = store_->Authenticate(key->plaintext);
  ASSERT_TRUE(principal.ok()) << principal.status();
  EXPECT_EQ(principal->team_id, team->id);
  EXPECT_EQ(principal->member_id, manager->id);
  EXPECT_EQ(principal->role, Role::kManager);
  EXPECT_EQ(principal->key_id, key->key_id);

  auto keys = store_->ListApiKeys(team->id);
  ASSERT_TRUE(keys.ok());
  ASSERT_EQ(keys->size(), 1u);
  EXPECT_EQ((*keys)[0].key_id, key->key_id);
  EXPECT_EQ((*keys)[0].member_id, manager->id);
  EXPECT_FALSE((*keys)[0].revoked);
}

TEST_P(TeamStoreContractTest, WrongKeysRefused) {
  auto team = store_->CreateTeam("A", kTierStandard, true);
  auto owner = store_->AddMember(team->id, "O", Role::kOwner);
  auto key = store_->IssueApiKey(team->id, owner->id);
  ASSERT_TRUE(key.ok());
  std::string altered = key->plaintext;
  altered.back() = altered.back() == 'A' ? 'B' : 'A';
  for (const std::string& wrong :
       {altered, std::string(""), std::string("ttads_"),
        "ttads_" + std::string(43, 'A'), key->plaintext.substr(1),
        key->plaintext + " ", std::string("Bearer ") + key->plaintext}) {
    auto result = store_->Authenticate(wrong);
    EXPECT_EQ(result.status().code(), absl::StatusCode::kUnauthenticated)
        << wrong;
    EXPECT_THAT(std::string(result.status().message()),
                Not(HasSubstr(key->plaintext.substr(6))));
  }
}

TEST_P(TeamStoreContractTest, RevokedKeyRefusedAtOnce) {
  auto team = store_->CreateTeam("A", kTierStandard, true);
  auto owner = store_->AddMember(team->id, "O", Role::kOwner);
  auto revoked = store_->IssueApiKey(team->id, owner->id);
  auto kept = store_->IssueApiKey(team->id, owner->id);
  ASSERT_TRUE(revoked.ok() && kept.ok());
  ASSERT_TRUE(store_->Authenticate(revoked->plaintext).ok());

  ASSERT_TRUE(store_->RevokeApiKey(revoked->key_id).ok());
  EXPECT_EQ(store_->Authenticate(revoked->plaintext).status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_TRUE(store_->Authenticate(kept->plaintext).ok());
  EXPECT_TRUE(store_->RevokeApiKey(revoked->key_id).ok());  // idempotent

  auto keys = store_->ListApiKeys(team->id);
  ASSERT_TRUE(keys.ok());
  ASSERT_EQ(keys->size(), 2u);
  EXPECT_TRUE((*keys)[0].revoked);
  EXPECT_FALSE((*keys)[1].revoked);
}

TEST_P(TeamStoreContractTest, KeysOfTwoTeamsResolveToTheirOwnTeam) {
  auto a = store_->CreateTeam("A", kTierStandard, true);
  auto b = store_->CreateTeam("B", kTierStandard, true);
  auto ma = store_->AddMember(a->id, "a", Role::kMediaBuyer);
  auto mb = store_->AddMember(b->id, "b", Role::kOwner);
  auto ka = store_->IssueApiKey(a->id, ma->id);
  auto kb = store_->IssueApiKey(b->id, mb->id);
  ASSERT_TRUE(ka.ok() && kb.ok());
  EXPECT_EQ(store_->Authenticate(ka->plaintext)->team_id, a->id);
  EXPECT_EQ(store_->Authenticate(kb->plaintext)->team_id, b->id);
  EXPECT_EQ(store_->Authenticate(ka->plaintext)->role, Role::kMediaBuyer);
}

INSTANTIATE_TEST_SUITE_P(
    Implementations, TeamStoreContractTest,
    ::testing::Values(std::make_pair("Redis", Factory(MakeRedis)),
                      std::make_pair("InMemory", Factory(MakeInMemory))),
    [](const auto& info) { return std::string(info.param.first); });

TEST(RoleTest, NamesAndOrder) {
  EXPECT_EQ(*ParseRole("OWNER"), Role::kOwner);
  EXPECT_EQ(*ParseRole("mediabuyer"), Role::kMediaBuyer);
  EXPECT_EQ(ParseRole("admin").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(RoleName(Role::kManager), "manager");
  EXPECT_TRUE(RoleAtLeast(Role::kOwner, Role::kManager));
  EXPECT_TRUE(RoleAtLeast(Role::kManager, Role::kManager));
  EXPECT_FALSE(RoleAtLeast(Role::kMediaBuyer, Role::kManager));
  EXPECT_FALSE(RoleAtLeast(Role::kUnspecified, Role::kUnspecified));
}

}  // namespace
}  // namespace ttads::auth
