// Unit tests of AdWatchHub against the fake TikTok (every poll answers at
// once with every stored ad; the hub drops what it has seen).
#include "services/ads/ad_watch.h"

#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/ads/fake_tiktok_ads_api.h"

namespace ttads::ads {
namespace {

using ::testing::ElementsAre;
using ::testing::UnorderedElementsAreArray;

constexpr char kA[] = "7101000000000000001";
constexpr char kB[] = "7101000000000000002";
constexpr char kLongAgo[] = "2020-01-01 00:00:00|0";

class NullSink : public AdEventSink {
 public:
  void Deliver(const v1::AdEvent&) override {}
};

// Records events, and how many /ad/get/ calls the fake had answered when
// each arrived (events of one poll cycle share that number).
class RecordingSink : public AdEventSink {
 public:
  explicit RecordingSink(FakeTikTokAdsApi* tiktok = nullptr)
      : tiktok_(tiktok) {}
  void Deliver(const v1::AdEvent& event) override {
    const int polls = tiktok_ != nullptr ? tiktok_->Calls("GetAds") : 0;
    std::lock_guard<std::mutex> lock(mu_);
    events_.push_back(event);
    polls_.push_back(polls);
    cv_.notify_all();
  }
  // Waits (bounded) until `n` events arrived; returns them.
  std::vector<v1::AdEvent> WaitFor(size_t n) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, std::chrono::seconds(20),
                 [&] { return events_.size() >= n; });
    return events_;
  }
  std::vector<int> polls() {
    std::lock_guard<std::mutex> lock(mu_);
    return polls_;
  }

 private:
  FakeTikTokAdsApi* tiktok_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<v1::AdEvent> events_;
  std::vector<int> polls_;
};

// Stores an ad of `advertiser` created at `create` and last modified at
// `modify` (TikTok times); returns its id.
std::string StoreAd(FakeTikTokAdsApi& tiktok, const std::string& advertiser,
                    const std::string& create, const std::string& modify,
                    const std::string& adgroup = "1700000000000000001") {
  const std::string id = tiktok.AddAd(advertiser, adgroup, "ad");
  std::lock_guard<std::mutex> lock(tiktok.mu);
  tiktok.ads[id].ad.create_time = create;
  tiktok.ads[id].ad.modify_time = modify;
  return id;
}

std::vector<std::string> AdIds(const std::vector<v1::AdEvent>& events) {
  std::vector<std::string> out;
  for (const auto& e : events) out.push_back(e.ad().ad_id());
  return out;
}

// An advertiser watched on and off (each stream alone, as deadline-closed
// watch streams are) used to leave every stopped poller behind, with its
// thread, log and seen ads, until the hub was destroyed.
TEST(AdWatchHubTest, StoppedPollersAreFreed) {
  FakeTikTokAdsApi tiktok;
  AdWatchHub hub(&tiktok, {.interval = absl::Milliseconds(20)});
  NullSink sink;
  for (int i = 0; i < 200; ++i) {
    int handle = hub.Add(kA, "token", {}, &sink, kLongAgo);
    EXPECT_EQ(hub.watchers(), 1u);
    hub.Remove(handle);
    EXPECT_EQ(hub.watchers(), 0u);
    EXPECT_EQ(hub.pollers(), 0u);
  }
  // Pollers still winding down are freed by the next Add or Remove.
  for (int i = 0; i < 500 && hub.held_pollers() > 1; ++i) {
    absl::SleepFor(absl::Milliseconds(10));
    hub.Remove(0);
  }
  EXPECT_LE(hub.held_pollers(), 1u);
}

TEST(AdWatchHubTest, WatchersShareOnePollerUntilTheLastLeaves) {
  FakeTikTokAdsApi tiktok;
  AdWatchHub hub(&tiktok, {.interval = absl::Milliseconds(20)});
  NullSink a, b;
  int ha = hub.Add(kA, "token", {}, &a);
  int hb = hub.Add(kA, "token", {}, &b);
  EXPECT_EQ(hub.pollers(), 1u);
  EXPECT_EQ(hub.watchers(), 2u);
  hub.Remove(ha);
  EXPECT_EQ(hub.pollers(), 1u);
  EXPECT_EQ(hub.watchers(), 1u);
  hub.Remove(hb);
  EXPECT_EQ(hub.pollers(), 0u);
  EXPECT_EQ(hub.watchers(), 0u);
}

