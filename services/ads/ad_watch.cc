#include "services/ads/ad_watch.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libs/tiktok/adaptive_interval.h"
#include "libs/tiktok/budget.h"

namespace ttads::ads {
namespace {

std::string TikTokTime(absl::Time t) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%S", t, absl::UTCTimeZone());
}

}  // namespace

AdWatchHub::~AdWatchHub() {
  std::vector<Poller*> all;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& [k, p] : pollers_) {
      p->stop = true;
      p->cv.notify_all();
    }
  }
  for (auto& [k, p] : pollers_) {
    if (p->thread.joinable()) p->thread.join();
  }
  for (auto& p : stopped_) {
    if (p->thread.joinable()) p->thread.join();
  }
}

bool AdWatchHub::Matches(const Filter& f, const v1::AdEvent& e) {
  if (f.by == v1::WATCH_BY_CREATED_TIME &&
      e.type() != v1::AD_EVENT_TYPE_CREATED) {
    return false;
  }
  if (!f.campaign_id.empty() && e.ad().campaign_id() != f.campaign_id)
    return false;
  if (!f.adgroup_ids.empty() && !f.adgroup_ids.count(e.ad().adgroup_id()))
    return false;
  return true;
}

void AdWatchHub::Offer(Watcher& w, const std::string& advertiser,
                       const v1::AdEvent& event) {
  if (!Matches(w.filter, event)) return;
  if (!WatchPositionLess(w.positions[advertiser], event.cursor())) return;
  w.pending.push_back(event);
}

void AdWatchHub::Drain(Watcher& w, int n) {
  for (int sent = 0; !w.pending.empty() && (n == 0 || sent < n); ++sent) {
    v1::AdEvent event = std::move(w.pending.front());
    w.pending.pop_front();
    // Positions only move forward: an event found late (TikTok's times
    // have second resolution) that sorts before one already queued hands
    // out the later position, so a resume never repeats either.
    std::string& position = w.positions[event.ad().advertiser_id()];
    if (WatchPositionLess(position, event.cursor())) position = event.cursor();
    event.set_cursor(w.advertisers.size() > 1 ? FormatWatchCursor(w.positions)
                                              : position);
    w.sink->Deliver(event);
  }
}

std::vector<std::unique_ptr<AdWatchHub::Poller>>
AdWatchHub::TakeExitedLocked() {
  std::vector<std::unique_ptr<Poller>> exited;
  for (auto it = stopped_.begin(); it != stopped_.end();) {
    if ((*it)->exited) {
      exited.push_back(std::move(*it));
      it = stopped_.erase(it);
    } else {
      ++it;
    }
  }
  return exited;
}

void AdWatchHub::Free(std::vector<std::unique_ptr<Poller>> exited) {
  for (auto& p : exited) {
    if (p->thread.joinable()) p->thread.join();
  }
}

int AdWatchHub::Add(std::vector<Source> sources, Filter filter,
                    AdEventSink* sink) {
  std::vector<std::unique_ptr<Poller>> exited;
  int handle;
  {
    std::lock_guard<std::mutex> lock(mu_);
    exited = TakeExitedLocked();
    handle = next_handle_++;
    Watcher& w = watchers_[handle];
    w.sink = sink;
    w.filter = std::move(filter);
    // An advertiser without a position starts now: its first poll looks a
    // second back, and so does the position (ad id 0 sorts first).
    const std::string now = TikTokTime(absl::Now() - absl::Seconds(1));
    for (const Source& source : sources) {
      w.advertisers.push_back(source.advertiser_id);
      const std::string start =
          source.after.empty() ? absl::StrCat(now, "|0") : source.after;
      w.positions[source.advertiser_id] = start;
      auto& p = pollers_[source.advertiser_id];
      if (!p) {
        p = std::make_unique<Poller>();
        p->advertiser_id = source.advertiser_id;
        p->token = source.token;
        p->team_id = w.filter.team_id;
        p->since = start.substr(0, start.find('|'));
        Poller* raw = p.get();
        p->thread = std::thread([this, raw] { Run(raw); });
      }
      p->watchers.insert(handle);
      for (const auto& [position, event] : p->log) {
        Offer(w, source.advertiser_id, event);
      }
    }
    // Joining counts as the watch's first cycle: what the log already holds
    // is handed out now (up to `limit`), so a stream's first events (and its
    // HTTP head at the gateway) do not wait for the pace poller's next
    // cycle; the rest goes out on its later cycles.
    Drain(w, w.filter.limit);
  }
  Free(std::move(exited));
  return handle;
}

