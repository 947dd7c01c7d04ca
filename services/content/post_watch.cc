#include "services/content/post_watch.h"

#include <algorithm>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "libs/status/status.h"
#include "services/content/video_post_proto.h"

namespace ttads::content {
namespace {

constexpr char kCursorPrefix[] = "watch.v1";

bool Terminal(const absl::Status& s) {
  return absl::IsFailedPrecondition(s) || absl::IsPermissionDenied(s) ||
         absl::IsNotFound(s) || absl::IsUnauthenticated(s);
}

}  // namespace

std::string EncodeWatchCursor(const PostMark& mark) {
  return absl::WebSafeBase64Escape(
      absl::StrCat(kCursorPrefix, ":", mark.create_time, ":", mark.post_id));
}

absl::StatusOr<PostMark> DecodeWatchCursor(const std::string& cursor) {
  std::string raw;
  std::vector<std::string> parts;
  if (absl::WebSafeBase64Unescape(cursor, &raw)) {
    parts = absl::StrSplit(raw, ':');
  }
  PostMark mark;
  if (parts.size() != 3 || parts[0] != kCursorPrefix ||
      !absl::SimpleAtoi(parts[1], &mark.create_time) || mark.create_time < 0) {
    return status::InvalidArgument(
        "cursor was not issued by WatchVideoPosts",
        {{"cursor", "not a cursor an event carried"}});
  }
  mark.post_id = parts[2];
  return mark;
}

PostWatchHub::PostWatchHub(tiktok_open::DisplayApi* api, TokenProvider tokens,
                           Options options)
    : api_(api), tokens_(std::move(tokens)), options_(options) {}

PostWatchHub::~PostWatchHub() {
  std::vector<std::unique_ptr<Poller>> all;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& [key, p] : pollers_) {
      p->stop = true;
      p->cv.notify_all();
      all.push_back(std::move(p));
    }
    pollers_.clear();
  }
  for (auto& p : all) {
    if (p->thread.joinable()) p->thread.join();
  }
}

int PostWatchHub::Add(const std::string& team_id,
                      const std::string& connection_id,
                      std::optional<PostMark> start, int limit,
                      PostEventSink* sink) {
  std::lock_guard<std::mutex> lock(mu_);
  auto& slot = pollers_[{team_id, connection_id}];
  const bool fresh = slot == nullptr;
  if (fresh) {
    slot = std::make_unique<Poller>();
    slot->team_id = team_id;
    slot->connection_id = connection_id;
  }
  Poller* p = slot.get();
  p->failed = false;
  PostMark mark =
      start.value_or(PostMark{absl::ToUnixSeconds(absl::Now()), ""});
  const int handle = next_handle_++;
  p->watchers[handle] = {mark, limit <= 0 ? kDefaultWatchLimit : limit, sink};
  if (fresh && !options_.manual) {
    p->thread = std::thread([this, p] { Run(p); });
  } else {
    p->cv.notify_all();  // A new watcher may need posts now.
  }
  return handle;
}

void PostWatchHub::Remove(const std::string& team_id,
                          const std::string& connection_id, int handle) {
  std::unique_ptr<Poller> done;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = pollers_.find({team_id, connection_id});
    if (it == pollers_.end()) return;
    it->second->watchers.erase(handle);
    if (!it->second->watchers.empty()) return;
    it->second->stop = true;
    it->second->cv.notify_all();
    done = std::move(it->second);
    pollers_.erase(it);
  }
  if (done->thread.joinable()) done->thread.join();
}

void PostWatchHub::PollOnce(const std::string& team_id,
                            const std::string& connection_id) {
  Poller* p = nullptr;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = pollers_.find({team_id, connection_id});
    if (it == pollers_.end()) return;
    p = it->second.get();
  }
  Cycle(p);
}

size_t PostWatchHub::pollers() const {
  std::lock_guard<std::mutex> lock(mu_);
  return pollers_.size();
}

size_t PostWatchHub::watchers() const {
  std::lock_guard<std::mutex> lock(mu_);
  size_t n = 0;
  for (const auto& [key, p] : pollers_) n += p->watchers.size();
  return n;
}

void PostWatchHub::Run(Poller* p) {
  std::unique_lock<std::mutex> lock(mu_);
  while (!p->stop) {
    if (!p->failed) {
      lock.unlock();
      Cycle(p);
      lock.lock();
    }
    p->cv.wait_for(lock, absl::ToChronoMilliseconds(options_.interval),
                   [p] { return p->stop; });
  }
}

void PostWatchHub::Cycle(Poller* p) {
  // What the log already covers, and how far back watchers need posts.
  std::optional<PostMark> boundary;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (p->stop || p->watchers.empty()) return;
    if (!p->log.empty()) {
      boundary = p->log.rbegin()->first;
    } else {
      for (const auto& [h, w] : p->watchers) {
        if (!boundary || w.mark < *boundary) boundary = w.mark;
      }
    }
  }
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  std::vector<tiktok_open::VideoPost> fresh;
  absl::Status failure;
  absl::StatusOr<std::string> token =
      tokens_(p->team_id, p->connection_id, deadline);
  if (!token.ok()) {
    failure = token.status();
  } else {
    int64_t cursor = 0;
    bool reached = false;
    for (int i = 0; i < options_.scan_pages && !reached; ++i) {
      absl::StatusOr<tiktok_open::VideoPage> page = api_->ListVideos(
          *token, cursor, tiktok_open::kMaxVideosPerPage, deadline);
      if (!page.ok()) {
        failure = page.status();
        break;
      }
      for (auto& v : page->videos) {
        PostMark mark{v.create_time, v.id};
        if (boundary && !(*boundary < mark)) {
          reached = true;
          break;
        }
        fresh.push_back(std::move(v));
      }
      if (!page->has_more || page->videos.empty()) break;
      cursor = page->cursor;
    }
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (p->stop) return;
  if (!failure.ok()) {
    if (Terminal(failure)) {
      p->failed = true;
      for (auto& [h, w] : p->watchers) w.sink->Fail(failure);
    }
    return;
  }
  for (auto& v : fresh) {
    PostMark mark{v.create_time, v.id};
    p->log.emplace(std::move(mark), std::move(v));
  }
  while (p->log.size() > options_.log_size) p->log.erase(p->log.begin());
  for (auto& [h, w] : p->watchers) {
    auto it = p->log.upper_bound(w.mark);
    for (int n = 0; n < w.limit && it != p->log.end(); ++n, ++it) {
      v1::VideoPostEvent event;
      *event.mutable_post() = ToProto(it->second);
      event.set_cursor(EncodeWatchCursor(it->first));
      w.mark = it->first;
      w.sink->Deliver(event);
    }
  }
}

}  // namespace ttads::content
