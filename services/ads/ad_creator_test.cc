// AdCreator's steps against the fake TikTok, fake identity and preflight
// services and a private redis-server (the idempotency records): what each
// step sends, what each step's failure leaves behind, and reconciliation.
#include "services/ads/ad_creator.h"

#include <future>
#include <memory>
#include <thread>

#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "libs/idempotency/request_digest.h"
#include "libs/testing/private_redis.h"
#include "libs/testing/status_matchers.h"
#include "services/ads/ad_creator_test_env.h"
#include "services/ads/ad_name.h"

namespace ttads::ads {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::IsOk;
using ::testing::SizeIs;
using testing::StatusIs;

// AdCreatorTestEnv on a redis-server of this suite's own, so its request
// ids never meet those of the binary's other tests.
class AdCreatorTest : public AdCreatorTestEnv {
 protected:
  static void SetUpTestSuite() {
    auto redis = testing::PrivateRedis::Start();
    ASSERT_THAT(redis, IsOk());
    private_redis_ = redis->release();
    redis_ = private_redis_->pool();
  }
  static void TearDownTestSuite() {
    delete private_redis_;
    private_redis_ = nullptr;
    redis_ = nullptr;
  }

  AdCreatorTest() : AdCreatorTestEnv(redis_) {}

  static testing::PrivateRedis* private_redis_;
  static store::RedisPool* redis_;  // private_redis_'s
};

testing::PrivateRedis* AdCreatorTest::private_redis_ = nullptr;
store::RedisPool* AdCreatorTest::redis_ = nullptr;

TEST_F(AdCreatorTest, VideoAdGetsItsCoverTheDefaultCtaAndAMarkedName) {
  auto created = Create(VideoAd());
  ASSERT_THAT(created, IsOk());
  EXPECT_THAT(created->ad_ids(), SizeIs(1));
  EXPECT_EQ(created->advertiser_id(), kAdvertiser);
  EXPECT_EQ(created->ad_format(), "SINGLE_VIDEO");
  EXPECT_EQ(created->identity().identity_type(),
            common::v1::IDENTITY_TYPE_TT_USER);
  ASSERT_THAT(tiktok_.created, SizeIs(1));
  const AdCreative& sent = tiktok_.created[0];
  EXPECT_EQ(sent.video_id, kVideo);
  // Non-Spark SINGLE_VIDEO needs a cover: the video's own, uploaded by URL.
  ASSERT_THAT(tiktok_.image_uploads, SizeIs(1));
  EXPECT_EQ(tiktok_.image_uploads[0].kind, ImageUpload::Kind::kUrl);
  EXPECT_EQ(tiktok_.image_uploads[0].url, kCover);
  EXPECT_THAT(sent.image_ids, SizeIs(1));
  EXPECT_EQ(sent.call_to_action, "LEARN_MORE");
  EXPECT_TRUE(absl::StartsWith(sent.ad_name, "SINGLE_VIDEO Fresh coffee"));
  EXPECT_THAT(sent.ad_name, HasSubstr(" [tt:"));
  EXPECT_EQ(sent.identity.identity_id(), identity_.identity_id);
  EXPECT_EQ(tiktok_.accesses.back().token, std::string("token-") + kOwner);
}

TEST_F(AdCreatorTest, InvalidRequestReachesNoOtherServiceNorTikTok) {
  v1::AdInput req = VideoAd("r-invalid");
  req.set_ad_text("");
  req.set_landing_page_url("http://plain.example/");
  auto created = Create(req);
  EXPECT_THAT(created, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(Fields(created.status()),
            (std::set<std::string>{"ad_text", "landing_page_url"}));
  EXPECT_THAT(tiktok_.CallLog(), SizeIs(0));
  EXPECT_THAT(identity_.resolved, SizeIs(0));
  // Nothing was claimed: the same request id works once fixed.
  EXPECT_THAT(Create(VideoAd("r-invalid")), IsOk());
}

TEST_F(AdCreatorTest, PickAdvertiserTakesTheOnlyReachableOne) {
  v1::AdInput req = VideoAd();
  req.clear_advertiser_id();
  AdCreator::Attempt a;
  a.call = Call();
  a.request = &req;
  EXPECT_THAT(Creator().PickAdvertiser(a),
              testing::IsOkAndHolds(std::string(kAdvertiser)));
  // With an account, the identity service picks the account's.
  req.set_account_id("acct-1");
  EXPECT_THAT(Creator().PickAdvertiser(a), testing::IsOkAndHolds(""));
}

TEST_F(AdCreatorTest, SeveralAdvertisersNeedAnAdvertiserId) {
  Connect("member-2", {{"7101000000000000002", ""}});
  v1::AdInput req = VideoAd();
  req.clear_advertiser_id();
  auto created = Create(req);
  EXPECT_THAT(created, StatusIs(absl::StatusCode::kInvalidArgument,
                                HasSubstr("You have 2 tiktok_ads accounts")));
  EXPECT_THAT(created.status().message(),
              HasSubstr("Demo Brand (advertiser_id=\"7101000000000000001\")"));
  EXPECT_EQ(Fields(created.status()), std::set<std::string>{"advertiser_id"});
  EXPECT_THAT(identity_.resolved, SizeIs(0));
  // A mediabuyer reaches only their own connection: no ambiguity.
  AdCreator::Attempt a;
  a.call = Call("member-2", "mediabuyer");
  a.request = &req;
  EXPECT_THAT(Creator().PickAdvertiser(a),
              testing::IsOkAndHolds(std::string("7101000000000000002")));
}

TEST_F(AdCreatorTest, IdentityFailureGivesTheKeyBack) {
  identity_.resolve_error = status::InvalidArgument(
      "not the advertiser's", {{"identity_id", "not found"}});
  auto created = Create(VideoAd("r-identity"));
  EXPECT_THAT(created, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(Fields(created.status()), std::set<std::string>{"identity_id"});
  EXPECT_EQ(tiktok_.Calls("CreateAd"), 0);
  identity_.resolve_error = absl::OkStatus();
  EXPECT_THAT(Create(VideoAd("r-identity")), IsOk());
  EXPECT_EQ(AdsInFake(), 1);
}

TEST_F(AdCreatorTest, UnusableVideoIsAFieldErrorAndSendsNothing) {
  v1::AdInput req = VideoAd("r-video");
  req.set_video_id("7301000000000009999");
  auto created = Create(req);
  EXPECT_THAT(created, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(Fields(created.status()), std::set<std::string>{"video_id"});
  EXPECT_EQ(tiktok_.Calls("CreateAd"), 0);
}

TEST_F(AdCreatorTest, DefiniteCreateFailureGivesTheKeyBack) {
  tiktok_.create_outcomes.push_back(
      {false, absl::InvalidArgumentError("TikTok: adgroup paused")});
  EXPECT_THAT(Create(VideoAd("r-definite")),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(tiktok_.Calls("GetAds"), 0);  // No reconciliation: not created.
  EXPECT_THAT(Create(VideoAd("r-definite")), IsOk());
  EXPECT_EQ(AdsInFake(), 1);
}

TEST_F(AdCreatorTest, AppliedThenLostIsFoundByItsMarkerNotSentAgain) {
  tiktok_.create_outcomes.push_back({true, Lost()});
  auto created = Create(VideoAd("r-lost"));
  ASSERT_THAT(created, IsOk());
  EXPECT_EQ(tiktok_.Calls("CreateAd"), 1);
  EXPECT_EQ(AdsInFake(), 1);
  EXPECT_EQ(created->ad_ids(0), tiktok_.ads.begin()->first);
  EXPECT_THAT(created->notes(),
              ::testing::Contains(HasSubstr("TikTok's answer was lost")));
  // The lookup asked for this ad group, every status, by creation time.
  ASSERT_FALSE(tiktok_.ad_queries.empty());
  const AdQuery& q = tiktok_.ad_queries.back();
  EXPECT_THAT(q.adgroup_ids, ElementsAre(kAdgroup));
  EXPECT_EQ(q.primary_status, "STATUS_ALL");
  EXPECT_TRUE(q.created_after.has_value());
  // A retry replays the recorded answer; still one ad.
  auto again = Create(VideoAd("r-lost"));
  ASSERT_THAT(again, IsOk());
  EXPECT_TRUE(again->replayed());
  EXPECT_EQ(again->ad_ids(0), created->ad_ids(0));
  EXPECT_EQ(tiktok_.Calls("CreateAd"), 1);
}

TEST_F(AdCreatorTest, LostAndNotCreatedIsSentOnceMoreAfterTheLookup) {
  tiktok_.create_outcomes.push_back({false, Lost()});
  auto created = Create(VideoAd("r-resend"));
  ASSERT_THAT(created, IsOk());
  EXPECT_EQ(tiktok_.Calls("CreateAd"), 2);
  EXPECT_EQ(AdsInFake(), 1);
  EXPECT_THAT(tiktok_.CallLog(),
              ::testing::IsSupersetOf({"GetAds", "CreateAd"}));
  EXPECT_THAT(created->notes(), ::testing::Contains(HasSubstr("sent again")));
}

TEST_F(AdCreatorTest, UnknownOutcomeIsUnresolvedAndTheRetryLooksUpFirst) {
  // Applied, the answer lost, and TikTok cannot be asked.
  tiktok_.create_outcomes.push_back({true, Lost()});
  tiktok_.fail_next["GetAds"].push_back(absl::UnavailableError("down"));
  auto created = Create(VideoAd("r-unknown"));
  EXPECT_THAT(created, StatusIs(absl::StatusCode::kUnavailable,
                                HasSubstr("could not be confirmed")));
  EXPECT_EQ(AdsInFake(), 1);
  // The retry finds the ad by its marker before it sends anything.
  auto again = Create(VideoAd("r-unknown"));
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ(tiktok_.Calls("CreateAd"), 1);
  EXPECT_EQ(AdsInFake(), 1);
  EXPECT_THAT(
      again->notes(),
      ::testing::Contains(HasSubstr("an earlier attempt had created the ad")));
}

TEST_F(AdCreatorTest, RequestIdReplaysAndRefusesAnotherBody) {
  auto first = Create(VideoAd("r-replay"));
  ASSERT_THAT(first, IsOk());
  auto second = Create(VideoAd("r-replay"));
  ASSERT_THAT(second, IsOk());
  EXPECT_TRUE(second->replayed());
  EXPECT_EQ(tiktok_.Calls("CreateAd"), 1);
  v1::AdInput other = VideoAd("r-replay");
  other.set_ad_text("Another text");
  EXPECT_THAT(Create(other), StatusIs(absl::StatusCode::kAlreadyExists));
}

TEST_F(AdCreatorTest, ConcurrentDuplicatesSendOneCreateAndGetOneAnswer) {
  Creator();
  constexpr int kCalls = 5;
  std::vector<absl::StatusOr<v1::AdCreation>> out(
      kCalls, absl::UnknownError("not run"));
  std::vector<std::thread> threads;
  for (int i = 0; i < kCalls; ++i) {
    threads.emplace_back([&, i] { out[i] = Create(VideoAd("r-concurrent")); });
  }
  for (auto& t : threads) t.join();
  int replayed = 0;
  for (const auto& created : out) {
    ASSERT_THAT(created, IsOk());
    EXPECT_EQ(created->ad_ids(0), out[0]->ad_ids(0));
    replayed += created->replayed();
  }
  EXPECT_EQ(replayed, kCalls - 1);
  EXPECT_EQ(tiktok_.Calls("CreateAd"), 1);
  EXPECT_EQ(AdsInFake(), 1);
}

// A replica that sent /ad/create/ and died (its claim holds the intent it
// recorded): once its lease is over the retry finds the ad by its marker
// and answers it; nothing is sent again.
TEST_F(AdCreatorTest, DeadOwnersClaimIsReconciledByTheMarkerNotResent) {
  const v1::AdInput req = VideoAd("r-dead-owner");
  idempotency::IdempotencyStore dying(redis_,
                                      {.max_lease = absl::Milliseconds(200),
                                       .lease_grace = absl::ZeroDuration()});
  const idempotency::Key key{kTeam, "ads.CreateAd", req.request_id()};
  // The core request is keyed as its KeyedRequest.
  const compat::v1::CreateAdRequest keyed = KeyedRequest(req);
  auto claim = dying.Begin(key, idempotency::RequestDigest(keyed),
                           absl::Now() + absl::Milliseconds(200));
  ASSERT_THAT(claim, IsOk());
  const std::string marker =
      AdNameMarker(kTeam, req.request_id(), CreateRequestHash(keyed));
  ASSERT_THAT(dying.SaveIntent(key, claim->owner,
                               absl::StrCat(kAdvertiser, " ", marker)),
              IsOk());
  const std::string ad =
      tiktok_.AddAd(kAdvertiser, kAdgroup, "Coffee" + marker);  // applied
  absl::SleepFor(absl::Milliseconds(300));
  auto created = Create(req);
  ASSERT_THAT(created, IsOk());
  ASSERT_THAT(created->ad_ids(), SizeIs(1));
  EXPECT_EQ(created->ad_ids(0), ad);
  EXPECT_THAT(created->notes(), ::testing::Contains(HasSubstr("reconciled")));
  EXPECT_EQ(tiktok_.Calls("CreateAd"), 0);
  auto again = Create(req);
  ASSERT_THAT(again, IsOk());
  EXPECT_TRUE(again->replayed());
  EXPECT_EQ(again->ad_ids(0), ad);
}

TEST_F(AdCreatorTest, ValidateOnlyChecksTheAdGroupAndPreflightCreatesNothing) {
  v1::AdInput req = VideoAd("r-validate");
  req.set_validate_only(true);
  auto checked = Create(req);
  ASSERT_THAT(checked, IsOk());
  EXPECT_TRUE(checked->validated_only());
  EXPECT_THAT(checked->notes(),
              ::testing::Contains("preflight TRAFFIC: ready"));
  EXPECT_EQ(tiktok_.Calls("CreateAd"), 0);
  EXPECT_EQ(tiktok_.Calls("UploadImage"), 0);

  preflight_.missing = {"pixel"};
  EXPECT_THAT(Create(req), StatusIs(absl::StatusCode::kFailedPrecondition,
                                    HasSubstr("missing: pixel")));
  preflight_.missing.clear();
  preflight_.error = absl::UnavailableError("preflight down");
  EXPECT_THAT(Create(req)->notes(),
              ::testing::Contains("preflight skipped: preflight down"));

  // The objective comes from the campaign when the ad group has none.
  tiktok_.adgroups[kAdgroup].objective_type.clear();
  tiktok_.campaign_objectives["1600000000000000001"] = "REACH";
  preflight_.error = absl::OkStatus();
  EXPECT_THAT(Create(req)->notes(),
              ::testing::Contains("preflight REACH: ready"));

  req.set_adgroup_id("1799999999999999999");
  auto unknown = Create(req);
  EXPECT_THAT(unknown, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(Fields(unknown.status()), std::set<std::string>{"adgroup_id"});
}

TEST_F(AdCreatorTest, ValidateOnlyWithoutPreflightServiceSaysSo) {
  Creator(/*with_preflight=*/false);
  v1::AdInput req = VideoAd();
  req.set_validate_only(true);
  auto checked = Create(req);
  ASSERT_THAT(checked, IsOk());
  EXPECT_THAT(checked->notes(),
              ::testing::Contains(
                  "preflight skipped: no preflight service configured"));
}

TEST_F(AdCreatorTest, InlineBrandIdentityBecomesTheAdsIdentity) {
  v1::AdInput req = VideoAd();
  req.set_account_id("acct-1");
  req.mutable_brand_identity()->set_display_name("Demo");
  req.mutable_brand_identity()->set_image_url("https://cdn.example/logo.png");
  auto created = Create(req);
  ASSERT_THAT(created, IsOk());
  ASSERT_THAT(identity_.configured, SizeIs(1));
  EXPECT_EQ(identity_.configured[0].account_id(), "acct-1");
  ASSERT_THAT(identity_.resolved, SizeIs(1));
  EXPECT_EQ(identity_.resolved[0].identity_id(), identity_.brand_identity_id);
  EXPECT_EQ(identity_.resolved[0].identity_type(),
            common::v1::IDENTITY_TYPE_CUSTOMIZED_USER);
  EXPECT_TRUE(identity_.resolved[0].allow_customized_user());
  EXPECT_THAT(created->notes(),
              ::testing::Contains(HasSubstr("brand identity")));
  EXPECT_EQ(tiktok_.created[0].identity.identity_type(),
            common::v1::IDENTITY_TYPE_CUSTOMIZED_USER);
}

TEST_F(AdCreatorTest, BrandIdentityFailureStopsBeforeTikTok) {
  identity_.configure_error = status::InvalidArgument(
      "bad logo", {{"brand_identity.image_url", "not an image"}});
  v1::AdInput req = VideoAd("r-brand");
  req.set_account_id("acct-1");
  req.mutable_brand_identity()->set_display_name("Demo");
  req.mutable_brand_identity()->set_image_url("https://cdn.example/logo.png");
  auto created = Create(req);
  EXPECT_THAT(created, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(Fields(created.status()),
            std::set<std::string>{"brand_identity.image_url"});
  EXPECT_THAT(tiktok_.CallLog(), SizeIs(0));
}

TEST_F(AdCreatorTest, SparkAdAsksForASparkIdentityAndUploadsNothing) {
  v1::AdInput req = VideoAd();
  req.clear_video_id();
  req.set_tiktok_item_id("7200000000000000001");
  auto created = Create(req);
  ASSERT_THAT(created, IsOk());
  EXPECT_TRUE(identity_.resolved[0].spark_ad());
  EXPECT_EQ(tiktok_.Calls("UploadImage"), 0);
  EXPECT_EQ(tiktok_.created[0].request.tiktok_item_id(), "7200000000000000001");
  EXPECT_TRUE(tiktok_.created[0].image_ids.empty());
}

TEST_F(AdCreatorTest, CustomizedUserOptInIsNotedWhenAnotherIdentityWins) {
  v1::AdInput req = VideoAd();
  req.set_use_brand_identity(true);
  auto created = Create(req);
  ASSERT_THAT(created, IsOk());
  EXPECT_TRUE(identity_.resolved[0].allow_customized_user());
  EXPECT_THAT(created->notes(),
              ::testing::Contains(HasSubstr(
                  "TT_USER is preferred over the CUSTOMIZED_USER opt-in")));
}

}  // namespace
}  // namespace ttads::ads
