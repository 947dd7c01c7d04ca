#ifndef TTADS_SERVICES_ADS_AD_WATCH_H_
#define TTADS_SERVICES_ADS_AD_WATCH_H_

#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/time/time.h"
#include "services/ads/ad_watch_cursor.h"
#include "services/ads/tiktok_ads_api.h"
#include "ttads/ads/v1/ads_service.pb.h"

namespace ttads::ads {

// Something that receives watch events (a gRPC stream reactor).
class AdEventSink {
 public:
  virtual ~AdEventSink() = default;
  // Called on the poller thread; must not block.
  virtual void Deliver(const v1::AdEvent& event) = 0;
};

// Ad events for every watcher, from one upstream poller per advertiser
// however many watchers there are (Ibexa "Watch Ads").
//
// The poller asks `/ad/get/` every `interval` for ads modified after the
// newest modification it has seen (minus one second, TikTok times have
// second resolution; duplicates are dropped by (ad_id, modify_time)). An ad
// seen for the first time with create_time == modify_time is CREATED,
// anything else UPDATED. Each advertiser's events are ordered by
// (modify_time, ad_id), its position "<modify_time>|<ad_id>"
// (ad_watch_cursor.h). The poller starts from the oldest position of its
// first watcher (or "now"), keeps the last `log_size` events for later
// watchers, and stops when its last watcher leaves. A stopped poller (its
// thread, log and seen ads) is freed by the next Add or Remove after its
// thread exits, so advertisers watched on and off hold no state in between.
//
// A watcher may watch several advertisers (one poller each). It gets each
// advertiser's events after its start position, queued in the order they
// were found; with a `limit`, at most that many leave the queue per poll
// cycle of its first advertiser's poller (Ibexa's per-execution limit; the
// moment a watch joins counts as its first cycle), the rest on later cycles.
// Each event handed out carries the watcher's cursor after it: the event's own
// position for one advertiser, every advertiser's last position for several
// (FormatWatchCursor), so a watch resumed from the last event handled neither
// repeats nor skips an event of any advertiser.
class AdWatchHub {
 public:
  // A poller waits `interval` between polls, stretched up to
  // `max_interval` while the app's TikTok budget is short (its polls are
  // background work: libs/tiktok AdaptiveInterval), back when it frees.
  struct Options {
    absl::Duration interval = absl::Seconds(5);
    absl::Duration max_interval = absl::Seconds(60);
    size_t log_size = 10000;
  };
  AdWatchHub(TikTokAdsApi* tiktok, Options options)
      : tiktok_(tiktok), options_(options) {}
  ~AdWatchHub();

  struct Filter {
    v1::WatchBy by = v1::WATCH_BY_UPDATED_TIME;
    std::string campaign_id;
    std::set<std::string> adgroup_ids;
    std::string team_id;  // whose TikTok budget the polls spend
    // Events handed out per poll cycle; 0: each as soon as it is found.
    int limit = 0;
  };
  // One advertiser of a watch: polled with `token`, from `after` (a
  // position, ad_watch_cursor.h; empty: from now).
  struct Source {
    std::string advertiser_id;
    std::string token;
    std::string after;
  };
  // Registers `sink` for `sources` (distinct advertisers, at least one; the
  // first paces a limited watch); queues the logged events after each
  // source's position. Returns a handle for Remove.
  int Add(std::vector<Source> sources, Filter filter, AdEventSink* sink);
  // One advertiser, `cursor` its position (the form before several).
  int Add(const std::string& advertiser_id, const std::string& token,
          Filter filter, AdEventSink* sink, const std::string& cursor = "") {
    return Add({{advertiser_id, token, cursor}}, std::move(filter), sink);
  }
  void Remove(int handle);

  // Pollers running (for tests).
  size_t pollers() const;
  // Watchers registered (for tests).
  size_t watchers() const;
  // Pollers whose state is still held: running, or stopped and not yet
  // freed (for tests).
  size_t held_pollers() const;

 private:
  struct Watcher {
    Filter filter;
    AdEventSink* sink;
    std::vector<std::string> advertisers;  // [0] paces a limited watch
    WatchPositions positions;              // last handed out, per advertiser
    std::deque<v1::AdEvent> pending;       // found, not yet handed out
  };
  struct PositionOrder {
    bool operator()(const std::string& a, const std::string& b) const {
      return WatchPositionLess(a, b);
    }
  };
  struct Poller {
    std::string advertiser_id;
    std::string token;
    std::string team_id;
    std::string since;                        // TikTok time
    std::map<std::string, std::string> seen;  // ad_id -> modify_time
    std::map<std::string, v1::AdEvent, PositionOrder> log;  // by position
    std::set<int> watchers;
    bool stop = false;
    bool exited = false;  // Run returned; the thread only has to be joined
    std::thread thread;
    std::condition_variable cv;
  };
  void Run(Poller* p);
  // Queues `event` (of `advertiser`) for `w` when it matches and is after
  // w's position there (mu_ held).
  static void Offer(Watcher& w, const std::string& advertiser,
                    const v1::AdEvent& event);
  // Hands out up to `n` (0: all) queued events of `w` (mu_ held).
  static void Drain(Watcher& w, int n);
  // Takes the stopped pollers whose threads have exited out of stopped_; the
  // caller joins and frees them without holding mu_.
  std::vector<std::unique_ptr<Poller>> TakeExitedLocked();
  static void Free(std::vector<std::unique_ptr<Poller>> exited);
  static bool Matches(const Filter& f, const v1::AdEvent& e);

  TikTokAdsApi* tiktok_;
  Options options_;
  mutable std::mutex mu_;
  std::map<std::string, std::unique_ptr<Poller>> pollers_;
  std::map<int, Watcher> watchers_;
  std::vector<std::unique_ptr<Poller>> stopped_;
  int next_handle_ = 1;
};

}  // namespace ttads::ads

#endif  // TTADS_SERVICES_ADS_AD_WATCH_H_
