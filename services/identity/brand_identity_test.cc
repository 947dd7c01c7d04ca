#include "services/identity/brand_identity.h"

#include <atomic>
#include <thread>

#include "absl/strings/match.h"
#include "libs/crypto/hashing.h"
#include "libs/fetch/test_images.h"
#include "libs/store/key_schema.h"
#include "libs/testing/field_violations.h"
#include "services/identity/fake_image_source.h"
#include "services/identity/identity_domain_fixture.h"

namespace ttads::identity {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::SizeIs;
using ::ttads::testing::FirstViolatedField;
using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;
namespace images = ::ttads::fetch::testing;

constexpr char kSquare[] = "https://cdn.example.com/square.png";
constexpr char kOther[] = "https://cdn.example.com/square-other.png";
constexpr char kJpeg[] = "https://cdn.example.com/square.jpg";

class BrandIdentityTest : public IdentityDomainTest {
 protected:
  void SetUp() override {
    IdentityDomainTest::SetUp();
    brand_ = std::make_unique<BrandIdentityManager>(
        redis_, accounts_.get(), catalog_.get(), &tiktok_, &images_,
        BrandIdentityOptions{});
    images_.Serve(kSquare, images::MakePng(120, 120, 1));
    images_.Serve(kOther, images::MakePng(120, 120, 2));
    images_.Serve(kJpeg, images::MakeJpeg(128, 128, 3));
    account_ = AddAccount(owner_, "acc_ads", "tiktokads");
  }

  std::string AddAccount(const server::CallContext& call, const std::string& id,
                         const std::string& platform) {
    v1::Account account;
    account.set_account_id(id);
    account.set_platform(platform);
    account.set_advertiser_id(kAdvertiser);
    EXPECT_THAT(accounts_->Put(call.caller.team_id, account), IsOk());
    return id;
  }

  absl::StatusOr<v1::ConfigureBrandIdentityResponse> Configure(
      const std::string& name, const std::string& url,
      const server::CallContext* call = nullptr) {
    return brand_->Configure(call ? *call : owner_, account_, name, url);
  }

  FakeImageSource images_;
  std::unique_ptr<BrandIdentityManager> brand_;
  std::string account_;
};

TEST_F(BrandIdentityTest, RequestIsValidatedBeforeAnythingElse) {
  Connect(owner_);
  struct Case {
    std::string account, name, url, field;
  } cases[] = {
      {account_, std::string(41, 'n'), kSquare, "display_name"},
      {account_, "", kSquare, "display_name"},
      {account_, "bad \xC3", kSquare, "display_name"},
      {account_, "Brand", "", "image_url"},
      {"", "Brand", kSquare, "account_id"},
  };
  for (const auto& c : cases) {
    auto s = brand_->Configure(owner_, c.account, c.name, c.url);
    EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument)) << c.name;
    EXPECT_EQ(FirstViolatedField(s), c.field) << c.name;
  }
  // 40 characters (not bytes) is fine.
  std::string forty;
  for (int i = 0; i < 40; ++i) forty += "\xC3\xA9";
  EXPECT_THAT(Configure(forty, kSquare), IsOk());
  EXPECT_THAT(images_.requests(), SizeIs(1));
}

