#include "services/identity/identity_catalog.h"

#include <atomic>
#include <thread>

#include "libs/testing/field_violations.h"
#include "services/identity/identity_domain_fixture.h"

namespace ttads::identity {
namespace {

using ::testing::HasSubstr;
using ::testing::SizeIs;
using ::ttads::testing::FirstViolatedField;
using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;

using CatalogTest = IdentityDomainTest;

// --- Check (Wevion) ----------------------------------------------------------

TEST_F(CatalogTest, CheckReportsTtUserOrWhyNot) {
  auto none = catalog_->Check(owner_, kAdvertiser);
  ASSERT_THAT(none, IsOk());
  EXPECT_FALSE(none->has_identity);
  EXPECT_EQ(none->reason, "no_token");

  Connect(owner_, {kAdvertiser, kOtherAdvertiser});
  const auto tt_user =
      AddIdentity(kAdvertiser, common::v1::IDENTITY_TYPE_TT_USER);
  AddIdentity(kOtherAdvertiser, common::v1::IDENTITY_TYPE_CUSTOMIZED_USER);
  auto yes = catalog_->Check(owner_, kAdvertiser);
  ASSERT_THAT(yes, IsOk());
  EXPECT_TRUE(yes->has_identity);
  EXPECT_EQ(yes->identity.identity_id(), tt_user.identity_id());
  auto no = catalog_->Check(owner_, kOtherAdvertiser);
  ASSERT_THAT(no, IsOk());
  EXPECT_FALSE(no->has_identity);
  EXPECT_EQ(no->reason, "no_tt_user");
  EXPECT_EQ(no->advertiser_id, kOtherAdvertiser);
}

TEST_F(CatalogTest, NoAdvertiserMeansFirstAdvertiserOfToken) {
  Connect(owner_, {kOtherAdvertiser, kAdvertiser});
  auto check = catalog_->Check(owner_, "");
  ASSERT_THAT(check, IsOk());
  EXPECT_EQ(check->advertiser_id, kOtherAdvertiser);
  EXPECT_EQ(check->reason, "no_tt_user");
}

TEST_F(CatalogTest, ManagerBorrowsOwnersTokenMediabuyerDoesNot) {
  Connect(owner_);
  AddIdentity(kAdvertiser, common::v1::IDENTITY_TYPE_TT_USER);
  auto manager = catalog_->Check(manager_, kAdvertiser);
  ASSERT_THAT(manager, IsOk());
  EXPECT_TRUE(manager->has_identity);
  auto buyer = catalog_->Check(buyer_, kAdvertiser);
  ASSERT_THAT(buyer, IsOk());
  EXPECT_FALSE(buyer->has_identity);
  EXPECT_EQ(buyer->reason, "no_token");
  auto stranger = catalog_->Check(stranger_, kAdvertiser);
  ASSERT_THAT(stranger, IsOk());
  EXPECT_EQ(stranger->reason, "no_token");
}

// An upstream failure is reported as such, never as a missing identity;
// TikTok's 40105 (token revoked) also marks the connection revoked.
TEST_F(CatalogTest, RevokedTokenIsAnApiErrorAndMarksTheConnectionRevoked) {
  const std::string token = Connect(owner_);
  tiktok_.RevokeBehindOurBack(token);
  auto check = catalog_->Check(owner_, kAdvertiser);
  ASSERT_THAT(check, IsOk());
  EXPECT_FALSE(check->has_identity);
  EXPECT_EQ(check->reason, "api_error");
  EXPECT_EQ(check->tiktok_error.code(), 40105);
  EXPECT_EQ(check->tiktok_error.request_id(), "fake-request");
  auto list = connections_->List(owner_.caller.team_id);
  ASSERT_THAT(list, IsOk());
  ASSERT_THAT(*list, SizeIs(1));
  EXPECT_FALSE((*list)[0].active());
  EXPECT_EQ(catalog_->Check(owner_, kAdvertiser)->reason, "no_token");
}

TEST_F(CatalogTest, OtherUpstreamFailureIsAnApiErrorAndKeepsTheConnection) {
  Connect(owner_);
  tiktok_.FailNext("ListIdentityPage",
                   FakeTikTokIdentityApi::TikTokError(40100, "Too many"));
  auto check = catalog_->Check(owner_, kAdvertiser);
  ASSERT_THAT(check, IsOk());
  EXPECT_EQ(check->reason, "api_error");
  EXPECT_EQ(check->tiktok_error.code(), 40100);
  EXPECT_TRUE((*connections_->List(owner_.caller.team_id))[0].active());
}

// --- List / ListPage ---------------------------------------------------------

TEST_F(CatalogTest, ListIsCachedAndConcurrentMissesFetchOnce) {
  Connect(owner_);
  AddIdentity(kAdvertiser, common::v1::IDENTITY_TYPE_TT_USER);
  AddIdentity(kAdvertiser, common::v1::IDENTITY_TYPE_BC_AUTH_TT, "bc-1");
  std::atomic<int> ok{0};
  std::vector<std::thread> callers;
  for (int i = 0; i < 8; ++i) {
    callers.emplace_back([&] {
      auto list = catalog_->List(owner_, kAdvertiser);
      if (list.ok() && list->identities.size() == 2) ++ok;
    });
  }
  for (auto& t : callers) t.join();
  EXPECT_EQ(ok.load(), 8);
  EXPECT_EQ(tiktok_.Calls("ListIdentityPage"), 1);
  // Served from the cache, filtered by type.
  auto bc = catalog_->ListPage(owner_,
                               {.advertiser_id = kAdvertiser,
                                .type = common::v1::IDENTITY_TYPE_BC_AUTH_TT});
  ASSERT_THAT(bc, IsOk());
  ASSERT_THAT(bc->identities, SizeIs(1));
  EXPECT_EQ(bc->identities[0].identity_authorized_bc_id(), "bc-1");
  EXPECT_EQ(tiktok_.Calls("ListIdentityPage"), 1);
}

// The cache is per team: another team's owner with its own token reaches
// TikTok again and never sees the first team's entry.
TEST_F(CatalogTest, CacheIsPerTeam) {
  Connect(owner_);
  Connect(stranger_);
  AddIdentity(kAdvertiser, common::v1::IDENTITY_TYPE_TT_USER);
  ASSERT_THAT(catalog_->List(owner_, kAdvertiser), IsOk());
  ASSERT_THAT(catalog_->List(stranger_, kAdvertiser), IsOk());
  EXPECT_EQ(tiktok_.Calls("ListIdentityPage"), 2);
}

TEST_F(CatalogTest, ListPageCutsPagesWithTokens) {
  Connect(owner_);
  for (int i = 0; i < 5; ++i)
    AddIdentity(kAdvertiser, common::v1::IDENTITY_TYPE_TT_USER);
  AddIdentity(kAdvertiser, common::v1::IDENTITY_TYPE_CUSTOMIZED_USER);
  IdentityPageQuery query{.advertiser_id = kAdvertiser,
                          .type = common::v1::IDENTITY_TYPE_TT_USER,
                          .page_size = 2};
  std::vector<std::string> ids;
  int pages = 0;
  do {
    auto page = catalog_->ListPage(owner_, query);
    ASSERT_THAT(page, IsOk());
    ++pages;
    EXPECT_EQ(page->advertiser_id, kAdvertiser);
    for (const auto& identity : page->identities) {
      EXPECT_EQ(identity.identity_type(), common::v1::IDENTITY_TYPE_TT_USER);
      ids.push_back(identity.identity_id());
    }
    query.page_token = page->next_page_token;
  } while (!query.page_token.empty());
  EXPECT_EQ(pages, 3);
  EXPECT_THAT(ids, SizeIs(5));
  // page_size 0 means 100: everything at once.
  auto all = catalog_->ListPage(owner_, {.advertiser_id = kAdvertiser});
  ASSERT_THAT(all, IsOk());
  EXPECT_THAT(all->identities, SizeIs(6));
  EXPECT_TRUE(all->next_page_token.empty());
}

TEST_F(CatalogTest, ListPageRejectsBadPagingBeforeCallingTikTok) {
  Connect(owner_);
  for (int size : {-1, 101}) {
    auto page = catalog_->ListPage(
        owner_, {.advertiser_id = kAdvertiser, .page_size = size});
    EXPECT_THAT(page, StatusIs(absl::StatusCode::kInvalidArgument));
    EXPECT_EQ(FirstViolatedField(page), "page_size");
  }
  auto token = catalog_->ListPage(
      owner_, {.advertiser_id = kAdvertiser, .page_token = "x"});
  EXPECT_THAT(token, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(FirstViolatedField(token), "page_token");
  auto advertiser = catalog_->List(owner_, "7101/../x");
  EXPECT_THAT(advertiser, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(FirstViolatedField(advertiser), "advertiser_id");
  EXPECT_EQ(tiktok_.Calls("ListIdentityPage"), 0);
}

TEST_F(CatalogTest, ListErrorsAreTokenErrorsOrTikToks) {
  EXPECT_THAT(catalog_->List(owner_, kAdvertiser),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(status::ReasonOf(catalog_->List(owner_, kAdvertiser).status()),
            "NO_TOKEN");
  Connect(owner_);
  auto unreachable = catalog_->List(owner_, kOtherAdvertiser);
  EXPECT_THAT(unreachable, StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_EQ(status::ReasonOf(unreachable.status()), "ADVERTISER_NOT_REACHABLE");
  tiktok_.FailNext("ListIdentityPage", absl::UnavailableError("down"));
  EXPECT_THAT(catalog_->List(owner_, kAdvertiser),
              StatusIs(absl::StatusCode::kUnavailable));
  // A failed fetch is not cached: the next call fetches and succeeds.
  EXPECT_THAT(catalog_->List(owner_, kAdvertiser), IsOk());
  EXPECT_EQ(tiktok_.Calls("ListIdentityPage"), 2);
}

// --- CreateCustom ------------------------------------------------------------

TEST_F(CatalogTest, CreateTruncatesToFortyCharactersAndInvalidates) {
  Connect(owner_);
  ASSERT_THAT(catalog_->List(owner_, kAdvertiser), IsOk());  // warm
  std::string name;
  for (int i = 0; i < 41; ++i) name += "\xC3\xA9";  // 41 × "é"
  auto created = catalog_->CreateCustom(owner_, kAdvertiser, name, "",
                                        common::v1::IDENTITY_TYPE_UNSPECIFIED);
  ASSERT_THAT(created, IsOk());
  EXPECT_EQ(created->display_name().size(), 80u);  // 40 × 2 bytes
  EXPECT_EQ(created->identity_type(),
            common::v1::IDENTITY_TYPE_CUSTOMIZED_USER);
  EXPECT_EQ(created->available_status(), "AVAILABLE");
  ASSERT_THAT(tiktok_.creates(), SizeIs(1));
  EXPECT_EQ(tiktok_.creates()[0].display_name, created->display_name());
  EXPECT_EQ(tiktok_.creates()[0].advertiser_id, kAdvertiser);

  auto list = catalog_->List(owner_, kAdvertiser);
  ASSERT_THAT(list, IsOk());
  ASSERT_THAT(list->identities, SizeIs(1));
  EXPECT_EQ(list->identities[0].identity_id(), created->identity_id());
}

TEST_F(CatalogTest, CreatePassesTheImageIdAndChecksIt) {
  Connect(owner_);
  ASSERT_THAT(catalog_->CreateCustom(owner_, kAdvertiser, "Acme", "img-42",
                                     common::v1::IDENTITY_TYPE_CUSTOMIZED_USER),
              IsOk());
  EXPECT_EQ(tiktok_.creates()[0].image_id, "img-42");
  auto bad = catalog_->CreateCustom(owner_, kAdvertiser, "Acme", "no/such",
                                    common::v1::IDENTITY_TYPE_CUSTOMIZED_USER);
  EXPECT_THAT(bad, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(FirstViolatedField(bad), "image_uri");
}

TEST_F(CatalogTest, CreateRefusesOtherTypesAndBadNames) {
  Connect(owner_);
  for (auto type :
       {common::v1::IDENTITY_TYPE_TT_USER, common::v1::IDENTITY_TYPE_BC_AUTH_TT,
        common::v1::IDENTITY_TYPE_AUTH_CODE,
        common::v1::IDENTITY_TYPE_TTS_TT}) {
    auto s = catalog_->CreateCustom(owner_, kAdvertiser, "Brand", "", type);
    EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument,
                            HasSubstr("TikTok app")));
    EXPECT_EQ(FirstViolatedField(s), "identity_type");
    EXPECT_EQ(status::ReasonOf(s.status()), "IDENTITY_TYPE_NOT_CREATABLE");
  }
  for (const std::string& name :
       {std::string(""), std::string(" \t"), std::string("bad \xC3")}) {
    auto s = catalog_->CreateCustom(owner_, kAdvertiser, name, "",
                                    common::v1::IDENTITY_TYPE_CUSTOMIZED_USER);
    EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument));
    EXPECT_EQ(FirstViolatedField(s), "display_name");
  }
  EXPECT_EQ(tiktok_.Calls("CreateCustomIdentity"), 0);
}

TEST_F(CatalogTest, CreateNeedsAnActiveSubscription) {
  Connect(owner_);
  ASSERT_THAT(teams_.SetSubscriptionActive(owner_.caller.team_id, false),
              IsOk());
  auto s = catalog_->CreateCustom(owner_, kAdvertiser, "Brand", "",
                                  common::v1::IDENTITY_TYPE_CUSTOMIZED_USER);
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(status::ReasonOf(s.status()), "SUBSCRIPTION_REQUIRED");
  EXPECT_EQ(tiktok_.Calls("CreateCustomIdentity"), 0);
}

TEST_F(CatalogTest, CreateFailureStillInvalidatesAndNotesRevocation) {
  const std::string token = Connect(owner_);
  ASSERT_THAT(catalog_->List(owner_, kAdvertiser), IsOk());  // warm
  tiktok_.FailNext("CreateCustomIdentity",
                   absl::UnavailableError("answer lost"));
  EXPECT_THAT(catalog_->CreateCustom(owner_, kAdvertiser, "Brand", "",
                                     common::v1::IDENTITY_TYPE_CUSTOMIZED_USER),
              StatusIs(absl::StatusCode::kUnavailable));
  ASSERT_THAT(catalog_->List(owner_, kAdvertiser), IsOk());
  EXPECT_EQ(tiktok_.Calls("ListIdentityPage"), 2);  // refetched

  tiktok_.RevokeBehindOurBack(token);
  EXPECT_THAT(catalog_->CreateCustom(owner_, kAdvertiser, "Brand", "",
                                     common::v1::IDENTITY_TYPE_CUSTOMIZED_USER),
              StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_FALSE((*connections_->List(owner_.caller.team_id))[0].active());
}

}  // namespace
}  // namespace ttads::identity
