#include "services/identity/ads_accounts.h"

#include <atomic>
#include <set>
#include <thread>

#include "libs/testing/field_violations.h"
#include "services/identity/identity_domain_fixture.h"

namespace ttads::identity {
namespace {

using ::testing::SizeIs;
using ::ttads::testing::FirstViolatedField;
using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;

class AdsAccountsTest : public IdentityDomainTest {
 protected:
  void SetUp() override {
    IdentityDomainTest::SetUp();
    ads_ = std::make_unique<AdsAccounts>(accounts_.get(), tokens_.get());
  }

  absl::StatusOr<v1::Account> Posting(const server::CallContext& call) {
    v1::CreateAccountRequest req;
    req.set_display_name("@demobrand");
    req.set_tt_user_identity_id("id-tt-1");
    req.set_advertiser_id(kAdvertiser);
    return ads_->CreatePosting(call, req);
  }

  absl::StatusOr<v1::ConnectAdsAccountResponse> ConnectAds(
      const server::CallContext& call, const std::string& account_id,
      const std::string& advertiser, const std::string& platform = "tiktok") {
    v1::ConnectAdsAccountRequest req;
    req.set_platform(platform);
    req.set_account_id(account_id);
    req.set_advertiser_id(advertiser);
    return ads_->Connect(call, req);
  }

