// Unit tests of AdWatchHub's bookkeeping against the fake TikTok (every
// poll answers at once with no ads).
#include "services/ads/ad_watch.h"

#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "services/ads/fake_tiktok_ads_api.h"

namespace ttads::ads {
namespace {

class NullSink : public AdEventSink {
 public:
  void Deliver(const v1::AdEvent&) override {}
};

// An advertiser watched on and off (each stream alone, as deadline-closed
// watch streams are) used to leave every stopped poller behind, with its
// thread, log and seen ads, until the hub was destroyed.
TEST(AdWatchHubTest, StoppedPollersAreFreed) {
  FakeTikTokAdsApi tiktok;
  AdWatchHub hub(&tiktok, {.interval = absl::Milliseconds(20)});
  NullSink sink;
  for (int i = 0; i < 200; ++i) {
    int handle = hub.Add("7101000000000000001", "token",
                         {.cursor = "2020-01-01 00:00:00|0"}, &sink);
    EXPECT_EQ(hub.watchers(), 1u);
    hub.Remove("7101000000000000001", handle);
    EXPECT_EQ(hub.watchers(), 0u);
    EXPECT_EQ(hub.pollers(), 0u);
  }
  // Pollers still winding down are freed by the next Add or Remove.
  for (int i = 0; i < 500 && hub.held_pollers() > 1; ++i) {
    absl::SleepFor(absl::Milliseconds(10));
    hub.Remove("no-such-advertiser", 0);
  }
  EXPECT_LE(hub.held_pollers(), 1u);
}

TEST(AdWatchHubTest, WatchersShareOnePollerUntilTheLastLeaves) {
  FakeTikTokAdsApi tiktok;
  AdWatchHub hub(&tiktok, {.interval = absl::Milliseconds(20)});
  NullSink a, b;
  int ha = hub.Add("7101000000000000001", "token", {}, &a);
  int hb = hub.Add("7101000000000000001", "token", {}, &b);
  EXPECT_EQ(hub.pollers(), 1u);
  EXPECT_EQ(hub.watchers(), 2u);
  hub.Remove("7101000000000000001", ha);
  EXPECT_EQ(hub.pollers(), 1u);
  EXPECT_EQ(hub.watchers(), 1u);
  hub.Remove("7101000000000000001", hb);
  EXPECT_EQ(hub.pollers(), 0u);
  EXPECT_EQ(hub.watchers(), 0u);
}

}  // namespace
}  // namespace ttads::ads
