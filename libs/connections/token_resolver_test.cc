#include "libs/connections/token_resolver.h"

#include "gtest/gtest.h"
#include "libs/connections/fake_connection_store.h"
#include "libs/status/grpc_status.h"

namespace ttads::connections {
namespace {

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
  ASSERT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(status::ReasonOf(r.status()), "NO_TOKEN");
}

TEST_F(TokenResolverTest, OwnTokenFirstAndFirstAdvertiserByDefault) {
  ASSERT_TRUE(store_.Create(Conn("c1", "manager1", {"A1"}), "tok-m").ok());
  ASSERT_TRUE(store_.Create(Conn("c2", "owner1", {"B1", "B2"}), "tok-o").ok());
  auto r = resolver_.Resolve({"team1", "owner1", "owner"}, "");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->access_token, "tok-o");
  EXPECT_EQ(r->advertiser_id, "B1");
  EXPECT_FALSE(r->borrowed);
}

TEST_F(TokenResolverTest, ManagerBorrowsTeammateTokenMediabuyerDoesNot) {
  ASSERT_TRUE(store_.Create(Conn("c1", "owner1", {"A1"}), "tok-o").ok());
  auto manager = resolver_.Resolve({"team1", "manager1", "manager"}, "A1");
  ASSERT_TRUE(manager.ok()) << manager.status();
  EXPECT_EQ(manager->access_token, "tok-o");
  EXPECT_TRUE(manager->borrowed);

  auto buyer = resolver_.Resolve({"team1", "buyer1", "mediabuyer"}, "A1");
  ASSERT_EQ(buyer.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(status::ReasonOf(buyer.status()), "NO_TOKEN");
}

TEST_F(TokenResolverTest, MediabuyerUsesOwnToken) {
  ASSERT_TRUE(store_.Create(Conn("c1", "owner1", {"A1"}), "tok-o").ok());
  ASSERT_TRUE(store_.Create(Conn("c2", "buyer1", {"A2"}), "tok-b").ok());
  auto r = resolver_.Resolve({"team1", "buyer1", "mediabuyer"}, "");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->access_token, "tok-b");
  EXPECT_EQ(r->advertiser_id, "A2");
  // The owner's advertiser is out of the mediabuyer's reach.
  auto other = resolver_.Resolve({"team1", "buyer1", "mediabuyer"}, "A1");
  EXPECT_EQ(other.status().code(), absl::StatusCode::kPermissionDenied);
}

TEST_F(TokenResolverTest, RevokedConnectionsAreSkipped) {
  ASSERT_TRUE(store_.Create(Conn("c1", "owner1", {"A1"}, false), "x").ok());
  ASSERT_TRUE(store_.Create(Conn("c2", "manager1", {"A1"}), "tok-m").ok());
  auto r = resolver_.Resolve({"team1", "owner1", "owner"}, "A1");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->connection.connection_id, "c2");
}

TEST_F(TokenResolverTest, AdvertiserPicksConnectionThatReachesIt) {
  ASSERT_TRUE(store_.Create(Conn("c1", "owner1", {"A1"}), "tok-1").ok());
  ASSERT_TRUE(store_.Create(Conn("c2", "owner1", {"A2"}), "tok-2").ok());
  auto r = resolver_.Resolve({"team1", "owner1", "owner"}, "A2");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->access_token, "tok-2");
}

}  // namespace
}  // namespace ttads::connections
