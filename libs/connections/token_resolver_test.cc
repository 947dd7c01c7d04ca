#include "libs/connections/token_resolver.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/connections/fake_connection_store.h"
#include "libs/status/grpc_status.h"
#include "libs/testing/status_matchers.h"

namespace ttads::connections {
namespace {

using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;

Connection Conn(std::string id, std::string member,
                std::vector<std::string> advertisers, bool active = true) {
  Connection c;
  c.connection_id = std::move(id);
  c.team_id = "team1";
  c.member_id = std::move(member);
  c.state = active ? Connection::State::kActive : Connection::State::kRevoked;
  for (auto& a : advertisers) c.advertisers.push_back({a, "name " + a});
  return c;
}

class TokenResolverTest : public ::testing::Test {
 protected:
  FakeConnectionStore store_;
  TokenResolver resolver_{&store_};
};

TEST_F(TokenResolverTest, NothingConnectedIsNoToken) {
  auto r = resolver_.Resolve({"team1", "owner1", "owner"}, "");
  ASSERT_THAT(r, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(status::ReasonOf(r.status()), "NO_TOKEN");
}

TEST_F(TokenResolverTest, OwnTokenFirstAndFirstAdvertiserByDefault) {
  ASSERT_THAT(store_.Create(Conn("c1", "manager1", {"A1"}), "tok-m"), IsOk());
  ASSERT_THAT(store_.Create(Conn("c2", "owner1", {"B1", "B2"}), "tok-o"),
              IsOk());
  auto r = resolver_.Resolve({"team1", "owner1", "owner"}, "");
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->access_token, "tok-o");
  EXPECT_EQ(r->advertiser_id, "B1");
  EXPECT_FALSE(r->borrowed);
}

TEST_F(TokenResolverTest, ManagerBorrowsTeammateTokenMediabuyerDoesNot) {
  ASSERT_THAT(store_.Create(Conn("c1", "owner1", {"A1"}), "tok-o"), IsOk());
  auto manager = resolver_.Resolve({"team1", "manager1", "manager"}, "A1");
  ASSERT_THAT(manager, IsOk());
  EXPECT_EQ(manager->access_token, "tok-o");
  EXPECT_TRUE(manager->borrowed);

  auto buyer = resolver_.Resolve({"team1", "buyer1", "mediabuyer"}, "A1");
  ASSERT_THAT(buyer, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(status::ReasonOf(buyer.status()), "NO_TOKEN");
}

TEST_F(TokenResolverTest, MediabuyerUsesOwnToken) {
  ASSERT_THAT(store_.Create(Conn("c1", "owner1", {"A1"}), "tok-o"), IsOk());
  ASSERT_THAT(store_.Create(Conn("c2", "buyer1", {"A2"}), "tok-b"), IsOk());
  auto r = resolver_.Resolve({"team1", "buyer1", "mediabuyer"}, "");
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->access_token, "tok-b");
  EXPECT_EQ(r->advertiser_id, "A2");
  // The owner's advertiser is out of the mediabuyer's reach.
  auto other = resolver_.Resolve({"team1", "buyer1", "mediabuyer"}, "A1");
  EXPECT_THAT(other, StatusIs(absl::StatusCode::kPermissionDenied));
}

TEST_F(TokenResolverTest, RevokedConnectionsAreSkipped) {
  ASSERT_THAT(store_.Create(Conn("c1", "owner1", {"A1"}, false), "x"), IsOk());
  ASSERT_THAT(store_.Create(Conn("c2", "manager1", {"A1"}), "tok-m"), IsOk());
  auto r = resolver_.Resolve({"team1", "owner1", "owner"}, "A1");
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->connection.connection_id, "c2");
}

TEST_F(TokenResolverTest, AdvertiserPicksConnectionThatReachesIt) {
  ASSERT_THAT(store_.Create(Conn("c1", "owner1", {"A1"}), "tok-1"), IsOk());
  ASSERT_THAT(store_.Create(Conn("c2", "owner1", {"A2"}), "tok-2"), IsOk());
  auto r = resolver_.Resolve({"team1", "owner1", "owner"}, "A2");
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->access_token, "tok-2");
}

}  // namespace
}  // namespace ttads::connections
