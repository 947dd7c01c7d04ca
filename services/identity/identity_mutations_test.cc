// IdentityMutations: each identity mutation with a request id, against the
// fake TikTok and a private redis-server: the same request twice or
// concurrently creates one object and gets identical answers, another
// request under the key is ALREADY_EXISTS naming it, and an answer lost
// after TikTok created the identity is reconciled, not created again.
#include "services/identity/identity_mutations.h"

#include <functional>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "libs/fetch/test_images.h"
#include "libs/tiktok/error_class.h"
#include "services/identity/fake_image_source.h"
#include "services/identity/identity_domain_fixture.h"

namespace ttads::identity {
namespace {

using ::testing::HasSubstr;
using ::testing::SizeIs;
using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;

constexpr char kLogo[] = "https://cdn.example.com/logo.png";

class IdentityMutationsTest : public IdentityDomainTest {
 protected:
  void SetUp() override {
    IdentityDomainTest::SetUp();
    ads_ = std::make_unique<AdsAccounts>(accounts_.get(), tokens_.get());
    brand_ = std::make_unique<BrandIdentityManager>(
        redis_, accounts_.get(), catalog_.get(), &tiktok_, &images_,
        BrandIdentityOptions{});
    mutations_ = std::make_unique<IdentityMutations>(
        redis_, ads_.get(), catalog_.get(), brand_.get());
    images_.Serve(kLogo, fetch::testing::MakePng(120, 120, 1));
    Connect(owner_, {kAdvertiser, kOtherAdvertiser});
  }

  // Runs `call` `n` times at once and once more after; the answers.
  template <typename Answer>
  static std::vector<Answer> TwiceAndConcurrently(
      int n, const std::function<Answer()>& call) {
    std::vector<std::optional<Answer>> out(n);
    std::vector<std::thread> threads;
    for (int i = 0; i < n; ++i) {
      threads.emplace_back([&, i] { out[i].emplace(call()); });
    }
    for (auto& t : threads) t.join();
    std::vector<Answer> answers;
    for (auto& a : out) answers.push_back(*std::move(a));
    answers.push_back(call());
    return answers;
  }

  template <typename Message>
  static void ExpectAllOkAndAlike(
      const std::vector<absl::StatusOr<Message>>& answers) {
    for (const auto& a : answers) {
      ASSERT_THAT(a, IsOk());
      EXPECT_EQ(a->SerializeAsString(), answers[0]->SerializeAsString());
    }
  }

  FakeImageSource images_;
  std::unique_ptr<AdsAccounts> ads_;
  std::unique_ptr<BrandIdentityManager> brand_;
  std::unique_ptr<IdentityMutations> mutations_;
};

TEST_F(IdentityMutationsTest, ConnectAdsAccountOnceForOneRequestId) {
  v1::ConnectAdsAccountRequest req;
  req.set_platform("tiktok");
  req.set_advertiser_id(kAdvertiser);
  req.set_request_id("connect-1");
  auto answers =
      TwiceAndConcurrently<absl::StatusOr<v1::ConnectAdsAccountResponse>>(
          4, [&] { return mutations_->ConnectAdsAccount(owner_, req); });
  ExpectAllOkAndAlike(answers);
  // Every answer is the first call's: created, not "already connected".
  EXPECT_FALSE(answers[0]->already_connected());
  EXPECT_THAT(*ads_->List(owner_, "tiktokads"), SizeIs(1));
  req.set_advertiser_id(kOtherAdvertiser);
  EXPECT_THAT(
      mutations_->ConnectAdsAccount(owner_, req),
      StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("connect-1")));
  EXPECT_THAT(*ads_->List(owner_, "tiktokads"), SizeIs(1));
}

TEST_F(IdentityMutationsTest, CreateAccountOnceForOneRequestId) {
  v1::CreateAccountRequest req;
  req.set_display_name("Acme on TikTok");
  req.set_tt_user_identity_id("7000000000000000001");
  req.set_advertiser_id(kAdvertiser);
  req.set_request_id("account-1");
  auto answers = TwiceAndConcurrently<absl::StatusOr<v1::Account>>(
      4, [&] { return mutations_->CreateAccount(owner_, req); });
  ExpectAllOkAndAlike(answers);
  EXPECT_THAT(*ads_->List(owner_, "tiktok"), SizeIs(1));
  req.set_display_name("Acme again");
  EXPECT_THAT(
      mutations_->CreateAccount(owner_, req),
      StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("account-1")));
  EXPECT_THAT(*ads_->List(owner_, "tiktok"), SizeIs(1));
}

