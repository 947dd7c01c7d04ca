#include "services/identity/account_refresher.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "libs/log/log.h"
#include "libs/status/status_macros.h"
#include "libs/store/key_schema.h"
#include "libs/tiktok_open/login_api.h"

namespace ttads::identity {
namespace {

using connections::AccountTokenSource;
using connections::DueAccount;
using Outcome = AccountTokenSource::RefreshOutcome;

constexpr const char* kOutcomes[] = {
    "refreshed", "not_due",           "busy",  "needs_reconsent",
    "inactive",  "transient_failure", "error", "backoff"};

std::string OutcomeName(Outcome outcome) {
  switch (outcome) {
    case Outcome::kRefreshed:
      return "refreshed";
    case Outcome::kNotDue:
      return "not_due";
    case Outcome::kBusy:
      return "busy";
    case Outcome::kNeedsReconsent:
      return "needs_reconsent";
    case Outcome::kInactive:
      return "inactive";
  }
  return "error";
}

// TikTok did not answer in time or said "later": worth another try soon.
bool Transient(const absl::Status& status) {
  return absl::IsUnavailable(status) || absl::IsDeadlineExceeded(status) ||
         absl::IsResourceExhausted(status);
}

}  // namespace

std::string RefreshBackoffKey(std::string_view team_id, std::string_view id) {
  return store::TeamKey(
      team_id, absl::StrCat("ttacct_refresh_backoff:", std::string(id)));
}

AccountRefresher::AccountRefresher(store::RedisPool* redis,
                                   connections::TikTokAccountStore* store,
                                   AccountTokenSource* tokens,
                                   prometheus::Registry* registry,
                                   AccountRefresherOptions options,
                                   std::function<absl::Time()> clock)
    : redis_(redis),
      store_(store),
      tokens_(tokens),
      options_(options),
      clock_(std::move(clock)) {
  if (registry != nullptr) {
    counters_ = &prometheus::BuildCounter()
                     .Name("ttads_identity_account_refreshes_total")
                     .Help(
                         "Background refreshes of TikTok account connections "
                         "(Login Kit tokens) this process attempted, by "
                         "outcome")
                     .Register(*registry);
    for (const char* outcome : kOutcomes)
      counters_->Add({{"outcome", outcome}});
  }
}

AccountRefresher::~AccountRefresher() { Stop(); }

void AccountRefresher::Count(const std::string& outcome) {
  if (counters_ != nullptr) counters_->Add({{"outcome", outcome}}).Increment();
}

absl::StatusOr<bool> AccountRefresher::BackingOff(const DueAccount& due,
                                                  absl::Time now) {
  TTADS_ASSIGN_OR_RETURN(
      store::RedisReply reply,
      redis_->Command({"HGET",
                       RefreshBackoffKey(due.team_id, due.connection_id),
                       "retry_at"}));
  int64_t retry_at_ms = 0;
  if (reply.is_nil() || !absl::SimpleAtoi(reply.str, &retry_at_ms)) {
    return false;
  }
  return absl::FromUnixMillis(retry_at_ms) > now;
}

absl::Status AccountRefresher::RecordFailure(const DueAccount& due,
                                             absl::Time now) {
  const std::string key = RefreshBackoffKey(due.team_id, due.connection_id);
  TTADS_ASSIGN_OR_RETURN(store::RedisReply attempts,
                         redis_->Command({"HINCRBY", key, "attempts", "1"}));
  const int64_t n = std::clamp<int64_t>(attempts.integer, 1, 30);
  absl::Duration wait = options_.backoff_initial;
  for (int64_t i = 1; i < n && wait < options_.backoff_max; ++i) wait *= 2;
  wait = std::min(wait, options_.backoff_max);
  // The record outlives the wait, so the attempt count keeps growing while
  // TikTok keeps failing; a success deletes it.
  const int64_t keep_ms = absl::ToInt64Milliseconds(
      std::max(options_.backoff_max, absl::Minutes(1)) * 4);
  return redis_
      ->Pipeline({{"HSET", key, "retry_at",
                   std::to_string(absl::ToUnixMillis(now + wait))},
                  {"PEXPIRE", key, std::to_string(keep_ms)}})
      .status();
}

absl::Status AccountRefresher::ClearFailures(const DueAccount& due) {
  return redis_
      ->Command({"DEL", RefreshBackoffKey(due.team_id, due.connection_id)})
      .status();
}

std::string AccountRefresher::RefreshOne(const DueAccount& due,
                                         absl::Time now) {
  absl::StatusOr<bool> backing_off = BackingOff(due, now);
  if (!backing_off.ok()) return "error";
  if (*backing_off) return "backoff";
  absl::StatusOr<Outcome> outcome =
      tokens_->RefreshIfDue(due.team_id, due.connection_id, options_.lead,
                            absl::Now() + options_.call_timeout);
  if (!outcome.ok()) {
    if (absl::IsNotFound(outcome.status())) {
      // The schedule names a connection that is gone.
      (void)store_->Unschedule(due.team_id, due.connection_id);
      return "inactive";
    }
    (void)RecordFailure(due, now);
    log::Warn(
        "background refresh of a TikTok account connection failed; "
        "retrying after a backoff",
        {{"team_id", due.team_id},
         {"connection_id", due.connection_id},
         {"code", absl::StatusCodeToString(outcome.status().code())},
         {"error", std::string(outcome.status().message())}});
    return Transient(outcome.status()) ? "transient_failure" : "error";
  }
  switch (*outcome) {
    case Outcome::kInactive:
      // A stale entry (e.g. the process stopped between the state change
      // and the schedule update): drop it.
      (void)store_->Unschedule(due.team_id, due.connection_id);
      (void)ClearFailures(due);
      break;
    case Outcome::kNeedsReconsent:
      log::Warn(
          "TikTok refused to refresh a TikTok account connection; it "
          "needs re-consent",
          {{"team_id", due.team_id}, {"connection_id", due.connection_id}});
      (void)ClearFailures(due);
      break;
    case Outcome::kRefreshed:
    case Outcome::kNotDue:
      (void)ClearFailures(due);
      break;
    case Outcome::kBusy:
      break;
  }
  return OutcomeName(*outcome);
}

absl::StatusOr<AccountRefresher::CycleCounts> AccountRefresher::RunOnce() {
  const absl::Time now = clock_();
  TTADS_ASSIGN_OR_RETURN(
      std::vector<DueAccount> due,
      store_->DueForRefresh(now + options_.lead, options_.batch));
  CycleCounts counts;
  for (const DueAccount& d : due) {
    if (stopping_) break;
    const std::string outcome = RefreshOne(d, now);
    ++counts[outcome];
    Count(outcome);
  }
  return counts;
}

void AccountRefresher::Start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (thread_.joinable()) return;
  stop_ = false;
  stopping_ = false;
  thread_ = std::thread([this] {
    std::unique_lock<std::mutex> lock(mu_);
    while (!stop_) {
      lock.unlock();
      (void)RunOnce();  // A failed read is retried next period.
      lock.lock();
      cv_.wait_for(lock, absl::ToChronoMilliseconds(options_.period),
                   [this] { return stop_; });
    }
  });
}

void AccountRefresher::Stop() {
  std::thread thread;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
    stopping_ = true;
    thread = std::move(thread_);
  }
  cv_.notify_all();
  if (thread.joinable()) thread.join();
  stopping_ = false;  // RunOnce called directly works again.
}

bool AccountRefresher::running() const {
  std::lock_guard<std::mutex> lock(mu_);
  return thread_.joinable();
}

}  // namespace ttads::identity