TEST_F(BrandIdentityTest, AccountMustBeTheTeamsAdsAccount) {
  Connect(owner_);
  Connect(stranger_);
  const std::string posting = AddAccount(owner_, "acc_posting", "tiktok");
  auto wrong_kind = brand_->Configure(owner_, posting, "Brand", kSquare);
  EXPECT_THAT(wrong_kind, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(FirstViolatedField(wrong_kind), "account_id");
  EXPECT_THAT(brand_->Configure(owner_, "acc_missing", "Brand", kSquare),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(Configure("Hijack", kSquare, &stranger_),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(brand_->Get(stranger_, account_),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(images_.requests(), SizeIs(0));
}

// Rights and token come before any download: a mediabuyer without a
// connection of their own gets NO_TOKEN and no URL is fetched.
TEST_F(BrandIdentityTest, TokenIsCheckedBeforeFetching) {
  Connect(owner_);
  auto s = Configure("Acme", kSquare, &buyer_);
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(status::ReasonOf(s.status()), "NO_TOKEN");
  EXPECT_THAT(images_.requests(), SizeIs(0));
}

TEST_F(BrandIdentityTest, ImageMustBeASquarePngOrJpegOfAtLeast98) {
  Connect(owner_);
  images_.Serve("https://cdn.example.com/small.png", images::MakePng(97, 97));
  images_.Serve("https://cdn.example.com/wide.png", images::MakePng(200, 120));
  images_.Serve("https://cdn.example.com/anim.gif", images::MakeGif());
  images_.Serve("https://cdn.example.com/text", "not an image");
  for (const char* url :
       {"https://cdn.example.com/small.png", "https://cdn.example.com/wide.png",
        "https://cdn.example.com/anim.gif", "https://cdn.example.com/text"}) {
    auto s = Configure("Brand", url);
    EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument)) << url;
    EXPECT_EQ(FirstViolatedField(s), "image_url") << url;
    EXPECT_EQ(status::ReasonOf(s.status()), "INVALID_IMAGE") << url;
  }
  EXPECT_THAT(Configure("Brand", "https://cdn.example.com/small.png"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("at least 98x98, got 97x97")));
  EXPECT_THAT(Configure("Brand", kJpeg), IsOk());
  EXPECT_EQ(tiktok_.Calls("UploadImage"), 1);
}

// What the download's failure tells the caller: fix the URL (refused
// address, too large, 4xx), wait (the call's deadline), or retry (host
// down).
TEST_F(BrandIdentityTest, DownloadFailuresMapToWhatTheCallerShouldDo) {
  Connect(owner_);
  images_.Fail("http://169.254.169.254/latest",
               absl::PermissionDeniedError("169.254.169.254 is link-local"));
  images_.Fail("https://cdn.example.com/huge.png",
               absl::InvalidArgumentError("body exceeds 5242880 bytes"));
  images_.Fail("https://cdn.example.com/slow.png",
               absl::DeadlineExceededError("deadline reached"));
  images_.Fail("https://down.example.com/a.png",
               absl::UnavailableError("connection refused"));

  auto refused = Configure("Brand", "http://169.254.169.254/latest");
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kInvalidArgument,
                                HasSubstr("public address")));
  EXPECT_EQ(FirstViolatedField(refused), "image_url");
  auto huge = Configure("Brand", "https://cdn.example.com/huge.png");
  EXPECT_THAT(
      huge, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("exceeds")));
  EXPECT_EQ(FirstViolatedField(huge), "image_url");
  auto missing = Configure("Brand", "https://cdn.example.com/404.png");
  EXPECT_EQ(FirstViolatedField(missing), "image_url");
  EXPECT_THAT(Configure("Brand", "https://cdn.example.com/slow.png"),
              StatusIs(absl::StatusCode::kDeadlineExceeded));
  auto down = Configure("Brand", "https://down.example.com/a.png");
  EXPECT_THAT(down, StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_EQ(FirstViolatedField(down), "image_url");
  EXPECT_EQ(tiktok_.Calls("UploadImage"), 0);
  EXPECT_EQ(tiktok_.Calls("CreateCustomIdentity"), 0);
}

// The download runs inside the caller's deadline.
TEST_F(BrandIdentityTest, ImageIsFetchedWithinTheCallsDeadline) {
  Connect(owner_);
  server::CallContext call = owner_;
  call.deadline = absl::Now() + absl::Seconds(3);
  ASSERT_THAT(Configure("Acme", kSquare, &call), IsOk());
  ASSERT_THAT(images_.requests(), SizeIs(1));
  EXPECT_EQ(images_.requests()[0].url, kSquare);
  EXPECT_EQ(images_.requests()[0].deadline, call.deadline);
}

TEST_F(BrandIdentityTest, UploadsTheImageThenCreatesTheIdentityWithIt) {
  const std::string token = Connect(owner_);
  auto first = Configure("Acme", kSquare);
  ASSERT_THAT(first, IsOk());
  EXPECT_TRUE(first->success());
  EXPECT_TRUE(first->created());
  EXPECT_EQ(first->display_name(), "Acme");
  ASSERT_THAT(tiktok_.uploads(), SizeIs(1));
  const auto upload = tiktok_.uploads()[0];
  const std::string bytes = images::MakePng(120, 120, 1);
  EXPECT_EQ(upload.bytes, bytes);
  EXPECT_EQ(upload.access_token, token);
  EXPECT_EQ(upload.advertiser_id, kAdvertiser);
  // A unique material name per upload: TikTok refuses duplicates.
  EXPECT_TRUE(absl::StartsWith(
      upload.file_name,
      absl::StrCat("brand-", crypto::Sha256Hex(bytes).substr(0, 16), "-")));
  EXPECT_TRUE(absl::EndsWith(upload.file_name, ".png"));
  ASSERT_THAT(tiktok_.creates(), SizeIs(1));
  EXPECT_EQ(tiktok_.creates()[0].display_name, "Acme");

  auto brand = brand_->Get(owner_, account_);
  ASSERT_THAT(brand, IsOk());
  EXPECT_EQ(brand->identity_id(), first->identity_id());
  EXPECT_EQ(brand->image_url(), kSquare);
  EXPECT_EQ(brand->image_sha256(), crypto::Sha256Hex(bytes));
  EXPECT_FALSE(brand->image_id().empty());
  EXPECT_EQ(tiktok_.creates()[0].image_id, brand->image_id());
  EXPECT_EQ(brand->previous_identity_ids_size(), 0);
  // The account record mirrors the identity (resolution reads it there).
  EXPECT_EQ(
      accounts_->Get(owner_.caller.team_id, account_)->brand_identity_id(),
      first->identity_id());

  ASSERT_THAT(Configure("Acme", kJpeg), IsOk());
  EXPECT_TRUE(absl::EndsWith(tiktok_.uploads()[1].file_name, ".jpg"));
  EXPECT_NE(tiktok_.uploads()[1].file_name, upload.file_name);
}

