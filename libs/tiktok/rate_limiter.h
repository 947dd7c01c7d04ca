#ifndef TTADS_LIBS_TIKTOK_RATE_LIMITER_H_
#define TTADS_LIBS_TIKTOK_RATE_LIMITER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace ttads::tiktok {

// TikTok app rate-limit tiers (config key TTADS_TIKTOK_TIER).
enum class Tier { kBasic, kAdvanced, kPremium, kUltimate, kSandbox };

// "basic", "advanced", "premium", "ultimate", "sandbox" (case-insensitive).
absl::StatusOr<Tier> ParseTier(absl::string_view text);
absl::string_view TierName(Tier tier);

// How a client spends its app's quota. All replicas of all services using
// the same app must use the same policy.
struct RateLimitPolicy {
  Tier tier = Tier::kBasic;
  // Fraction of the documented limit actually used, leaving room for
  // network jitter compressing the spacing between requests (default 90%).
  double headroom = 0.9;
  // Per-advertiser requests per second (TikTok's 40133 limit; its value is
  // not published). 0 disables the per-advertiser bucket.
  double advertiser_qps = 0;
  // Background and bulk lanes: a team that has not asked for a slot for this
  // long stops counting in the lane's fair share (its place is forgotten).
  absl::Duration fair_share_window = absl::Seconds(2);
};

// Classes of work sharing the app's budget (docs/tiktok-client.md, "Budget
// classes"):
//  - interactive: a person or a caller is waiting (creates, updates, status,
//    checks, lists). Reserves the next slot and queues for it, up to its
//    max_wait, ahead of any background work still waiting.
//  - background: work nobody waits on right now (watch polls, audience
//    uploads, disqualification refresh, report pulls). Takes only a slot
//    that is free at the moment it asks, so it never books the app ahead
//    of an interactive call; teams share what is left, weighted.
//  - bulk: backfills and other deferrable work; takes only a slot the app
//    left unused for a whole interval (what background leaves over).
enum class WorkClass { kInteractive = 0, kBackground = 1, kBulk = 2 };

// "interactive", "background", "bulk".
absl::string_view WorkClassName(WorkClass work_class);

// One request about to be sent.
struct RateLimitRequest {
  std::string app_id;
  std::string path;           // endpoint path, e.g. "ad/create/"
  std::string advertiser_id;  // empty: no per-advertiser bucket
  WorkClass work_class = WorkClass::kInteractive;
  // Background and bulk: the team whose work this is (fair share key);
  // empty counts as one anonymous team.
  std::string team_id;
  // The team's weight in its lane (> 0; e.g. by plan tier). A team of
  // weight 2 gets twice the slots of a team of weight 1 when both wait.
  double weight = 1;
};

// A bucket the request draws from: a key suffix (after
// "ttads:ratelimit:{app:<app_id>}:") and the minimum spacing between two
// requests drawing from it.
struct Bucket {
  std::string name;  // "app", "endpoint:ad/create/", "advertiser:<id>"
  absl::Duration interval;
};

// The buckets for `request` under `policy` (docs/tiktok-client.md):
//  - every request: "app" at the tier's QPS (Basic 10, Advanced 20,
//    Premium 30, Ultimate 50);
//  - "ad/create/": also "endpoint:ad/create/" at min(5 QPS, 150 QPM) for
//    Basic = one per 400 ms, scaled by the tier's app QPS ratio above Basic
//    (TikTok does not publish those; an assumption);
//  - sandbox: "endpoint:<path>" at 30 QPM (one per 2 s) instead of "app";
//  - with advertiser_qps > 0 and an advertiser id: "advertiser:<id>".
// Intervals are stretched by 1/headroom.
std::vector<Bucket> BucketsFor(const RateLimitPolicy& policy,
                               const RateLimitRequest& request);

// The Redis key of a bucket: "ttads:ratelimit:{app:<app_id>}:<bucket>". The
// hash tag keeps one app's keys in one Cluster slot, so the Lua script may
// touch them together.
std::string BucketKey(absl::string_view app_id, absl::string_view bucket);

// Why a background or bulk request got no slot.
enum class Deferral {
  kNone = 0,
  // The app's next slot is not free yet (interactive or other work holds
  // it): ask again after `wait`.
  kLaneBusy = 1,
  // The team has had more than its weighted share of the lane while others
  // wait: ask again after `wait` (others' turns), and try other teams now.
  kOverShare = 2,
};

// Outcome of a reservation.
struct Reservation {
  // true: a slot is reserved; send after `wait` (zero: now).
  // false: nothing reserved. Interactive: the earliest slot is `wait` away,
  // beyond the caller's max_wait. Background/bulk: see `deferral`; `wait`
  // is when asking again is worthwhile.
  bool granted = false;
  absl::Duration wait = absl::ZeroDuration();
  Deferral deferral = Deferral::kNone;
};

// Spaces requests so that, across every process sharing the limiter, no
// bucket is used more often than once per its interval ("GCRA" with no
// burst: any window of one second holds at most the bucket's QPS). A
// reservation is made in one step, so callers wait on a timer for their
// slot instead of polling.
//
// Classes (docs/tiktok-client.md, "Priority and fair share"):
//  - interactive: send_at = max(now, every bucket's TAT); granted when
//    send_at - now <= max_wait, moving each TAT to send_at + interval.
//  - background: granted only when the slot is free now (every TAT <= now),
//    so the app is never booked more than one interval ahead by background
//    work and an interactive call waits at most one interval for it.
//  - bulk: granted only when the first bucket (the app) has been idle for a
//    whole interval (TAT + interval <= now): the slots background left.
//  - background and bulk share their lane by start-time fair queueing: each
//    team has a finish tag F (slots used / weight, in "virtual time"), the
//    lane a clock V (start tag of the last grant). A request's start tag is
//    S = max(V, F_team). A team whose last ask was deferred is "pending"
//    and keeps the start tag it had then until it is served. A request is
//    deferred (kOverShare) while S > (lowest start tag of the other pending
//    teams) + 1/weight, i.e. while another waiting team is more than one slot
//    behind; the lowest pending team is always eligible. Otherwise, when the
//    slot is busy, it is deferred (kLaneBusy) and becomes pending. On a grant
//    F_team = S + 1/weight, V = max(V, min(S, lowest other pending start
//    tag)) (the clock never passes a waiting team), and the team is no
//    longer pending. A team returning after idling starts at V, so idling banks
//    no credit; a team that got its slot and asks rarely holds nobody back.
//    Teams not seen for fair_share_window are forgotten.
//  max_wait bounds interactive reservations only; background and bulk never
//  queue in the limiter (they are deferred with a hint instead).
class RateLimiter {
 public:
  virtual ~RateLimiter() = default;
  // May block briefly (network); the client calls it off its event loop.
  // UNAVAILABLE when the shared state cannot be reached.
  virtual absl::StatusOr<Reservation> Reserve(const RateLimitRequest& request,
                                              absl::Duration max_wait) = 0;
};

// The Redis keys of a background/bulk lane's fair-share state:
// "ttads:ratelimit:{app:<app_id>}:lane:<class>:{vt,pending,seen,clock}".
std::string LaneKey(absl::string_view app_id, WorkClass work_class,
                    absl::string_view part);

}  // namespace ttads::tiktok

#endif  // TTADS_LIBS_TIKTOK_RATE_LIMITER_H_