// Ibexa's two modes: by created time only new ads, by updated time every
// change (a creation included).
TEST(AdWatchHubTest, ByCreatedTimeSeesCreationsByUpdatedTimeEveryChange) {
  FakeTikTokAdsApi tiktok;
  const std::string fresh =
      StoreAd(tiktok, kA, "2026-01-01 00:00:01", "2026-01-01 00:00:01");
  const std::string edited =
      StoreAd(tiktok, kA, "2026-01-01 00:00:01", "2026-01-01 00:00:05");
  AdWatchHub hub(&tiktok, {.interval = absl::Milliseconds(10)});
  RecordingSink created, updated;
  const int hc =
      hub.Add(kA, "t", {.by = v1::WATCH_BY_CREATED_TIME}, &created, kLongAgo);
  const int hu =
      hub.Add(kA, "t", {.by = v1::WATCH_BY_UPDATED_TIME}, &updated, kLongAgo);
  std::vector<v1::AdEvent> all = updated.WaitFor(2);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_THAT(AdIds(all), ElementsAre(fresh, edited));
  EXPECT_EQ(all[0].type(), v1::AD_EVENT_TYPE_CREATED);
  EXPECT_EQ(all[1].type(), v1::AD_EVENT_TYPE_UPDATED);
  EXPECT_EQ(all[1].cursor(), "2026-01-01 00:00:05|" + edited);
  std::vector<v1::AdEvent> creations = created.WaitFor(1);
  // The ad changed again: an update, which only the updated-time watch sees.
  {
    std::lock_guard<std::mutex> lock(tiktok.mu);
    tiktok.ads[fresh].ad.modify_time = "2026-01-01 00:00:09";
  }
  all = updated.WaitFor(3);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[2].type(), v1::AD_EVENT_TYPE_UPDATED);
  EXPECT_EQ(all[2].ad().ad_id(), fresh);
  hub.Remove(hc);
  hub.Remove(hu);
  EXPECT_THAT(AdIds(created.WaitFor(1)), ElementsAre(fresh));
}

// A single-advertiser cursor (the form from before several advertisers)
// still resumes after its event.
TEST(AdWatchHubTest, SingleAdvertiserCursorResumesAfterItsEvent) {
  FakeTikTokAdsApi tiktok;
  const std::string a1 =
      StoreAd(tiktok, kA, "2026-01-01 00:00:01", "2026-01-01 00:00:01");
  const std::string a2 =
      StoreAd(tiktok, kA, "2026-01-01 00:00:02", "2026-01-01 00:00:02");
  const std::string a3 =
      StoreAd(tiktok, kA, "2026-01-01 00:00:03", "2026-01-01 00:00:03");
  AdWatchHub hub(&tiktok, {.interval = absl::Milliseconds(10)});
  RecordingSink sink;
  const int h = hub.Add(kA, "t", {}, &sink, "2026-01-01 00:00:02|" + a2);
  std::vector<v1::AdEvent> events = sink.WaitFor(1);
  absl::SleepFor(absl::Milliseconds(100));  // a few more polls: nothing new
  events = sink.WaitFor(1);
  hub.Remove(h);
  EXPECT_THAT(AdIds(events), ElementsAre(a3));
  EXPECT_EQ(events[0].cursor(), "2026-01-01 00:00:03|" + a3);
  (void)a1;
}

// Ibexa's limit: at most `limit` events per poll cycle, the rest on later
// cycles, each exactly once.
TEST(AdWatchHubTest, LimitCapsEventsPerPollCycle) {
  FakeTikTokAdsApi tiktok;
  std::vector<std::string> ids;
  for (int i = 1; i <= 5; ++i) {
    ids.push_back(StoreAd(tiktok, kA, absl::StrCat("2026-01-01 00:00:0", i),
                          absl::StrCat("2026-01-01 00:00:0", i)));
  }
  AdWatchHub hub(&tiktok, {.interval = absl::Milliseconds(10)});
  RecordingSink sink(&tiktok);
  const int h = hub.Add(kA, "t", {.limit = 2}, &sink, kLongAgo);
  std::vector<v1::AdEvent> events = sink.WaitFor(5);
  absl::SleepFor(absl::Milliseconds(100));  // later polls add nothing
  events = sink.WaitFor(5);
  std::vector<int> polls = sink.polls();
  hub.Remove(h);
  EXPECT_EQ(AdIds(events), ids);  // all, once each, in order
  std::map<int, int> per_cycle;
  for (int p : polls) ++per_cycle[p];
  ASSERT_EQ(per_cycle.size(), 3u);  // 2 + 2 + 1
  for (const auto& [poll, n] : per_cycle) EXPECT_LE(n, 2) << "poll " << poll;
}

// Joining counts as a limited watch's first cycle: a watcher that joins a
// poller whose log already holds events gets up to `limit` of them at once,
// not on the poller's next cycle (an hour here). The gateway sends a
// stream's HTTP head with its first event, so waiting would hold the head.
TEST(AdWatchHubTest, AJoiningLimitedWatchGetsItsFirstEventsAtOnce) {
  FakeTikTokAdsApi tiktok;
  for (int i = 1; i <= 3; ++i) {
    StoreAd(tiktok, kA, absl::StrCat("2026-01-01 00:00:0", i),
            absl::StrCat("2026-01-01 00:00:0", i));
  }
  AdWatchHub hub(&tiktok, {.interval = absl::Hours(1)});
  RecordingSink first;
  const int h1 = hub.Add(kA, "t", {}, &first, kLongAgo);
  ASSERT_EQ(first.WaitFor(3).size(), 3u);  // the poller's first cycle
  RecordingSink joining;
  const int h2 = hub.Add(kA, "t", {.limit = 2}, &joining, kLongAgo);
  std::vector<v1::AdEvent> events = joining.WaitFor(2);
  hub.Remove(h2);
  hub.Remove(h1);
  EXPECT_EQ(events.size(), 2u);
}

