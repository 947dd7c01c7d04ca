// The request ids of UpdateAdStatus, UpdateAd and CallTikTokApi (AIP-155,
// libs/idempotency) against the fake TikTok and a private redis-server:
// the same request twice or concurrently is sent upstream once and answered
// alike, another request under the key is ALREADY_EXISTS naming it, and a
// call that takes over an earlier attempt answers as that attempt would.
#include <atomic>
#include <functional>
#include <optional>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/field_mask_util.h"
#include "libs/idempotency/request_digest.h"
#include "libs/testing/status_matchers.h"
#include "services/ads/ad_reader.h"
#include "services/ads/ad_status_updater.h"
#include "services/ads/ad_updater.h"
#include "services/ads/ads_domain_test_env.h"
#include "services/ads/raw_call.h"

namespace ttads::ads {
namespace {

using ::testing::HasSubstr;
using testing::IsOk;
using ::testing::SizeIs;
using testing::StatusIs;

class AdsRequestIdsTest : public AdsDomainTest {
 protected:
  // A request id no other test of this binary uses.
  static std::string NewRequestId(const std::string& name) {
    static std::atomic<int> n{0};
    return absl::StrCat(name, "-", ++n);
  }

  // Runs `call` `n` times at once; the answers in order.
  template <typename Answer>
  static std::vector<Answer> Concurrently(int n,
                                          const std::function<Answer()>& call) {
    std::vector<std::optional<Answer>> out(n);
    std::vector<std::thread> threads;
    for (int i = 0; i < n; ++i) {
      threads.emplace_back([&, i] { out[i].emplace(call()); });
    }
    for (auto& t : threads) t.join();
    std::vector<Answer> answers;
    for (auto& a : out) answers.push_back(*std::move(a));
    return answers;
  }

  v1::SetAdStatusRequest Disable(int ads, const std::string& request_id) {
    v1::SetAdStatusRequest req;
    req.set_advertiser_id(kAdvertiser);
    req.set_operation_status(v1::AD_OPERATION_DISABLE);
    req.set_request_id(request_id);
    for (int i = 0; i < ads; ++i) {
      req.add_ad_ids(tiktok_.AddAd(kAdvertiser, kAdgroup, "ad"));
    }
    return req;
  }

  idempotency::IdempotencyStore store_{TestRedis()};
  AdReader reader_{&tiktok_, &tokens_};
  AdStatusUpdater status_{&tiktok_, &tokens_, &store_};
  AdUpdater updater_{&tiktok_, &reader_, &store_};
  RawCaller raw_{&tiktok_, &tokens_, {"/ad/", "/campaign/"}, &store_};
};

TEST_F(AdsRequestIdsTest, UpdateAdStatusTwiceSendsOnceAndAnswersAlike) {
  const v1::SetAdStatusRequest req = Disable(3, NewRequestId("status"));
  auto first = status_.Update(Call(), req);
  auto second = status_.Update(Call(), req);
  ASSERT_THAT(first, IsOk());
  ASSERT_THAT(second, IsOk());
  EXPECT_THAT(first->updated_ad_ids(), SizeIs(3));
  EXPECT_EQ(second->SerializeAsString(), first->SerializeAsString());
  EXPECT_THAT(tiktok_.status_batches, SizeIs(1));
  EXPECT_EQ(tiktok_.Calls("GetAds"), 1);
}

TEST_F(AdsRequestIdsTest, UpdateAdStatusConcurrentlySendsOnce) {
  const v1::SetAdStatusRequest req = Disable(3, NewRequestId("status"));
  auto answers = Concurrently<absl::StatusOr<v1::SetAdStatusResponse>>(
      6, [&] { return status_.Update(Call(), req); });
  for (const auto& a : answers) {
    ASSERT_THAT(a, IsOk());
    EXPECT_EQ(a->SerializeAsString(), answers[0]->SerializeAsString());
  }
  EXPECT_THAT(answers[0]->updated_ad_ids(), SizeIs(3));
  EXPECT_THAT(tiktok_.status_batches, SizeIs(1));
}

TEST_F(AdsRequestIdsTest, UpdateAdStatusWithAnotherBodyIsRefusedNamingTheKey) {
  const std::string id = NewRequestId("status");
  ASSERT_THAT(status_.Update(Call(), Disable(1, id)), IsOk());
  v1::SetAdStatusRequest other = Disable(1, id);
  EXPECT_THAT(status_.Update(Call(), other),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr(id)));
  EXPECT_THAT(tiktok_.status_batches, SizeIs(1));
}

// An owner that died after TikTok deleted the ads: the call that takes its
// claim over finds them deleted and answers them as deleted by the request,
// sending nothing.
TEST_F(AdsRequestIdsTest, DeleteTakenOverFromADeadOwnerAnswersTheAdsDeleted) {
  v1::SetAdStatusRequest req = Disable(2, NewRequestId("delete"));
  req.set_operation_status(v1::AD_OPERATION_DELETE);
  idempotency::IdempotencyStore dying(TestRedis(),
                                      {.max_lease = absl::Milliseconds(200),
                                       .lease_grace = absl::ZeroDuration()});
  const idempotency::Key key{kTeam, "ads.UpdateAdStatus", req.request_id()};
  auto claim = dying.Begin(key, idempotency::RequestDigest(req),
                           absl::Now() + absl::Milliseconds(200));
  ASSERT_THAT(claim, IsOk());
  ASSERT_THAT(dying.SaveIntent(key, claim->owner, "sending"), IsOk());
  for (const auto& id : req.ad_ids()) {  // TikTok applied; the owner died.
    tiktok_.ads[id].deleted = true;
    tiktok_.ads[id].ad.ad.set_secondary_status("AD_STATUS_DELETE");
  }
  absl::SleepFor(absl::Milliseconds(300));
  auto taken_over = status_.Update(Call(), req);
  ASSERT_THAT(taken_over, IsOk());
  EXPECT_THAT(taken_over->updated_ad_ids(), SizeIs(2));
  EXPECT_TRUE(taken_over->failures().empty());
  EXPECT_THAT(tiktok_.status_batches, SizeIs(0));
}

TEST_F(AdsRequestIdsTest, UpdateAdTwiceAndConcurrentlyUpdatesOnce) {
  const std::string ad = tiktok_.AddAd(kAdvertiser, kAdgroup, "old");
  v1::UpdateAdRequest req;
  req.set_ad_id(ad);
  google::protobuf::util::FieldMaskUtil::FromString("ad_name",
                                                    req.mutable_update_mask());
  req.mutable_ad()->set_ad_name("new");
  req.set_request_id(NewRequestId("update"));
  auto answers = Concurrently<absl::StatusOr<v1::Ad>>(
      4, [&] { return updater_.Update(Call(), req); });
  auto again = updater_.Update(Call(), req);
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ(again->ad_name(), "new");
  for (const auto& a : answers) {
    ASSERT_THAT(a, IsOk());
    EXPECT_EQ(a->SerializeAsString(), again->SerializeAsString());
  }
  EXPECT_THAT(tiktok_.updates, SizeIs(1));
  v1::UpdateAdRequest other = req;
  other.mutable_ad()->set_ad_name("newer");
  EXPECT_THAT(
      updater_.Update(Call(), other),
      StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr(req.request_id())));
  EXPECT_THAT(tiktok_.updates, SizeIs(1));
}

