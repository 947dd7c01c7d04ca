#ifndef TTADS_SERVICES_ADS_AD_WATCH_H_
#define TTADS_SERVICES_ADS_AD_WATCH_H_

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/time/time.h"
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

// Ad events of an advertiser for every watcher, from one upstream poller
// per advertiser however many watchers there are (Ibexa "Watch Ads").
//
// The poller asks `/ad/get/` every `interval` for ads modified after the
// newest modification it has seen (minus one second, TikTok times have
// second resolution; duplicates are dropped by (ad_id, modify_time)). An ad
// seen for the first time with create_time == modify_time is CREATED,
// anything else UPDATED. Events are ordered by (modify_time, ad_id); the
// cursor is "<modify_time>|<ad_id>" and a watcher that passes one gets the
// events after it. The poller starts from the oldest cursor of its first
// watcher (or "now"), keeps the last `log_size` events for later watchers,
// and stops when its last watcher leaves. A stopped poller (its thread, log
// and seen ads) is freed by the next Add or Remove after its thread exits,
// so advertisers watched on and off hold no state in between.
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
    std::string cursor;
    std::string team_id;  // whose TikTok budget the polls spend
  };
  // Registers `sink` for `advertiser_id` (polled with `token`); replays the
  // logged events after the cursor. Returns a handle for Remove.
  int Add(const std::string& advertiser_id, const std::string& token,
          Filter filter, AdEventSink* sink);
  void Remove(const std::string& advertiser_id, int handle);

  // Pollers running (for tests).
  size_t pollers() const;
  // Watchers registered, over every advertiser (for tests).
  size_t watchers() const;
  // Pollers whose state is still held: running, or stopped and not yet
  // freed (for tests).
  size_t held_pollers() const;

 private:
  struct Watcher {
    Filter filter;
    AdEventSink* sink;
    std::string last_cursor;
  };
  struct Poller {
    std::string advertiser_id;
    std::string token;
    std::string team_id;
    std::string since;                        // TikTok time
    std::map<std::string, std::string> seen;  // ad_id -> modify_time
    std::map<std::string, v1::AdEvent> log;   // cursor -> event
    std::map<int, Watcher> watchers;
    bool stop = false;
    bool exited = false;  // Run returned; the thread only has to be joined
    std::thread thread;
    std::condition_variable cv;
  };
  void Run(Poller* p);
  // Takes the stopped pollers whose threads have exited out of stopped_; the
  // caller joins and frees them without holding mu_.
  std::vector<std::unique_ptr<Poller>> TakeExitedLocked();
  static void Free(std::vector<std::unique_ptr<Poller>> exited);
  static bool Matches(const Filter& f, const v1::AdEvent& e);

  TikTokAdsApi* tiktok_;
  Options options_;
  mutable std::mutex mu_;
  std::map<std::string, std::unique_ptr<Poller>> pollers_;
  std::vector<std::unique_ptr<Poller>> stopped_;
  int next_handle_ = 1;
};

}  // namespace ttads::ads

#endif  // TTADS_SERVICES_ADS_AD_WATCH_H_