// Several advertisers in one watch: each advertiser's events once, with a
// cursor holding every advertiser's position; resuming from any event's
// cursor yields exactly the events not handed out yet, on this hub (its
// log) or on a new one (pollers started from the cursor).
TEST(AdWatchHubTest, SeveralAdvertisersResumePerAdvertiser) {
  FakeTikTokAdsApi tiktok;
  // B's events are older than A's: a single time-ordered cursor could not
  // resume both.
  const std::string a1 =
      StoreAd(tiktok, kA, "2026-01-01 00:00:10", "2026-01-01 00:00:10");
  const std::string a2 =
      StoreAd(tiktok, kA, "2026-01-01 00:00:20", "2026-01-01 00:00:20");
  const std::string b1 =
      StoreAd(tiktok, kB, "2026-01-01 00:00:01", "2026-01-01 00:00:01");
  const std::string b2 =
      StoreAd(tiktok, kB, "2026-01-01 00:00:02", "2026-01-01 00:00:02");
  const std::vector<std::string> all_ids = {a1, a2, b1, b2};

  AdWatchHub hub(&tiktok, {.interval = absl::Milliseconds(10)});
  RecordingSink sink;
  const int h =
      hub.Add({{kA, "ta", kLongAgo}, {kB, "tb", kLongAgo}}, {}, &sink);
  EXPECT_EQ(hub.pollers(), 2u);
  std::vector<v1::AdEvent> events = sink.WaitFor(4);
  hub.Remove(h);
  ASSERT_EQ(events.size(), 4u);
  EXPECT_THAT(AdIds(events), UnorderedElementsAreArray(all_ids));
  for (const auto& e : events) {
    EXPECT_THAT(e.cursor(), ::testing::HasSubstr(std::string(kA) + "="));
    EXPECT_THAT(e.cursor(), ::testing::HasSubstr(std::string(kB) + "="));
  }

  for (size_t k = 0; k < events.size(); ++k) {
    std::set<std::string> rest;
    for (size_t j = k + 1; j < events.size(); ++j) {
      rest.insert(events[j].ad().ad_id());
    }
    const WatchPositions positions = [&] {
      WatchPositions p;
      for (absl::string_view part : absl::StrSplit(events[k].cursor(), ',')) {
        std::pair<std::string, std::string> kv =
            absl::StrSplit(part, absl::MaxSplits('=', 1));
        p[kv.first] = kv.second;
      }
      return p;
    }();
    for (bool fresh_hub : {false, true}) {
      AdWatchHub other(&tiktok, {.interval = absl::Milliseconds(10)});
      AdWatchHub& target = fresh_hub ? other : hub;
      RecordingSink resumed;
      const int r = target.Add(
          {{kA, "ta", positions.at(kA)}, {kB, "tb", positions.at(kB)}}, {},
          &resumed);
      resumed.WaitFor(rest.size());
      absl::SleepFor(absl::Milliseconds(60));  // more polls: nothing repeats
      std::vector<v1::AdEvent> got = resumed.WaitFor(rest.size());
      target.Remove(r);
      std::vector<std::string> got_ids = AdIds(got);
      EXPECT_EQ(got_ids.size(), rest.size()) << "after event " << k;
      EXPECT_EQ(std::set<std::string>(got_ids.begin(), got_ids.end()), rest)
          << "after event " << k << (fresh_hub ? " (new hub)" : "");
    }
  }
}

// A limited watch over several advertisers is paced by the first one's
// cycles and still hands out every advertiser's events exactly once.
TEST(AdWatchHubTest, LimitedWatchOverSeveralAdvertisersLosesNothing) {
  FakeTikTokAdsApi tiktok;
  std::vector<std::string> ids;
  for (int i = 1; i <= 3; ++i) {
    const std::string t = absl::StrCat("2026-01-01 00:00:0", i);
    ids.push_back(StoreAd(tiktok, kA, t, t));
    ids.push_back(StoreAd(tiktok, kB, t, t));
  }
  AdWatchHub hub(&tiktok, {.interval = absl::Milliseconds(10)});
  RecordingSink sink;
  const int h = hub.Add({{kA, "ta", kLongAgo}, {kB, "tb", kLongAgo}},
                        {.limit = 1}, &sink);
  sink.WaitFor(ids.size());
  absl::SleepFor(absl::Milliseconds(60));
  std::vector<v1::AdEvent> events = sink.WaitFor(ids.size());
  hub.Remove(h);
  EXPECT_THAT(AdIds(events), UnorderedElementsAreArray(ids));
}

}  // namespace
}  // namespace ttads::ads