v1::CallTikTokApiRequest RawPost(const std::string& request_id) {
  v1::CallTikTokApiRequest req;
  req.set_path("/campaign/create/");
  req.set_method(v1::HTTP_METHOD_POST);
  (*req.mutable_body()->mutable_fields())["campaign_name"].set_string_value(
      "Spring");
  req.set_request_id(request_id);
  return req;
}

TEST_F(AdsRequestIdsTest, RawPostTwiceAndConcurrentlyIsSentOnce) {
  const v1::CallTikTokApiRequest req = RawPost(NewRequestId("raw"));
  auto answers = Concurrently<absl::StatusOr<v1::CallTikTokApiResponse>>(
      4, [&] { return raw_.Call(Call(), req); });
  auto again = raw_.Call(Call(), req);
  ASSERT_THAT(again, IsOk());
  for (const auto& a : answers) {
    ASSERT_THAT(a, IsOk());
    EXPECT_EQ(a->request_id(), again->request_id());
  }
  EXPECT_THAT(tiktok_.raw_calls, SizeIs(1));
  v1::CallTikTokApiRequest other = req;
  (*other.mutable_body()->mutable_fields())["campaign_name"].set_string_value(
      "Summer");
  EXPECT_THAT(
      raw_.Call(Call(), other),
      StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr(req.request_id())));
  EXPECT_THAT(tiktok_.raw_calls, SizeIs(1));
}

TEST_F(AdsRequestIdsTest, RawGetIsSentEveryTime) {
  v1::CallTikTokApiRequest req;
  req.set_path("/ad/get/");
  req.set_request_id(NewRequestId("raw-get"));
  ASSERT_THAT(raw_.Call(Call(), req), IsOk());
  ASSERT_THAT(raw_.Call(Call(), req), IsOk());
  EXPECT_THAT(tiktok_.raw_calls, SizeIs(2));
}

TEST_F(AdsRequestIdsTest, RawPostWhoseAnswerWasLostIsNotSentAgain) {
  const v1::CallTikTokApiRequest req = RawPost(NewRequestId("raw-lost"));
  tiktok_.fail_next["Raw"].push_back(Lost());
  EXPECT_THAT(raw_.Call(Call(), req),
              StatusIs(absl::StatusCode::kDeadlineExceeded));
  for (int i = 0; i < 2; ++i) {
    EXPECT_THAT(raw_.Call(Call(), req),
                StatusIs(absl::StatusCode::kFailedPrecondition,
                         HasSubstr("outcome is unknown")));
  }
  EXPECT_THAT(tiktok_.raw_calls, SizeIs(1));
}

TEST_F(AdsRequestIdsTest, RawPostRefusedBeforeSendingIsSentByTheRetry) {
  const v1::CallTikTokApiRequest req = RawPost(NewRequestId("raw-refused"));
  tiktok_.fail_next["Raw"].push_back(absl::UnavailableError("refused"));
  EXPECT_THAT(raw_.Call(Call(), req), StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(raw_.Call(Call(), req), IsOk());
  EXPECT_THAT(tiktok_.raw_calls, SizeIs(2));
}

}  // namespace
}  // namespace ttads::ads