TEST_F(IdentityMutationsTest, CreateIdentityOnceForOneRequestId) {
  v1::CreateIdentityRequest req;
  req.set_advertiser_id(kAdvertiser);
  req.set_display_name("Acme Shop");
  req.set_request_id("identity-1");
  auto answers = TwiceAndConcurrently<absl::StatusOr<common::v1::Identity>>(
      4, [&] { return mutations_->CreateIdentity(owner_, req); });
  ExpectAllOkAndAlike(answers);
  EXPECT_EQ(tiktok_.Calls("CreateCustomIdentity"), 1);
  req.set_display_name("Acme Outlet");
  EXPECT_THAT(
      mutations_->CreateIdentity(owner_, req),
      StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("identity-1")));
  EXPECT_EQ(tiktok_.Calls("CreateCustomIdentity"), 1);
}

// TikTok created the identity and the answer was lost: the retry finds the
// new identity — not the older one that carries the same name — and
// creates nothing.
TEST_F(IdentityMutationsTest, CreateIdentityWhoseAnswerWasLostIsReconciled) {
  common::v1::Identity older;
  older.set_identity_type(common::v1::IDENTITY_TYPE_CUSTOMIZED_USER);
  older.set_display_name("Acme Shop");
  older.set_available_status("AVAILABLE");
  const std::string older_id =
      tiktok_.AddIdentity(kAdvertiser, older).identity_id();
  tiktok::TikTokErrorInfo lost;
  lost.ambiguous = true;
  lost.retryable = true;
  tiktok_.LoseNextCreateAnswer(tiktok::MakeTikTokError(
      absl::StatusCode::kDeadlineExceeded, "timeout after send", lost));
  v1::CreateIdentityRequest req;
  req.set_advertiser_id(kAdvertiser);
  req.set_display_name("Acme Shop");
  req.set_request_id("identity-lost");
  EXPECT_THAT(mutations_->CreateIdentity(owner_, req),
              StatusIs(absl::StatusCode::kDeadlineExceeded));
  auto retried = mutations_->CreateIdentity(owner_, req);
  ASSERT_THAT(retried, IsOk());
  EXPECT_NE(retried->identity_id(), older_id);
  EXPECT_EQ(retried->display_name(), "Acme Shop");
  EXPECT_EQ(tiktok_.Calls("CreateCustomIdentity"), 1);
  auto replayed = mutations_->CreateIdentity(owner_, req);
  ASSERT_THAT(replayed, IsOk());
  EXPECT_EQ(replayed->identity_id(), retried->identity_id());
}

// A refusal before anything was created gives the key back.
TEST_F(IdentityMutationsTest, CreateIdentityRefusedIsTriedAgain) {
  tiktok_.FailNext("CreateCustomIdentity",
                   absl::UnavailableError("connection refused"));
  v1::CreateIdentityRequest req;
  req.set_advertiser_id(kAdvertiser);
  req.set_display_name("Acme Shop");
  req.set_request_id("identity-refused");
  EXPECT_THAT(mutations_->CreateIdentity(owner_, req),
              StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(mutations_->CreateIdentity(owner_, req), IsOk());
  EXPECT_EQ(tiktok_.Calls("CreateCustomIdentity"), 2);
}

TEST_F(IdentityMutationsTest, ConfigureBrandIdentityOnceForOneRequestId) {
  v1::Account account;
  account.set_account_id("acc_ads");
  account.set_platform("tiktokads");
  account.set_advertiser_id(kAdvertiser);
  ASSERT_THAT(accounts_->Put(owner_.caller.team_id, account), IsOk());
  v1::ConfigureBrandIdentityRequest req;
  req.set_account_id("acc_ads");
  req.set_display_name("Acme");
  req.set_image_url(kLogo);
  req.set_request_id("brand-1");
  auto answers =
      TwiceAndConcurrently<absl::StatusOr<v1::ConfigureBrandIdentityResponse>>(
          4, [&] { return mutations_->ConfigureBrandIdentity(owner_, req); });
  ExpectAllOkAndAlike(answers);
  EXPECT_TRUE(answers[0]->created());
  EXPECT_EQ(tiktok_.Calls("CreateCustomIdentity"), 1);
  req.set_display_name("Acme Two");
  EXPECT_THAT(mutations_->ConfigureBrandIdentity(owner_, req),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("brand-1")));
  EXPECT_EQ(tiktok_.Calls("CreateCustomIdentity"), 1);
}

}  // namespace
}  // namespace ttads::identity
