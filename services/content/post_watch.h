#ifndef TTADS_SERVICES_CONTENT_POST_WATCH_H_
#define TTADS_SERVICES_CONTENT_POST_WATCH_H_

#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/tiktok_open/display_api.h"
#include "ttads/content/v1/content_service.pb.h"

namespace ttads::content {

// Ibexa's "Watch TikTok Video Posts" default limit per cycle.
inline constexpr int kDefaultWatchLimit = 5;
inline constexpr int kMaxWatchLimit = 100;

// A position in an account's posts: (create_time, post id), the order new
// posts are delivered in. A watcher gets the posts strictly after its mark.
struct PostMark {
  int64_t create_time = 0;
  std::string post_id;
  bool operator<(const PostMark& o) const {
    return std::tie(create_time, post_id) < std::tie(o.create_time, o.post_id);
  }
};

// Watch cursors: opaque to callers, a PostMark inside.
std::string EncodeWatchCursor(const PostMark& mark);
// INVALID_ARGUMENT (cursor) for a cursor no event carried.
absl::StatusOr<PostMark> DecodeWatchCursor(const std::string& cursor);

// Receives a watcher's events (a gRPC stream reactor).
class PostEventSink {
 public:
  virtual ~PostEventSink() = default;
  // Called on the poller thread under the hub's lock; must not block.
  virtual void Deliver(const v1::VideoPostEvent& event) = 0;
  // The watch cannot go on (the connection was revoked, lost its scope or
  // needs consent again); no event follows.
  virtual void Fail(const absl::Status& status) = 0;
};

// New video posts of TikTok accounts for every watcher, from one poller per
// account however many watchers it has (the account is the key: team and
// connection id).
//
// Each cycle (every `interval`) the poller reads the account's newest posts
// (pages of 20, up to `scan_pages`, stopping at the first post it already
// knows or that precedes every watcher's mark), keeps the last `log_size`,
// and hands every watcher the posts after its mark, oldest first, at most
// its `limit` per cycle; the rest follow in the next cycles. A watcher
// without a cursor starts at the time it subscribed. Marks only move
// forward, so a post is delivered to a watcher at most once, and a stream
// resumed with an event's cursor continues after that post.
//
// Upstream errors: a token or scope problem (FAILED_PRECONDITION,
// PERMISSION_DENIED, NOT_FOUND) fails the account's watchers; transient ones
// (UNAVAILABLE, RESOURCE_EXHAUSTED, DEADLINE_EXCEEDED) are retried next
// cycle. The poller stops when its last watcher leaves.
class PostWatchHub {
 public:
  struct Options {
    absl::Duration interval = absl::Seconds(30);
    size_t log_size = 1000;
    int scan_pages = 5;
    // No threads: cycles run only through PollOnce (domain tests).
    bool manual = false;
  };
  // A token for (team_id, connection_id), refreshed if due.
  using TokenProvider = std::function<absl::StatusOr<std::string>(
      const std::string& team_id, const std::string& connection_id,
      absl::Time deadline)>;

  PostWatchHub(tiktok_open::DisplayApi* api, TokenProvider tokens,
               Options options);
  ~PostWatchHub();

  // Registers `sink` for the account, delivering posts after `start` (or,
  // without one, those published from now on), at most `limit` per cycle.
  // Returns a handle for Remove.
  int Add(const std::string& team_id, const std::string& connection_id,
          std::optional<PostMark> start, int limit, PostEventSink* sink);
  void Remove(const std::string& team_id, const std::string& connection_id,
              int handle);

  // One cycle of the account's poller, on the caller's thread (manual mode).
  void PollOnce(const std::string& team_id, const std::string& connection_id);

  size_t pollers() const;
  size_t watchers() const;

 private:
  struct Watcher {
    PostMark mark;
    int limit;
    PostEventSink* sink;
  };
  struct Poller {
    std::string team_id, connection_id;
    std::map<PostMark, tiktok_open::VideoPost> log;
    std::map<int, Watcher> watchers;
    bool stop = false;
    bool failed = false;
    std::thread thread;
    std::condition_variable cv;
  };
  using Key = std::pair<std::string, std::string>;

  void Run(Poller* p);
  // Reads upstream (without the lock) and delivers (with it).
  void Cycle(Poller* p);

  tiktok_open::DisplayApi* api_;
  TokenProvider tokens_;
  Options options_;
  mutable std::mutex mu_;
  std::map<Key, std::unique_ptr<Poller>> pollers_;
  std::vector<std::unique_ptr<Poller>> stopped_;
  int next_handle_ = 1;
};

}  // namespace ttads::content

#endif  // TTADS_SERVICES_CONTENT_POST_WATCH_H_
