// StartAdWatch: the request's advertisers, limit and cursor are checked
// before anything is registered, and a good request registers one watch
// over every advertiser.
#include "services/ads/ad_watch_request.h"

#include <condition_variable>
#include <functional>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "libs/testing/status_matchers.h"
#include "services/ads/ads_domain_test_env.h"

namespace ttads::ads {
namespace {

using testing::IsOk;
using testing::StatusIs;

class NullSink : public AdEventSink {
 public:
  void Deliver(const v1::AdEvent&) override {}
};

class AdWatchRequestTest : public AdsDomainTest {
 protected:
  static constexpr char kSecond[] = "7101000000000000002";
  static constexpr char kForeign[] = "7109999999999999999";

  AdWatchRequestTest() { Connect("member-2", {{kSecond, "Second Brand"}}); }

  absl::StatusOr<int> Start(const v1::WatchAdsRequest& req) {
    return StartAdWatch(&hub_, tokens_, Call(), req, &sink_);
  }

  AdWatchHub hub_{&tiktok_, {.interval = absl::Milliseconds(20)}};
  NullSink sink_;
};

TEST_F(AdWatchRequestTest, SeveralAdvertisersShareOneWatch) {
  v1::WatchAdsRequest req;
  req.set_advertiser_id(kAdvertiser);
  req.add_advertiser_ids(kSecond);
  req.add_advertiser_ids(kAdvertiser);  // the same one again counts once
  absl::StatusOr<int> handle = Start(req);
  ASSERT_THAT(handle, IsOk());
  EXPECT_EQ(hub_.watchers(), 1u);
  EXPECT_EQ(hub_.pollers(), 2u);
  hub_.Remove(*handle);
  EXPECT_EQ(hub_.pollers(), 0u);
}

TEST_F(AdWatchRequestTest, AdvertiserIdsAloneAreEnough) {
  v1::WatchAdsRequest req;
  req.add_advertiser_ids(kSecond);
  absl::StatusOr<int> handle = Start(req);
  ASSERT_THAT(handle, IsOk());
  EXPECT_EQ(hub_.pollers(), 1u);
  hub_.Remove(*handle);
}

TEST_F(AdWatchRequestTest, AnUnreachableAdvertiserIsNamedAndNothingStarts) {
  v1::WatchAdsRequest req;
  req.set_advertiser_id(kAdvertiser);
  req.add_advertiser_ids(kSecond);
  req.add_advertiser_ids(kForeign);
  absl::StatusOr<int> handle = Start(req);
  EXPECT_THAT(handle, StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_EQ(Fields(handle.status()),
            std::set<std::string>{"advertiser_ids[1]"});
  EXPECT_EQ(hub_.watchers(), 0u);
  EXPECT_EQ(hub_.held_pollers(), 0u);
}

TEST_F(AdWatchRequestTest, BadInputIsInvalidArgumentNamingTheField) {
  struct Case {
    std::function<void(v1::WatchAdsRequest&)> set;
    std::set<std::string> fields;
  };
  const std::vector<Case> cases = {
      {[](auto& r) { r.add_advertiser_ids("abc"); }, {"advertiser_ids[0]"}},
      {[](auto& r) { r.add_advertiser_ids(""); }, {"advertiser_ids[0]"}},
      {[](auto& r) {
         r.add_advertiser_ids(kSecond);
         r.add_advertiser_ids(kSecond);
       },
       {"advertiser_ids[1]"}},
      {[](auto& r) {
         for (int i = 0; i <= kMaxWatchAdvertisers; ++i) {
           r.add_advertiser_ids(absl::StrCat(7200000 + i));
         }
       },
       {"advertiser_ids"}},
      {[](auto& r) { r.set_limit(-1); }, {"limit"}},
      {[](auto& r) { r.set_limit(kMaxWatchLimit + 1); }, {"limit"}},
      {[](auto& r) {
         r.set_advertiser_id(kAdvertiser);
         r.set_cursor(absl::StrCat(kSecond, "=2026-01-01 00:00:00|1"));
       },
       {"cursor"}},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    v1::WatchAdsRequest req;
    cases[i].set(req);
    absl::StatusOr<int> handle = Start(req);
    EXPECT_THAT(handle, StatusIs(absl::StatusCode::kInvalidArgument))
        << "case " << i;
    EXPECT_EQ(Fields(handle.status()), cases[i].fields) << "case " << i;
  }
  EXPECT_EQ(hub_.watchers(), 0u);
  EXPECT_EQ(hub_.held_pollers(), 0u);
}

// Limit 0 is Ibexa's default, 2: with five new ads the first cycle hands
// out two.
TEST_F(AdWatchRequestTest, LimitDefaultsToTwo) {
  for (int i = 1; i <= 5; ++i) {
    const std::string id = tiktok_.AddAd(kAdvertiser, kAdgroup, "ad");
    std::lock_guard<std::mutex> lock(tiktok_.mu);
    tiktok_.ads[id].ad.create_time = absl::StrCat("2026-01-01 00:00:0", i);
    tiktok_.ads[id].ad.modify_time = tiktok_.ads[id].ad.create_time;
  }
  class FirstCycle : public AdEventSink {
   public:
    explicit FirstCycle(FakeTikTokAdsApi* t) : t_(t) {}
    void Deliver(const v1::AdEvent&) override {
      std::lock_guard<std::mutex> lock(mu);
      if (t_->Calls("GetAds") == 1) ++first;
      ++all;
      cv.notify_all();
    }
    FakeTikTokAdsApi* t_;
    std::mutex mu;
    std::condition_variable cv;
    int first = 0, all = 0;
  } sink(&tiktok_);
  v1::WatchAdsRequest req;
  req.set_cursor("2020-01-01 00:00:00|0");
  absl::StatusOr<int> handle = StartAdWatch(&hub_, tokens_, Call(), req, &sink);
  ASSERT_THAT(handle, IsOk());
  {
    std::unique_lock<std::mutex> lock(sink.mu);
    sink.cv.wait_for(lock, std::chrono::seconds(20),
                     [&] { return sink.all >= 5; });
  }
  hub_.Remove(*handle);
  std::lock_guard<std::mutex> lock(sink.mu);
  EXPECT_EQ(sink.all, 5);
  EXPECT_EQ(sink.first, kDefaultWatchLimit);
}

}  // namespace
}  // namespace ttads::ads