  std::unique_ptr<AdsAccounts> ads_;
};

TEST_F(AdsAccountsTest, LinkedWithAPostingAccountAndAlreadyConnected) {
  Connect(owner_, {kAdvertiser, kOtherAdvertiser});
  auto posting = Posting(owner_);
  ASSERT_THAT(posting, IsOk());
  EXPECT_EQ(posting->platform(), "tiktok");
  EXPECT_TRUE(posting->spark_ads_available());

  auto linked = ConnectAds(owner_, posting->account_id(), "");
  ASSERT_THAT(linked, IsOk());
  EXPECT_FALSE(linked->already_connected());
  const v1::Account& account = linked->account();
  EXPECT_EQ(account.platform(), "tiktokads");
  EXPECT_EQ(account.mode(), v1::ADS_ACCOUNT_MODE_LINKED);
  EXPECT_EQ(account.parent_account_id(), posting->account_id());
  EXPECT_EQ(account.advertiser_id(), kAdvertiser);  // the parent's
  EXPECT_TRUE(account.spark_ads_available());
  EXPECT_EQ(account.connection_id(), "cn_test1");
  // Without an advertiser name on the connection, the id names it.
  EXPECT_EQ(account.display_name(), kAdvertiser);

  auto again = ConnectAds(owner_, posting->account_id(), "");
  ASSERT_THAT(again, IsOk());
  EXPECT_TRUE(again->already_connected());
  EXPECT_EQ(again->account().account_id(), account.account_id());
}

TEST_F(AdsAccountsTest, AdsOnlyWithoutAPostingAccount) {
  Connect(owner_, {kAdvertiser, kOtherAdvertiser});
  auto ads_only = ConnectAds(owner_, "", kOtherAdvertiser, "TikTok");
  ASSERT_THAT(ads_only, IsOk());
  EXPECT_EQ(ads_only->account().mode(), v1::ADS_ACCOUNT_MODE_ADS_ONLY);
  EXPECT_TRUE(ads_only->account().parent_account_id().empty());
  EXPECT_FALSE(ads_only->account().spark_ads_available());
  EXPECT_EQ(ads_only->account().advertiser_id(), kOtherAdvertiser);
  // No advertiser: the token's first.
  auto first = ConnectAds(owner_, "", "");
  ASSERT_THAT(first, IsOk());
  EXPECT_EQ(first->account().advertiser_id(), kAdvertiser);
}

TEST_F(AdsAccountsTest, ConcurrentConnectsCreateOneAccount) {
  Connect(owner_);
  std::mutex mu;
  std::set<std::string> ids;
  std::atomic<int> fresh{0};
  std::vector<std::thread> callers;
  for (int i = 0; i < 6; ++i) {
    callers.emplace_back([&] {
      auto r = ConnectAds(owner_, "", kAdvertiser);
      ASSERT_THAT(r, IsOk());
      fresh += !r->already_connected();
      std::lock_guard<std::mutex> lock(mu);
      ids.insert(r->account().account_id());
    });
  }
  for (auto& t : callers) t.join();
  EXPECT_THAT(ids, SizeIs(1));
  EXPECT_GE(fresh.load(), 1);
  EXPECT_THAT(*ads_->List(owner_, "tiktokads"), SizeIs(1));
}

TEST_F(AdsAccountsTest, ConnectRefusesBadInputAndCallersWithoutAToken) {
  Connect(owner_);
  auto platform = ConnectAds(owner_, "", kAdvertiser, "twitter");
  EXPECT_THAT(platform, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(FirstViolatedField(platform), "platform");

  auto unknown = ConnectAds(owner_, "acc_missing", "");
  EXPECT_THAT(unknown, StatusIs(absl::StatusCode::kNotFound));
  EXPECT_EQ(FirstViolatedField(unknown), "account_id");
  // An ads account is not a posting account.
  auto ads_only = ConnectAds(owner_, "", kAdvertiser);
  ASSERT_THAT(ads_only, IsOk());
  auto not_posting = ConnectAds(owner_, ads_only->account().account_id(), "");
  EXPECT_THAT(not_posting, StatusIs(absl::StatusCode::kNotFound));
  EXPECT_EQ(FirstViolatedField(not_posting), "account_id");
  // Another team's posting account does not exist for this caller.
  auto posting = Posting(owner_);
  ASSERT_THAT(posting, IsOk());
  Connect(stranger_);
  EXPECT_THAT(ConnectAds(stranger_, posting->account_id(), ""),
              StatusIs(absl::StatusCode::kNotFound));

  auto malformed = ConnectAds(owner_, "", "7101 x");
  EXPECT_THAT(malformed, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(FirstViolatedField(malformed), "advertiser_id");

  auto no_token = ConnectAds(buyer_, "", kAdvertiser);
  EXPECT_THAT(no_token, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(status::ReasonOf(no_token.status()), "NO_TOKEN");
  auto unreachable = ConnectAds(owner_, "", kOtherAdvertiser);
  EXPECT_THAT(unreachable, StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(*ads_->List(owner_, "tiktokads"), SizeIs(1));
}

TEST_F(AdsAccountsTest, ListFiltersByPlatformAndTeam) {
  Connect(owner_);
  ASSERT_THAT(Posting(owner_), IsOk());
  ASSERT_THAT(ConnectAds(owner_, "", kAdvertiser), IsOk());
  EXPECT_THAT(*ads_->List(owner_, ""), SizeIs(2));
  EXPECT_THAT(*ads_->List(owner_, "tiktok"), SizeIs(1));
  EXPECT_THAT(*ads_->List(owner_, "tiktokads"), SizeIs(1));
  EXPECT_THAT(*ads_->List(stranger_, ""), SizeIs(0));
}

TEST_F(AdsAccountsTest, CreatePostingNamesEveryBadField) {
  v1::CreateAccountRequest req;
  req.set_tt_user_identity_id("bad id");
  auto bad = ads_->CreatePosting(owner_, req);
  EXPECT_THAT(bad, StatusIs(absl::StatusCode::kInvalidArgument));
  google::rpc::BadRequest bad_request;
  ASSERT_TRUE(status::GetDetail(bad.status(), &bad_request));
  ASSERT_EQ(bad_request.field_violations_size(), 3);
  EXPECT_EQ(bad_request.field_violations(0).field(), "display_name");
  EXPECT_EQ(bad_request.field_violations(1).field(), "tt_user_identity_id");
  EXPECT_EQ(bad_request.field_violations(2).field(), "advertiser_id");
  EXPECT_THAT(*ads_->List(owner_, ""), SizeIs(0));
}

}  // namespace
}  // namespace ttads::identity
