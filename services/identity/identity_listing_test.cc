#include "services/identity/identity_listing.h"

#include <map>
#include <set>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/contracts/enum_names.h"
#include "libs/testing/status_matchers.h"
#include "services/identity/fake_tiktok_identity_api.h"

namespace ttads::identity {
namespace {

using common::v1::Identity;
using common::v1::IdentityType;
using ::testing::ElementsAre;
using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;

constexpr char kAdv[] = "7101000000000000777";
constexpr char kToken[] = "act.listing";

class ListEveryIdentityTest : public ::testing::Test {
 protected:
  void SetUp() override { tiktok_.AddToken(kToken, {kAdv}); }

  void Add(IdentityType type, int count, const std::string& bc = "") {
    for (int i = 0; i < count; ++i) {
      Identity identity;
      identity.set_identity_type(type);
      identity.set_identity_authorized_bc_id(bc);
      tiktok_.AddIdentity(kAdv, identity);
    }
  }

  absl::StatusOr<std::vector<Identity>> List() {
    return ListEveryIdentity(tiktok_, kToken, kAdv, deadline_);
  }

  // The listings requested, as "TYPE/bc:page" ("*" for untyped).
  std::vector<std::string> Requests() {
    std::vector<std::string> out;
    for (const auto& r : tiktok_.page_requests()) {
      std::string type = r.type == common::v1::IDENTITY_TYPE_UNSPECIFIED
                             ? "*"
                             : contracts::ShortName(r.type);
      if (!r.authorized_bc_id.empty()) type += "/" + r.authorized_bc_id;
      out.push_back(type + ":" + std::to_string(r.page));
    }
    return out;
  }

  FakeTikTokIdentityApi tiktok_;
  absl::Time deadline_ = absl::Now() + absl::Minutes(1);
};

TEST_F(ListEveryIdentityTest, ShortFirstPageIsOneCallWithTheMaximumPageSize) {
  Add(common::v1::IDENTITY_TYPE_TT_USER, 2);
  Add(common::v1::IDENTITY_TYPE_CUSTOMIZED_USER, 1);
  Add(common::v1::IDENTITY_TYPE_BC_AUTH_TT, 1, "bc-1");
  auto list = List();
  ASSERT_THAT(list, IsOk());
  EXPECT_EQ(list->size(), 4u);
  EXPECT_THAT(Requests(), ElementsAre("*:1"));
  EXPECT_EQ(tiktok_.page_requests()[0].page_size, kIdentityPageSize);
  EXPECT_EQ(tiktok_.page_requests()[0].advertiser_id, kAdv);
  EXPECT_EQ(tiktok_.last_deadline(), deadline_);
}

TEST_F(ListEveryIdentityTest, EmptyAdvertiserIsOneCall) {
  auto list = List();
  ASSERT_THAT(list, IsOk());
  EXPECT_TRUE(list->empty());
  EXPECT_THAT(Requests(), ElementsAre("*:1"));
}

// The untyped page_info counts CUSTOMIZED_USER only (one page here): a
// client trusting it would stop after page 1 and miss the BC_AUTH_TT
// identities created last. Past one page, every type is listed on its own
// and BC_AUTH_TT once per Business Center, with its id.
TEST_F(ListEveryIdentityTest, PastOnePageListsEveryTypeAndEachBusinessCenter) {
  Add(common::v1::IDENTITY_TYPE_CUSTOMIZED_USER, 3);
  Add(common::v1::IDENTITY_TYPE_TT_USER, 130);
  Add(common::v1::IDENTITY_TYPE_AUTH_CODE, 1);
  Add(common::v1::IDENTITY_TYPE_BC_AUTH_TT, 2, "bc-a");
  Add(common::v1::IDENTITY_TYPE_BC_AUTH_TT, 1, "bc-b");
  auto list = List();
  ASSERT_THAT(list, IsOk());
  std::map<IdentityType, int> by_type;
  std::map<std::string, int> by_bc;
  std::set<std::string> ids;
  for (const auto& identity : *list) {
    ids.insert(identity.identity_id());
    ++by_type[identity.identity_type()];
    if (!identity.identity_authorized_bc_id().empty()) {
      ++by_bc[identity.identity_authorized_bc_id()];
    }
  }
  EXPECT_EQ(ids.size(), 137u);
  EXPECT_EQ(list->size(), 137u);
  EXPECT_EQ(by_type[common::v1::IDENTITY_TYPE_TT_USER], 130);
  EXPECT_EQ(by_type[common::v1::IDENTITY_TYPE_CUSTOMIZED_USER], 3);
  EXPECT_EQ(by_type[common::v1::IDENTITY_TYPE_AUTH_CODE], 1);
  EXPECT_EQ(by_bc["bc-a"], 2);
  EXPECT_EQ(by_bc["bc-b"], 1);
  EXPECT_THAT(
      Requests(),
      ElementsAre("*:1", "*:2", "TT_USER:1", "TT_USER:2", "CUSTOMIZED_USER:1",
                  "AUTH_CODE:1", "BC_AUTH_TT/bc-a:1", "BC_AUTH_TT/bc-b:1"));
}

// A full first page is not known to be the last: the next untyped page is
// read, and as the walk ran past one page, each type is listed on its own.
TEST_F(ListEveryIdentityTest, ExactlyOneFullPageReadsTheNextThenEachType) {
  Add(common::v1::IDENTITY_TYPE_TT_USER, kIdentityPageSize);
  auto list = List();
  ASSERT_THAT(list, IsOk());
  EXPECT_EQ(list->size(), static_cast<size_t>(kIdentityPageSize));
  EXPECT_THAT(Requests(), ElementsAre("*:1", "*:2", "TT_USER:1",
                                      "CUSTOMIZED_USER:1", "AUTH_CODE:1"));
}

TEST_F(ListEveryIdentityTest, AFailingPageFailsTheListing) {
  Add(common::v1::IDENTITY_TYPE_TT_USER, 150);
  tiktok_.FailNext("ListIdentityPage", absl::UnavailableError("TikTok down"));
  EXPECT_THAT(List(), StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(ListEveryIdentity(tiktok_, "act.unknown", kAdv, deadline_),
              StatusIs(absl::StatusCode::kUnauthenticated));
}

}  // namespace
}  // namespace ttads::identity