void AdWatchHub::Remove(int handle) {
  std::vector<std::unique_ptr<Poller>> exited;
  {
    std::lock_guard<std::mutex> lock(mu_);
    exited = TakeExitedLocked();
    auto w = watchers_.find(handle);
    if (w != watchers_.end()) {
      for (const std::string& advertiser : w->second.advertisers) {
        auto it = pollers_.find(advertiser);
        if (it == pollers_.end()) continue;
        it->second->watchers.erase(handle);
        if (it->second->watchers.empty()) {
          it->second->stop = true;
          it->second->cv.notify_all();
          stopped_.push_back(std::move(it->second));
          pollers_.erase(it);
        }
      }
      watchers_.erase(w);
    }
  }
  Free(std::move(exited));
}

size_t AdWatchHub::pollers() const {
  std::lock_guard<std::mutex> lock(mu_);
  return pollers_.size();
}

size_t AdWatchHub::watchers() const {
  std::lock_guard<std::mutex> lock(mu_);
  return watchers_.size();
}

size_t AdWatchHub::held_pollers() const {
  std::lock_guard<std::mutex> lock(mu_);
  return pollers_.size() + stopped_.size();
}

void AdWatchHub::Run(Poller* p) {
  tiktok::BudgetScope budget({tiktok::WorkClass::kBackground, p->team_id});
  tiktok::AdaptiveInterval pace(
      {.base = options_.interval, .max = options_.max_interval});
  std::unique_lock<std::mutex> lock(mu_);
  while (!p->stop) {
    std::string since = p->since;
    std::string token = p->token;
    lock.unlock();
    std::vector<TikTokAd> items;
    absl::Time since_t;
    if (!absl::ParseTime("%Y-%m-%d %H:%M:%S", since, absl::UTCTimeZone(),
                         &since_t, nullptr)) {
      since_t = absl::Now();
    }
    AdQuery query;
    query.primary_status = "STATUS_ALL";
    query.modified_after = since_t - absl::Seconds(1);
    query.page_size = 1000;
    for (query.page = 1; query.page <= 20; ++query.page) {
      auto page = tiktok_->GetAds({p->advertiser_id, token}, query,
                                  absl::Now() + absl::Seconds(30));
      if (!page.ok()) break;
      for (auto& ad : page->ads) items.push_back(std::move(ad));
      if (query.page >= page->total_page) break;
    }
    lock.lock();
    std::vector<v1::AdEvent> fresh;
    for (auto& item : items) {
      v1::Ad ad = std::move(item.ad);
      ad.set_advertiser_id(p->advertiser_id);
      const std::string& modify = item.modify_time;
      const std::string& create = item.create_time;
      auto seen = p->seen.find(ad.ad_id());
      if (seen != p->seen.end() && seen->second == modify) continue;
      v1::AdEvent event;
      event.set_type(seen == p->seen.end() && create == modify
                         ? v1::AD_EVENT_TYPE_CREATED
                         : v1::AD_EVENT_TYPE_UPDATED);
      event.set_cursor(absl::StrCat(modify, "|", ad.ad_id()));
      *event.mutable_ad() = std::move(ad);
      p->seen[event.ad().ad_id()] = modify;
      if (modify > p->since) p->since = modify;
      fresh.push_back(event);
    }
    std::sort(fresh.begin(), fresh.end(),
              [](const v1::AdEvent& a, const v1::AdEvent& b) {
                return WatchPositionLess(a.cursor(), b.cursor());
              });
    for (const auto& e : fresh) {
      p->log[e.cursor()] = e;
      for (int h : p->watchers) Offer(watchers_[h], p->advertiser_id, e);
    }
    // This poll ends a cycle for the watchers it paces (and hands out at
    // once to unlimited ones).
    for (int h : p->watchers) {
      Watcher& w = watchers_[h];
      if (w.filter.limit == 0) {
        Drain(w, 0);
      } else if (w.advertisers.front() == p->advertiser_id) {
        Drain(w, w.filter.limit);
      }
    }
    while (p->log.size() > options_.log_size) p->log.erase(p->log.begin());
    p->cv.wait_for(lock,
                   absl::ToChronoMilliseconds(pace.Next(budget.TakeUsage())),
                   [p] { return p->stop; });
  }
  p->exited = true;
}

}  // namespace ttads::ads
