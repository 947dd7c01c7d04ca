// Which advertisers an ad can be created for, by role (the TokenResolver
// rule AdCreator applies): owners and managers reach their teammates'
// connections and act with the teammate's token; mediabuyers reach only
// their own. Against the fake TikTok and the fake identity service.
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "libs/testing/status_matchers.h"
#include "services/ads/ad_creator_test_env.h"

namespace ttads::ads {
namespace {

using ::testing::HasSubstr;
using testing::IsOk;
using ::testing::SizeIs;
using testing::StatusIs;
using ::testing::UnorderedElementsAre;

constexpr char kSecond[] = "7101000000000000002";
constexpr char kBuyers[] = "7101000000000000003";
constexpr char kManager[] = "member-manager";
constexpr char kBuyer[] = "member-buyer";

class AdReachTest : public AdCreatorTestEnv {
 protected:
  // The ids ReachableAdvertisers answers for `call`.
  std::vector<std::string> Reachable(const server::CallContext& call) {
    std::vector<std::string> ids;
    auto reachable = creator_->ReachableAdvertisers(call);
    EXPECT_THAT(reachable, IsOk());
    if (reachable.ok()) {
      for (const auto& r : *reachable) ids.push_back(r.advertiser_id);
    }
    return ids;
  }
};

TEST_F(AdReachTest, ManagerBorrowsTheOwnersConnectionsSoMustChoose) {
  // The owner's connections reach two advertisers; the manager has none.
  Connect(kOwner, {{kSecond, "Second Brand"}});
  const server::CallContext manager = Call(kManager, "manager");
  EXPECT_THAT(Reachable(manager), UnorderedElementsAre(kAdvertiser, kSecond));

  v1::AdInput req = VideoAd();
  req.clear_advertiser_id();
  auto created = Create(req, manager);
  EXPECT_THAT(created, StatusIs(absl::StatusCode::kInvalidArgument,
                                HasSubstr("You have 2 tiktok_ads accounts")));
  EXPECT_EQ(Fields(created.status()), std::set<std::string>{"advertiser_id"});
  EXPECT_THAT(identity_.resolved, SizeIs(0));
  EXPECT_EQ(tiktok_.Calls("CreateAd"), 0);

  // Named, the ad is created for it with the owner's token.
  req.set_advertiser_id(kSecond);
  created = Create(req, manager);
  ASSERT_THAT(created, IsOk());
  EXPECT_EQ(created->advertiser_id(), kSecond);
  EXPECT_EQ(tiktok_.Calls("CreateAd"), 1);
  EXPECT_EQ(tiktok_.accesses.back().advertiser_id, kSecond);
  EXPECT_EQ(tiktok_.accesses.back().token, std::string("token-") + kOwner);
}

TEST_F(AdReachTest, OwnerReachesEveryTeammatesConnectionOnce) {
  // A mediabuyer's connection reaches an advertiser of its own and one the
  // owner reaches too: listed once.
  Connect(kBuyer, {{kBuyers, "Buyer Brand"}, {kAdvertiser, "Demo Brand"}});
  EXPECT_THAT(Reachable(Call()), UnorderedElementsAre(kAdvertiser, kBuyers));

  v1::AdInput req = VideoAd();
  req.set_advertiser_id(kBuyers);
  auto created = Create(req);
  ASSERT_THAT(created, IsOk());
  EXPECT_EQ(created->advertiser_id(), kBuyers);
  EXPECT_EQ(tiktok_.accesses.back().token, std::string("token-") + kBuyer);
}

TEST_F(AdReachTest, MediabuyerNeverBorrows) {
  const server::CallContext buyer = Call(kBuyer, "mediabuyer");
  EXPECT_THAT(Reachable(buyer), SizeIs(0));

  // No token of their own: neither the only advertiser nor a named one.
  v1::AdInput req = VideoAd();
  req.clear_advertiser_id();
  EXPECT_THAT(Create(req, buyer),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  req.set_advertiser_id(kAdvertiser);
  EXPECT_THAT(Create(req, buyer),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(tiktok_.Calls("CreateAd"), 0);

  // With their own single-advertiser connection no choice is needed, and
  // the owner's advertiser stays out of reach.
  Connect(kBuyer, {{kBuyers, "Buyer Brand"}});
  EXPECT_THAT(Reachable(buyer), UnorderedElementsAre(kBuyers));
  req.clear_advertiser_id();
  auto created = Create(req, buyer);
  ASSERT_THAT(created, IsOk());
  EXPECT_EQ(created->advertiser_id(), kBuyers);
  EXPECT_EQ(tiktok_.accesses.back().token, std::string("token-") + kBuyer);
  req.set_advertiser_id(kAdvertiser);
  EXPECT_THAT(Create(req, buyer),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_EQ(tiktok_.Calls("CreateAd"), 1);
}

}  // namespace
}  // namespace ttads::ads
