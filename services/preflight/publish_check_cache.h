#ifndef TTADS_SERVICES_PREFLIGHT_PUBLISH_CHECK_CACHE_H_
#define TTADS_SERVICES_PREFLIGHT_PUBLISH_CHECK_CACHE_H_

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "libs/server/call_context.h"
#include "services/preflight/findings.h"
#include "services/preflight/objectives.h"

namespace ttads::preflight {

// The publish check's answers kept in memory for a short time, so a repeated
// check costs no Redis, identity or TikTok call (CheckerOptions::result_ttl).
// One per PublishChecker; thread-safe.
//
// - An answer belongs to one caller (team, member, role) and the advertiser
//   and Business Center ids exactly as the request gave them (Key()); a
//   teammate, or the same member under another role, never receives it.
// - A stored answer serves any later check whose prerequisites it covers:
//   findings stored for WEB_CONVERSIONS (identity, pixel) also answer
//   TRAFFIC (identity), but not APP_PROMOTION (app was never looked at).
// - It is served while `clock()` is before stored-at + `ttl`; a later
//   Remember() for the same key replaces it and restarts its ttl.
// - Findings that are not `cacheable` (an upstream failure, or no token)
//   are never stored, so the next check asks again.
// - At most `max_entries` answers are kept: when full, expired answers are
//   dropped first and, if none had expired, every answer is.
// - A zero or negative `ttl` disables the cache: nothing is stored or found.
class PublishCheckCache {
 public:
  struct Options {
    absl::Duration ttl = absl::Seconds(2);
    size_t max_entries = 10000;
    std::function<absl::Time()> clock = [] { return absl::Now(); };
  };

  explicit PublishCheckCache(Options options);

  // The key of the caller's answer for the advertiser and Business Center.
  static std::string Key(const server::CallContext& call,
                         const std::string& advertiser_id,
                         const std::string& business_center_id);

  bool enabled() const { return options_.ttl > absl::ZeroDuration(); }

  // The fresh answer stored under `key` if it covers `needs`, else null.
  // Never blocks on anything but this cache's own lock.
  std::shared_ptr<const Findings> Find(const std::string& key,
                                       PrerequisiteSet needs);

  // Stores `findings` under `key` (unless disabled or not cacheable).
  void Remember(const std::string& key, const Findings& findings);

 private:
  struct Entry {
    std::shared_ptr<const Findings> findings;
    absl::Time expires;
  };

  const Options options_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, Entry> entries_ ABSL_GUARDED_BY(mu_);
};

}  // namespace ttads::preflight

#endif  // TTADS_SERVICES_PREFLIGHT_PUBLISH_CHECK_CACHE_H_
