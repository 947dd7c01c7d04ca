// The TeamStore contract, run against RedisTeamStore (private redis-server)
// and InMemoryTeamStore, so the fake stays faithful to production.
#include "libs/auth/team_store.h"

#include <functional>
#include <memory>
#include <mutex>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/auth/in_memory_team_store.h"
#include "libs/auth/redis_team_store.h"
#include "libs/testing/private_redis.h"
#include "libs/testing/status_matchers.h"

namespace ttads::auth {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::Not;
using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;

// A clock the test moves by hand (starts at the real time, so Redis'
// own expiry of a rotated key's lookup lies in the future). Each reading
// is a microsecond after the previous one, so things created one after
// the other keep their order (creation times are the stores' order).
class FakeClock {
 public:
  absl::Time Now() {
    std::lock_guard<std::mutex> lock(mu_);
    now_ += absl::Microseconds(1);
    return now_;
  }
  void Advance(absl::Duration d) {
    std::lock_guard<std::mutex> lock(mu_);
    now_ += d;
  }
  std::function<absl::Time()> AsFunction() {
    return [this] { return Now(); };
  }

 private:
  std::mutex mu_;
  absl::Time now_ = absl::Now();
};

// Owns whatever a store implementation needs.
struct Backend {
  std::unique_ptr<ttads::testing::PrivateRedis> redis;
  std::unique_ptr<TeamStore> store;
};

using Factory = std::function<Backend(std::function<absl::Time()>)>;

Backend MakeRedis(std::function<absl::Time()> clock) {
  Backend b;
  auto redis = ttads::testing::PrivateRedis::Start();
  EXPECT_THAT(redis, IsOk());
  if (!redis.ok()) return b;
  b.redis = std::move(*redis);
  b.store =
      std::make_unique<RedisTeamStore>(*b.redis->pool(), std::move(clock));
  return b;
}

Backend MakeInMemory(std::function<absl::Time()> clock) {
  Backend b;
  b.store = std::make_unique<InMemoryTeamStore>(std::move(clock));
  return b;
}

class TeamStoreContractTest
    : public ::testing::TestWithParam<std::pair<const char*, Factory>> {
 protected:
  void SetUp() override {
    backend_ = GetParam().second(clock_.AsFunction());
    ASSERT_NE(backend_.store, nullptr);
    store_ = backend_.store.get();
  }

  // A team with one member of `role` and one key of it.
  struct Seat {
    std::string team_id, member_id;
    IssuedKey key;
  };
  Seat NewSeat(Role role = Role::kOwner) {
    Seat seat;
    auto team = store_->CreateTeam("T", kTierStandard, true);
    EXPECT_THAT(team, IsOk());
    if (!team.ok()) return seat;
    seat.team_id = team->id;
    auto member = store_->AddMember(team->id, "M", role);
    EXPECT_THAT(member, IsOk());
    if (!member.ok()) return seat;
    seat.member_id = member->id;
    auto key = store_->IssueApiKey(team->id, member->id);
    EXPECT_THAT(key, IsOk());
    if (key.ok()) seat.key = *key;
    return seat;
  }

  FakeClock clock_;
  Backend backend_;
  TeamStore* store_ = nullptr;
};

TEST_P(TeamStoreContractTest, TeamsRoundTrip) {
  auto team = store_->CreateTeam("Acme Growth", kTierStandard, true);
  ASSERT_THAT(team, IsOk());
  EXPECT_THAT(team->id, ::testing::StartsWith("tm_"));
  auto got = store_->GetTeam(team->id);
  ASSERT_THAT(got, IsOk());
  EXPECT_EQ(got->name, "Acme Growth");
  EXPECT_EQ(got->tier, "standard");
  EXPECT_TRUE(got->subscription_active);
  EXPECT_EQ(got->create_time, team->create_time);

  ASSERT_THAT(store_->SetSubscriptionActive(team->id, false), IsOk());
  ASSERT_THAT(store_->SetTier(team->id, kTierEnterprise), IsOk());
  got = store_->GetTeam(team->id);
  EXPECT_FALSE(got->subscription_active);
  EXPECT_EQ(got->tier, "enterprise");

  auto second = store_->CreateTeam("Beta", kTierFree, false);
  ASSERT_THAT(second, IsOk());
  auto all = store_->ListTeams();
  ASSERT_THAT(all, IsOk());
  EXPECT_THAT(*all, ElementsAre(Field(&Team::id, team->id),
                                Field(&Team::id, second->id)));
}

TEST_P(TeamStoreContractTest, BadInputAndMissingTeams) {
  EXPECT_THAT(store_->CreateTeam("", kTierFree, true),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(store_->CreateTeam(std::string(101, 'x'), kTierFree, true),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(store_->CreateTeam("x", "gold", true),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(store_->GetTeam("tm_missing"),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(store_->GetTeam("bad}id"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(store_->AddMember("tm_missing", "a", Role::kOwner),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(store_->SetSubscriptionActive("tm_missing", true),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(store_->ListMembers("tm_missing"),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(store_->RevokeApiKey("key_missing"),
              StatusIs(absl::StatusCode::kNotFound));
  auto team = store_->CreateTeam("t", kTierFree, true);
  ASSERT_THAT(team, IsOk());
  EXPECT_THAT(store_->AddMember(team->id, "a", Role::kUnspecified),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(store_->SetTier(team->id, "gold"),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_P(TeamStoreContractTest, MembersBelongToTheirTeam) {
  auto a = store_->CreateTeam("A", kTierStandard, true);
  auto b = store_->CreateTeam("B", kTierStandard, true);
  ASSERT_THAT(a, IsOk());
  ASSERT_THAT(b, IsOk());
  auto owner = store_->AddMember(a->id, "Olivia", Role::kOwner);
  auto buyer = store_->AddMember(a->id, "Bo", Role::kMediaBuyer);
  ASSERT_THAT(owner, IsOk());
  ASSERT_THAT(buyer, IsOk());
  EXPECT_THAT(owner->id, ::testing::StartsWith("mb_"));

  auto members = store_->ListMembers(a->id);
  ASSERT_THAT(members, IsOk());
  ASSERT_EQ(members->size(), 2u);
  EXPECT_EQ((*members)[0].name, "Olivia");
  EXPECT_EQ((*members)[0].role, Role::kOwner);
  EXPECT_EQ((*members)[1].role, Role::kMediaBuyer);
  EXPECT_TRUE(store_->ListMembers(b->id)->empty());

  EXPECT_THAT(store_->GetMember(a->id, owner->id), IsOk());
  EXPECT_THAT(store_->GetMember(b->id, owner->id),
              StatusIs(absl::StatusCode::kNotFound));
  // A key can't be issued for another team's member.
  EXPECT_THAT(store_->IssueApiKey(b->id, owner->id),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST_P(TeamStoreContractTest, IssuedKeyAuthenticatesWithTenantFromKey) {
  auto team = store_->CreateTeam("A", kTierStandard, true);
  ASSERT_THAT(team, IsOk());
  auto manager = store_->AddMember(team->id, "Max", Role::kManager);
  ASSERT_THAT(manager, IsOk());
  auto key = store_->IssueApiKey(team->id, manager->id);
  ASSERT_THAT(key, IsOk());
  EXPECT_THAT(key->plaintext, ::testing::StartsWith("ttads_"));
  EXPECT_EQ(key->plaintext.size(), 6u + 43u);

  auto principal = store_->Authenticate(key->plaintext);
  ASSERT_THAT(principal, IsOk());
  EXPECT_EQ(principal->team_id, team->id);
  EXPECT_EQ(principal->member_id, manager->id);
  EXPECT_EQ(principal->role, Role::kManager);
  EXPECT_EQ(principal->key_id, key->key_id);

  auto keys = store_->ListApiKeys(team->id);
  ASSERT_THAT(keys, IsOk());
  ASSERT_EQ(keys->size(), 1u);
  EXPECT_EQ((*keys)[0].key_id, key->key_id);
  EXPECT_EQ((*keys)[0].member_id, manager->id);
  EXPECT_FALSE((*keys)[0].revoked);
}

TEST_P(TeamStoreContractTest, WrongKeysRefused) {
  auto team = store_->CreateTeam("A", kTierStandard, true);
  auto owner = store_->AddMember(team->id, "O", Role::kOwner);
  auto key = store_->IssueApiKey(team->id, owner->id);
  ASSERT_THAT(key, IsOk());
  std::string altered = key->plaintext;
  altered.back() = altered.back() == 'A' ? 'B' : 'A';
  for (const std::string& wrong :
       {altered, std::string(""), std::string("ttads_"),
        "ttads_" + std::string(43, 'A'), key->plaintext.substr(1),
        key->plaintext + " ", std::string("Bearer ") + key->plaintext}) {
    auto result = store_->Authenticate(wrong);
    EXPECT_THAT(result, StatusIs(absl::StatusCode::kUnauthenticated)) << wrong;
    EXPECT_THAT(std::string(result.status().message()),
                Not(HasSubstr(key->plaintext.substr(6))));
  }
}

TEST_P(TeamStoreContractTest, RevokedKeyRefusedAtOnce) {
  auto team = store_->CreateTeam("A", kTierStandard, true);
  auto owner = store_->AddMember(team->id, "O", Role::kOwner);
  auto revoked = store_->IssueApiKey(team->id, owner->id);
  auto kept = store_->IssueApiKey(team->id, owner->id);
  ASSERT_THAT(revoked, IsOk());
  ASSERT_THAT(kept, IsOk());
  ASSERT_THAT(store_->Authenticate(revoked->plaintext), IsOk());

  ASSERT_THAT(store_->RevokeApiKey(revoked->key_id), IsOk());
  EXPECT_THAT(store_->Authenticate(revoked->plaintext),
              StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_THAT(store_->Authenticate(kept->plaintext), IsOk());
  EXPECT_THAT(store_->RevokeApiKey(revoked->key_id), IsOk());  // idempotent

  auto keys = store_->ListApiKeys(team->id);
  ASSERT_THAT(keys, IsOk());
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
  ASSERT_THAT(ka, IsOk());
  ASSERT_THAT(kb, IsOk());
  EXPECT_EQ(store_->Authenticate(ka->plaintext)->team_id, a->id);
  EXPECT_EQ(store_->Authenticate(kb->plaintext)->team_id, b->id);
  EXPECT_EQ(store_->Authenticate(ka->plaintext)->role, Role::kMediaBuyer);
}

TEST_P(TeamStoreContractTest, RotatedKeyWorksUntilItsOverlapEnds) {
  Seat seat = NewSeat(Role::kManager);
  auto rotated = store_->RotateApiKey(seat.key.key_id, absl::Hours(1));
  ASSERT_THAT(rotated, IsOk());
  const IssuedKey& next = rotated->successor;
  EXPECT_NE(next.key_id, seat.key.key_id);
  EXPECT_NE(next.plaintext, seat.key.plaintext);
  EXPECT_EQ(rotated->previous.key_id, seat.key.key_id);
  EXPECT_EQ(rotated->previous.successor_key_id, next.key_id);
  ASSERT_TRUE(rotated->previous.expire_time.has_value());
  const absl::Time expire = *rotated->previous.expire_time;
  EXPECT_GT(expire - clock_.Now(), absl::Minutes(59));
  EXPECT_LE(expire - clock_.Now(), absl::Hours(1));

  // The new key works at once, for the same member and role.
  auto fresh = store_->Authenticate(next.plaintext);
  ASSERT_THAT(fresh, IsOk());
  EXPECT_EQ(fresh->member_id, seat.member_id);
  EXPECT_EQ(fresh->role, Role::kManager);
  EXPECT_EQ(fresh->expire_time, absl::InfiniteFuture());
  // The old one until the overlap ends, saying when that is...
  auto old = store_->Authenticate(seat.key.plaintext);
  ASSERT_THAT(old, IsOk());
  EXPECT_EQ(old->key_id, seat.key.key_id);
  EXPECT_EQ(old->expire_time, expire);
  clock_.Advance(absl::Minutes(59));
  EXPECT_THAT(store_->Authenticate(seat.key.plaintext), IsOk());
  // ...and is refused from then on; the new key keeps working.
  clock_.Advance(absl::Minutes(1));
  EXPECT_THAT(store_->Authenticate(seat.key.plaintext),
              StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_THAT(store_->Authenticate(next.plaintext), IsOk());

  auto keys = store_->ListApiKeys(seat.team_id);
  ASSERT_THAT(keys, IsOk());
  ASSERT_EQ(keys->size(), 2u);
  EXPECT_EQ((*keys)[0].key_id, seat.key.key_id);
  EXPECT_EQ((*keys)[0].expire_time, expire);
  EXPECT_EQ((*keys)[0].successor_key_id, next.key_id);
  EXPECT_FALSE((*keys)[0].revoked);
  EXPECT_EQ((*keys)[1].key_id, next.key_id);
  EXPECT_FALSE((*keys)[1].expire_time.has_value());
}

TEST_P(TeamStoreContractTest, RotationWithoutOverlapRefusesTheOldKeyAtOnce) {
  Seat seat = NewSeat();
  auto rotated = store_->RotateApiKey(seat.key.key_id, absl::ZeroDuration());
  ASSERT_THAT(rotated, IsOk());
  EXPECT_THAT(store_->Authenticate(seat.key.plaintext),
              StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_THAT(store_->Authenticate(rotated->successor.plaintext), IsOk());
}

TEST_P(TeamStoreContractTest, RevokingDuringTheOverlapRefusesAtOnce) {
  Seat seat = NewSeat();
  ASSERT_THAT(store_->RotateApiKey(seat.key.key_id, absl::Hours(2)), IsOk());
  ASSERT_THAT(store_->Authenticate(seat.key.plaintext), IsOk());
  ASSERT_THAT(store_->RevokeApiKey(seat.key.key_id), IsOk());
  EXPECT_THAT(store_->Authenticate(seat.key.plaintext),
              StatusIs(absl::StatusCode::kUnauthenticated));
  auto keys = store_->ListApiKeys(seat.team_id);
  ASSERT_THAT(keys, IsOk());
  EXPECT_TRUE((*keys)[0].revoked);
  EXPECT_TRUE((*keys)[0].revoke_time.has_value());
}

TEST_P(TeamStoreContractTest, RotationRefusals) {
  Seat seat = NewSeat();
  EXPECT_THAT(store_->RotateApiKey(seat.key.key_id, absl::Seconds(-1)),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(store_->RotateApiKey(seat.key.key_id,
                                   kMaxRotationOverlap + absl::Seconds(1)),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(store_->RotateApiKey("key_missing", absl::Hours(1)),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(store_->RotateApiKey("bad}id", absl::Hours(1)),
              StatusIs(absl::StatusCode::kInvalidArgument));
  // Nothing was changed by the refusals: the key rotates once...
  auto rotated = store_->RotateApiKey(seat.key.key_id, kMaxRotationOverlap);
  ASSERT_THAT(rotated, IsOk());
  // ...and not twice: its successor is the one to rotate.
  EXPECT_THAT(store_->RotateApiKey(seat.key.key_id, absl::Hours(1)),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr(rotated->successor.key_id)));
  // A revoked key cannot be rotated.
  ASSERT_THAT(store_->RevokeApiKey(rotated->successor.key_id), IsOk());
  EXPECT_THAT(store_->RotateApiKey(rotated->successor.key_id, absl::Hours(1)),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  auto keys = store_->ListApiKeys(seat.team_id);
  ASSERT_THAT(keys, IsOk());
  EXPECT_EQ(keys->size(), 2u);
}

TEST_P(TeamStoreContractTest, DeletedMemberKeysAreRefused) {
  Seat seat = NewSeat(Role::kMediaBuyer);
  auto other = store_->AddMember(seat.team_id, "Kept", Role::kOwner);
  ASSERT_THAT(other, IsOk());
  auto kept = store_->IssueApiKey(seat.team_id, other->id);
  auto second = store_->IssueApiKey(seat.team_id, seat.member_id);
  ASSERT_THAT(kept, IsOk());
  ASSERT_THAT(second, IsOk());

  ASSERT_THAT(store_->DeleteMember(seat.team_id, seat.member_id), IsOk());
  EXPECT_THAT(store_->Authenticate(seat.key.plaintext),
              StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_THAT(store_->Authenticate(second->plaintext),
              StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_THAT(store_->Authenticate(kept->plaintext), IsOk());
  EXPECT_THAT(store_->GetMember(seat.team_id, seat.member_id),
              StatusIs(absl::StatusCode::kNotFound));
  auto members = store_->ListMembers(seat.team_id);
  ASSERT_THAT(members, IsOk());
  EXPECT_THAT(*members, ElementsAre(Field(&Member::id, other->id)));
  EXPECT_THAT(store_->DeleteMember(seat.team_id, seat.member_id),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(store_->DeleteMember(seat.team_id, "bad}id"),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_P(TeamStoreContractTest, AdminKeysCarryTheAdminRole) {
  Seat seat = NewSeat(Role::kAdmin);
  auto principal = store_->Authenticate(seat.key.plaintext);
  ASSERT_THAT(principal, IsOk());
  EXPECT_EQ(principal->role, Role::kAdmin);
  auto members = store_->ListMembers(seat.team_id);
  ASSERT_THAT(members, IsOk());
  EXPECT_EQ((*members)[0].role, Role::kAdmin);
}

INSTANTIATE_TEST_SUITE_P(
    Implementations, TeamStoreContractTest,
    ::testing::Values(std::make_pair("Redis", Factory(MakeRedis)),
                      std::make_pair("InMemory", Factory(MakeInMemory))),
    [](const auto& info) { return std::string(info.param.first); });

TEST(RoleTest, NamesAndOrder) {
  EXPECT_EQ(*ParseRole("OWNER"), Role::kOwner);
  EXPECT_EQ(*ParseRole("mediabuyer"), Role::kMediaBuyer);
  EXPECT_EQ(*ParseRole("Admin"), Role::kAdmin);
  EXPECT_THAT(ParseRole("root"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(RoleName(Role::kAdmin), "admin");
  EXPECT_TRUE(RoleAtLeast(Role::kAdmin, Role::kOwner));
  EXPECT_FALSE(RoleAtLeast(Role::kOwner, Role::kAdmin));
  EXPECT_EQ(RoleName(Role::kManager), "manager");
  EXPECT_TRUE(RoleAtLeast(Role::kOwner, Role::kManager));
  EXPECT_TRUE(RoleAtLeast(Role::kManager, Role::kManager));
  EXPECT_FALSE(RoleAtLeast(Role::kMediaBuyer, Role::kManager));
  EXPECT_FALSE(RoleAtLeast(Role::kUnspecified, Role::kUnspecified));
}

}  // namespace
}  // namespace ttads::auth
