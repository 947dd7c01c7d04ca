#ifndef TTADS_SERVICES_IDENTITY_ACCOUNT_REFRESHER_H_
#define TTADS_SERVICES_IDENTITY_ACCOUNT_REFRESHER_H_

#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "libs/connections/account_token_source.h"
#include "libs/connections/tiktok_account_store.h"
#include "libs/store/redis.h"
#include "prometheus/counter.h"
#include "prometheus/registry.h"

namespace ttads::identity {

struct AccountRefresherOptions {
  // How often a cycle runs (TTADS_TIKTOK_ACCOUNT_REFRESH_PERIOD_SECONDS).
  absl::Duration period = absl::Minutes(5);
  // A connection whose access token expires within this is refreshed
  // (TTADS_TIKTOK_ACCOUNT_REFRESH_LEAD_SECONDS). Must stay below TikTok's
  // access token life, or every cycle would refresh every connection.
  absl::Duration lead = absl::Hours(1);
  // At most this many due connections per cycle
  // (TTADS_TIKTOK_ACCOUNT_REFRESH_BATCH); the rest wait for the next.
  size_t batch = 500;
  // After a failed refresh (not a dead grant) the connection is left alone
  // for backoff_initial, doubled on each further failure up to backoff_max.
  absl::Duration backoff_initial = absl::Minutes(5);
  absl::Duration backoff_max = absl::Minutes(15);
  // Time allowed for one refresh at TikTok: shorter than the lease
  // (AccountTokenSourceOptions::lease_ttl, 30 s), so the lease never lapses
  // while its holder is still waiting for TikTok.
  absl::Duration call_timeout = absl::Seconds(20);
};

// Refreshes TikTok account connections (Login Kit) in the background, before
// their access token expires, so an idle connection never lapses into a
// user-facing refresh or, after TikTok's refresh-token life, a re-consent.
//
// Each cycle reads the store's refresh schedule (the connections whose
// access token expires within `lead`, soonest first, at most `batch`: the
// cost is the due entries, not all connections) and refreshes each through
// connections::AccountTokenSource::RefreshIfDue: the same Redis lease as
// every on-use refresh, re-read under the lease. So however many identity
// replicas run a refresher, and whatever content or identity calls use the
// tokens meanwhile, each due connection is refreshed once.
//
// Outcomes, counted in
//   ttads_identity_account_refreshes_total{outcome=...}
//   refreshed         TikTok issued new tokens (stored)
//   not_due           another caller refreshed it first
//   busy              another caller holds the lease right now
//   needs_reconsent   TikTok refused the refresh token (invalid_grant): the
//                     connection is marked TIKTOK_ACCOUNT_STATE_NEEDS_RECONSENT
//                     and leaves the schedule; its uses then fail with
//                     FAILED_PRECONDITION TIKTOK_ACCOUNT_NEEDS_RECONSENT
//   inactive          found revoked or needing re-consent: taken off the
//                     schedule, TikTok not asked
//   transient_failure TikTok unreachable, 5xx, throttled, deadline: left
//                     active, retried after a backoff
//   error             any other failure (TikTok's other refusals, Redis):
//                     left active, retried after a backoff
//   backoff           skipped this cycle: a previous attempt failed
// The backoff lives in Redis (ttads:{team:T}:ttacct_refresh_backoff:C), so
// every replica honours it.
class AccountRefresher {
 public:
  // What one cycle did, per outcome name (above).
  using CycleCounts = std::map<std::string, int>;

  // `registry` may be null (no metrics).
  AccountRefresher(store::RedisPool* redis,
                   connections::TikTokAccountStore* store,
                   connections::AccountTokenSource* tokens,
                   prometheus::Registry* registry,
                   AccountRefresherOptions options,
                   std::function<absl::Time()> clock = absl::Now);
  ~AccountRefresher();
  AccountRefresher(const AccountRefresher&) = delete;
  AccountRefresher& operator=(const AccountRefresher&) = delete;

  // One cycle. Errors: reading the schedule failed (nothing was tried).
  absl::StatusOr<CycleCounts> RunOnce();

  // A thread running a cycle at once, then every `period`, until Stop().
  // Stop() wakes it, lets the refresh in flight finish, skips the rest of
  // the cycle and joins; both are idempotent, and the destructor stops.
  void Start();
  void Stop();
  bool running() const;

 private:
  // The outcome name of one due connection's refresh.
  std::string RefreshOne(const connections::DueAccount& due, absl::Time now);
  absl::StatusOr<bool> BackingOff(const connections::DueAccount& due,
                                  absl::Time now);
  absl::Status RecordFailure(const connections::DueAccount& due,
                             absl::Time now);
  absl::Status ClearFailures(const connections::DueAccount& due);
  void Count(const std::string& outcome);

  store::RedisPool* redis_;
  connections::TikTokAccountStore* store_;
  connections::AccountTokenSource* tokens_;
  prometheus::Family<prometheus::Counter>* counters_ = nullptr;
  const AccountRefresherOptions options_;
  std::function<absl::Time()> clock_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;  // guarded by mu_
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

// ttads:{team:T}:ttacct_refresh_backoff:C — HASH attempts, retry_at (unix
// ms) after a failed background refresh; deleted by a successful one.
std::string RefreshBackoffKey(std::string_view team_id, std::string_view id);

}  // namespace ttads::identity

#endif  // TTADS_SERVICES_IDENTITY_ACCOUNT_REFRESHER_H_
