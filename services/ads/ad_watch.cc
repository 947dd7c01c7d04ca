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
  if (f.by == v1::WATCH_BY_CREATED_TIME && e.type() != "CREATED") return false;
  if (!f.campaign_id.empty() && e.ad().campaign_id() != f.campaign_id)
    return false;
  if (!f.adgroup_ids.empty() && !f.adgroup_ids.count(e.ad().adgroup_id()))
    return false;
  return e.cursor() > f.cursor;
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

int AdWatchHub::Add(const std::string& advertiser_id, const std::string& token,
                    Filter filter, AdEventSink* sink) {
  std::vector<std::unique_ptr<Poller>> exited;
  int handle;
  {
    std::lock_guard<std::mutex> lock(mu_);
    exited = TakeExitedLocked();
    auto& p = pollers_[advertiser_id];
    if (!p) {
      p = std::make_unique<Poller>();
      p->advertiser_id = advertiser_id;
      p->token = token;
      p->team_id = filter.team_id;
      std::string cursor_time =
          filter.cursor.substr(0, filter.cursor.find('|'));
      p->since = cursor_time.empty()
                     ? TikTokTime(absl::Now() - absl::Seconds(1))
                     : cursor_time;
      Poller* raw = p.get();
      p->thread = std::thread([this, raw] { Run(raw); });
    }
    handle = next_handle_++;
    for (const auto& [cursor, event] : p->log) {
      if (Matches(filter, event)) sink->Deliver(event);
    }
    p->watchers[handle] = Watcher{std::move(filter), sink, ""};
  }
  Free(std::move(exited));
  return handle;
}

void AdWatchHub::Remove(const std::string& advertiser_id, int handle) {
  std::vector<std::unique_ptr<Poller>> exited;
  {
    std::lock_guard<std::mutex> lock(mu_);
    exited = TakeExitedLocked();
    auto it = pollers_.find(advertiser_id);
    if (it != pollers_.end()) {
      it->second->watchers.erase(handle);
      if (it->second->watchers.empty()) {
        it->second->stop = true;
        it->second->cv.notify_all();
        stopped_.push_back(std::move(it->second));
        pollers_.erase(it);
      }
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
  size_t n = 0;
  for (const auto& [advertiser, p] : pollers_) n += p->watchers.size();
  return n;
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
      event.set_type(seen == p->seen.end() && create == modify ? "CREATED"
                                                               : "UPDATED");
      event.set_cursor(absl::StrCat(modify, "|", ad.ad_id()));
      *event.mutable_ad() = std::move(ad);
      p->seen[event.ad().ad_id()] = modify;
      if (modify > p->since) p->since = modify;
      fresh.push_back(event);
    }
    std::sort(fresh.begin(), fresh.end(),
              [](const v1::AdEvent& a, const v1::AdEvent& b) {
                return a.cursor() < b.cursor();
              });
    for (const auto& e : fresh) {
      p->log[e.cursor()] = e;
      for (auto& [h, w] : p->watchers) {
        if (Matches(w.filter, e)) w.sink->Deliver(e);
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
