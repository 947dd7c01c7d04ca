// ClientIdentityApi, the real TikTok adapter, against the in-process
// simulator, which enforces the request shapes of
// docs/tiktok-contract/identity.md (unknown or missing parameters, the
// Access-Token header) and counts every departure as a violation.
#include "services/identity/tiktok_identity_api.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/fetch/test_images.h"
#include "libs/testing/status_matchers.h"
#include "libs/tiktok/error_class.h"
#include "tools/tiktok_sim/seed.h"
#include "tools/tiktok_sim/sim.h"

namespace ttads::identity {
namespace {

using ::testing::SizeIs;
using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;
namespace seed = ::ttads::tiktok_sim::seed;
using ::ttads::tiktok_sim::SimState;
using ::ttads::tiktok_sim::TikTokSim;

class ClientIdentityApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto sim = TikTokSim::Start({});
    ASSERT_THAT(sim, IsOk());
    sim_ = *std::move(sim);
    tiktok::ClientOptions options;
    options.base_url = sim_->base_url();
    options.app_id = "ttads-local-app";
    options.app_secret = "local-sim-secret";
    auto client = tiktok::Client::Create(std::move(options));
    ASSERT_THAT(client, IsOk());
    client_ = *std::move(client);
    api_ = std::make_unique<ClientIdentityApi>(client_.get());
  }

  void TearDown() override { EXPECT_THAT(sim_->CheckViolations(), IsOk()); }

  bool RevokedAtTikTok(const std::string& token) {
    return sim_->WithState(
        [&](SimState& state) { return state.tokens[token].revoked; });
  }

  absl::Time deadline_ = absl::Now() + absl::Seconds(30);
  std::unique_ptr<TikTokSim> sim_;
  std::unique_ptr<tiktok::Client> client_;
  std::unique_ptr<ClientIdentityApi> api_;
};

TEST_F(ClientIdentityApiTest, ExchangeGrantsTokenAdvertisersAndScopesOnce) {
  const std::string code =
      sim_->MintAuthCode({seed::kAdvertiserTtUser, seed::kAdvertiserBc});
  auto grant = api_->ExchangeAuthCode(code, deadline_);
  ASSERT_THAT(grant, IsOk());
  EXPECT_FALSE(grant->access_token.empty());
  EXPECT_THAT(
      grant->advertiser_ids,
      ::testing::ElementsAre(seed::kAdvertiserTtUser, seed::kAdvertiserBc));
  EXPECT_FALSE(grant->scopes.empty());
  auto again = api_->ExchangeAuthCode(code, deadline_);
  ASSERT_THAT(again, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(tiktok::GetTikTokErrorInfo(again.status())->code, 40110);

  auto named = api_->GetAdvertisers(grant->access_token, deadline_);
  ASSERT_THAT(named, IsOk());
  ASSERT_THAT(*named, SizeIs(2));
  EXPECT_FALSE((*named)[0].advertiser_name.empty());
}

// Revoke carries the token as Access-Token (required by TikTok's page);
// without it the simulator answers 40104 and keeps the token live.
TEST_F(ClientIdentityApiTest, RevokeSendsTheTokenAsAccessToken) {
  const std::string token = sim_->IssueAccessToken({seed::kAdvertiserTtUser});
  ASSERT_THAT(api_->RevokeToken(token, deadline_), IsOk());
  EXPECT_TRUE(RevokedAtTikTok(token));
  auto again = api_->RevokeToken(token, deadline_);
  EXPECT_TRUE(tiktok::IsTokenRevoked(again)) << again;
}

TEST_F(ClientIdentityApiTest, TypedPagesFilterAndReportTotalPages) {
  const std::string token = sim_->IssueAccessToken({seed::kAdvertiserBc});
  IdentityPageRequest request;
  request.advertiser_id = seed::kAdvertiserBc;
  auto all = api_->ListIdentityPage(token, request, deadline_);
  ASSERT_THAT(all, IsOk());
  ASSERT_GE(all->identities.size(), 2u);

  request.type = common::v1::IDENTITY_TYPE_BC_AUTH_TT;
  request.authorized_bc_id = seed::kBusinessCenter;
  request.page_size = 1;
  auto bc = api_->ListIdentityPage(token, request, deadline_);
  ASSERT_THAT(bc, IsOk());
  ASSERT_THAT(bc->identities, SizeIs(1));
  EXPECT_EQ(bc->identities[0].identity_type(),
            common::v1::IDENTITY_TYPE_BC_AUTH_TT);
  EXPECT_EQ(bc->identities[0].identity_authorized_bc_id(),
            seed::kBusinessCenter);
  EXPECT_FALSE(bc->identities[0].display_name().empty());
  EXPECT_GE(bc->total_page, 1);

  request.type = common::v1::IDENTITY_TYPE_TT_USER;
  request.authorized_bc_id.clear();
  request.page_size = 100;
  auto tt = api_->ListIdentityPage(token, request, deadline_);
  ASSERT_THAT(tt, IsOk());
  for (const auto& identity : tt->identities) {
    EXPECT_EQ(identity.identity_type(), common::v1::IDENTITY_TYPE_TT_USER);
  }
}

TEST_F(ClientIdentityApiTest, UploadThenCreateACustomizedUser) {
  const std::string token = sim_->IssueAccessToken({seed::kAdvertiserTtUser});
  const std::string bytes = fetch::testing::MakePng(120, 120);
  auto image = api_->UploadImage(token, seed::kAdvertiserTtUser, bytes,
                                 "brand-test.png", deadline_);
  ASSERT_THAT(image, IsOk());
  auto id = api_->CreateCustomIdentity(token, seed::kAdvertiserTtUser, "Acme",
                                       *image, deadline_);
  ASSERT_THAT(id, IsOk());
  IdentityPageRequest request;
  request.advertiser_id = seed::kAdvertiserTtUser;
  request.type = common::v1::IDENTITY_TYPE_CUSTOMIZED_USER;
  auto list = api_->ListIdentityPage(token, request, deadline_);
  ASSERT_THAT(list, IsOk());
  bool found = false;
  for (const auto& identity : list->identities) {
    found |= identity.identity_id() == *id && identity.display_name() == "Acme";
  }
  EXPECT_TRUE(found);
}

TEST_F(ClientIdentityApiTest, RevokedTokenIs40105) {
  const std::string token = sim_->IssueAccessToken({seed::kAdvertiserTtUser});
  sim_->WithState([&](SimState& state) {
    state.tokens[token].revoked = true;
    return 0;
  });
  IdentityPageRequest request;
  request.advertiser_id = seed::kAdvertiserTtUser;
  auto page = api_->ListIdentityPage(token, request, deadline_);
  EXPECT_THAT(page, StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_TRUE(tiktok::IsTokenRevoked(page.status()));
}

}  // namespace
}  // namespace ttads::identity