TEST_F(BrandIdentityTest, ResaveCreatesNothingAnyChangeCreatesOne) {
  Connect(owner_);
  auto first = Configure("Acme", kSquare);
  ASSERT_THAT(first, IsOk());
  auto same = Configure("Acme", kSquare);
  ASSERT_THAT(same, IsOk());
  EXPECT_FALSE(same->created());
  EXPECT_EQ(same->identity_id(), first->identity_id());
  EXPECT_EQ(tiktok_.Calls("CreateCustomIdentity"), 1);
  EXPECT_EQ(tiktok_.Calls("UploadImage"), 1);

  auto image = Configure("Acme", kOther);
  ASSERT_THAT(image, IsOk());
  EXPECT_TRUE(image->created());
  auto name = Configure("Acme Corp", kOther);
  ASSERT_THAT(name, IsOk());
  EXPECT_TRUE(name->created());
  EXPECT_EQ(tiktok_.Calls("CreateCustomIdentity"), 3);

  auto brand = brand_->Get(owner_, account_);
  ASSERT_THAT(brand, IsOk());
  EXPECT_EQ(brand->identity_id(), name->identity_id());
  EXPECT_THAT(brand->previous_identity_ids(),
              ElementsAre(first->identity_id(), image->identity_id()));
}

// Creating the identity invalidates the cached list, so resolution sees it.
TEST_F(BrandIdentityTest, CreatedIdentityIsListedAtOnce) {
  Connect(owner_);
  ASSERT_THAT(catalog_->List(owner_, kAdvertiser), IsOk());  // warm
  auto created = Configure("Acme", kSquare);
  ASSERT_THAT(created, IsOk());
  auto list = catalog_->List(owner_, kAdvertiser);
  ASSERT_THAT(list, IsOk());
  ASSERT_THAT(list->identities, SizeIs(1));
  EXPECT_EQ(list->identities[0].identity_id(), created->identity_id());
}

TEST_F(BrandIdentityTest, UpstreamFailuresStoreNothing) {
  const std::string token = Connect(owner_);
  tiktok_.FailNext("CreateCustomIdentity", absl::UnavailableError("down"));
  EXPECT_THAT(Configure("Acme", kSquare),
              StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(brand_->Get(owner_, account_),
              StatusIs(absl::StatusCode::kNotFound));
  tiktok_.RevokeBehindOurBack(token);
  EXPECT_THAT(Configure("Acme", kSquare),
              StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_FALSE((*connections_->List(owner_.caller.team_id))[0].active());
}

// Concurrent identical saves of one account create one identity.
TEST_F(BrandIdentityTest, ConcurrentIdenticalSavesCreateOne) {
  Connect(owner_);
  std::atomic<int> ok{0}, created{0};
  std::vector<std::thread> savers;
  for (int i = 0; i < 4; ++i) {
    savers.emplace_back([&] {
      auto r = Configure("Acme", kSquare);
      if (r.ok()) {
        ++ok;
        created += r->created();
      }
    });
  }
  for (auto& t : savers) t.join();
  EXPECT_EQ(ok.load(), 4);
  EXPECT_EQ(created.load(), 1);
  EXPECT_EQ(tiktok_.Calls("CreateCustomIdentity"), 1);
}

TEST_F(BrandIdentityTest, AHeldLockPastTheDeadlineIsAborted) {
  Connect(owner_);
  const std::string lock = store::TeamKey(
      owner_.caller.team_id, absl::StrCat("account:", account_, ":brand_lock"));
  ASSERT_THAT(redis_->Command({"SET", lock, "someone", "PX", "60000"}), IsOk());
  server::CallContext call = owner_;
  call.deadline = absl::Now() + absl::Milliseconds(200);
  EXPECT_THAT(Configure("Acme", kSquare, &call),
              StatusIs(absl::StatusCode::kAborted));
  EXPECT_EQ(tiktok_.Calls("UploadImage"), 0);
  EXPECT_EQ(redis_->Command({"GET", lock})->str, "someone");
}

TEST_F(BrandIdentityTest, GetNeedsAnAccountWithABrand) {
  auto empty = brand_->Get(owner_, "");
  EXPECT_THAT(empty, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(FirstViolatedField(empty), "account_id");
  EXPECT_THAT(brand_->Get(owner_, "acc_missing"),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(brand_->Get(owner_, account_),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("no Brand")));
}

}  // namespace
}  // namespace ttads::identity
