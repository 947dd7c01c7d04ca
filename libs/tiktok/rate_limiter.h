#ifndef TTADS_LIBS_TIKTOK_RATE_LIMITER_H_
#define TTADS_LIBS_TIKTOK_RATE_LIMITER_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
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
};

// One request about to be sent.
struct RateLimitRequest {
  std::string app_id;
  std::string path;           // endpoint path, e.g. "ad/create/"
  std::string advertiser_id;  // empty: no per-advertiser bucket
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

// Outcome of a reservation.
struct Reservation {
  // true: a slot is reserved; send after `wait` (zero: now).
  // false: nothing reserved; the earliest slot is `wait` away, beyond the
  // caller's max_wait.
  bool granted = false;
  absl::Duration wait = absl::ZeroDuration();
};

// Spaces requests so that, across every process sharing the limiter, no
// bucket is used more often than once per its interval ("GCRA" with no
// burst: any window of one second holds at most the bucket's QPS). A
// reservation is made in one step, so callers wait on a timer for their
// slot instead of polling.
class RateLimiter {
 public:
  virtual ~RateLimiter() = default;
  // May block briefly (network); the client calls it off its event loop.
  // UNAVAILABLE when the shared state cannot be reached.
  virtual absl::StatusOr<Reservation> Reserve(const RateLimitRequest& request,
                                              absl::Duration max_wait) = 0;
};

// The same algorithm in process memory, for unit tests and single-process
// tools. `now` is injectable for deterministic tests.
class InMemoryRateLimiter : public RateLimiter {
 public:
  explicit InMemoryRateLimiter(
      RateLimitPolicy policy,
      std::function<absl::Time()> now = [] { return absl::Now(); });

  absl::StatusOr<Reservation> Reserve(const RateLimitRequest& request,
                                      absl::Duration max_wait) override;

 private:
  const RateLimitPolicy policy_;
  const std::function<absl::Time()> now_;
  absl::Mutex mu_;
  // Key -> theoretical arrival time of the next allowed request.
  absl::flat_hash_map<std::string, absl::Time> tat_ ABSL_GUARDED_BY(mu_);
};

}  // namespace ttads::tiktok

#endif  // TTADS_LIBS_TIKTOK_RATE_LIMITER_H_
