#include "services/audience/job_queue.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libs/status/status_macros.h"
#include "libs/store/script.h"

namespace ttads::audience {
namespace {

using store::RedisReply;

// [id, [field, value, ...]] → QueuedJob.
std::optional<QueuedJob> ParseEntry(const RedisReply& entry) {
  if (entry.elements.size() < 2) return std::nullopt;
  QueuedJob job;
  job.entry_id = entry.elements[0].str;
  const auto& fields = entry.elements[1].elements;
  for (size_t i = 0; i + 1 < fields.size(); i += 2) {
    if (fields[i].str == "team") job.team_id = fields[i + 1].str;
    if (fields[i].str == "job") job.job_id = fields[i + 1].str;
  }
  return job;
}

// KEYS[1] stream; ARGV group, consumer, entry id. 1 when the consumer owns
// the entry and its idle time was reset, 0 when it does not own it.
const store::Script& RenewScript() {
  static const auto* script = new store::Script(R"lua(
local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[3], ARGV[3], 1)
if #p == 0 or p[1][2] ~= ARGV[2] then return 0 end
redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[3], 'JUSTID')
return 1
)lua");
  return *script;
}

// Same arguments; acknowledges and deletes the entry only for its owner.
const store::Script& AckScript() {
  static const auto* script = new store::Script(R"lua(
local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[3], ARGV[3], 1)
if #p == 0 or p[1][2] ~= ARGV[2] then return 0 end
redis.call('XACK', KEYS[1], ARGV[1], ARGV[3])
redis.call('XDEL', KEYS[1], ARGV[3])
return 1
)lua");
  return *script;
}

// The enqueue time (Unix ms) of a stream entry id "<ms>-<seq>".
int64_t EntryMillis(const std::string& id) {
  int64_t ms = 0;
  (void)absl::SimpleAtoi(id.substr(0, id.find('-')), &ms);
  return ms;
}

absl::Duration AgeOf(const std::string& id, int64_t now_ms) {
  if (id.empty()) return absl::ZeroDuration();
  return absl::Milliseconds(std::max<int64_t>(0, now_ms - EntryMillis(id)));
}

}  // namespace

ClaimHeartbeat::ClaimHeartbeat(JobQueue* queue, std::string consumer,
                               QueuedJob job, absl::Duration interval)
    : queue_(queue),
      consumer_(std::move(consumer)),
      job_(std::move(job)),
      interval_(std::max(interval, absl::Milliseconds(1))),
      thread_([this] { Run(); }) {}

ClaimHeartbeat::~ClaimHeartbeat() { Stop(); }

void ClaimHeartbeat::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void ClaimHeartbeat::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_) {
    if (cv_.wait_for(lock, absl::ToChronoMilliseconds(interval_),
                     [this] { return stop_; })) {
      return;
    }
    lock.unlock();
    absl::StatusOr<bool> owned = queue_->Renew(consumer_, job_);
    lock.lock();
    if (!owned.ok()) continue;  // unreachable: try again at the next tick
    if (!*owned) {
      lost_ = true;
      return;
    }
    ++renewals_;
  }
}

RedisJobQueue::RedisJobQueue(store::RedisPool* redis, absl::Duration claim_idle,
                             std::string stream, std::string group)
    : redis_(redis),
      claim_idle_(claim_idle),
      stream_(std::move(stream)),
      group_(std::move(group)) {}

absl::Status RedisJobQueue::EnsureGroup() {
  auto r =
      redis_->Command({"XGROUP", "CREATE", stream_, group_, "0", "MKSTREAM"});
  if (!r.ok()) {
    if (absl::StrContains(r.status().message(), "BUSYGROUP")) {
      return absl::OkStatus();
    }
    return r.status();
  }
  if (r->is_error() && !absl::StrContains(r->str, "BUSYGROUP")) {
    return absl::InternalError(r->str);
  }
  return absl::OkStatus();
}

absl::Status RedisJobQueue::Enqueue(const std::string& team_id,
                                    const std::string& job_id) {
  TTADS_RETURN_IF_ERROR(EnsureGroup());
  TTADS_ASSIGN_OR_RETURN(auto r, redis_->Command({"XADD", stream_, "*", "team",
                                                  team_id, "job", job_id}));
  return r.is_error() ? absl::InternalError(r.str) : absl::OkStatus();
}

absl::StatusOr<std::optional<QueuedJob>> RedisJobQueue::Next(
    const std::string& consumer, absl::Duration wait) {
  TTADS_RETURN_IF_ERROR(EnsureGroup());
  TTADS_ASSIGN_OR_RETURN(
      auto claimed,
      redis_->Command({"XAUTOCLAIM", stream_, group_, consumer,
                       absl::StrCat(absl::ToInt64Milliseconds(claim_idle_)),
                       "0-0", "COUNT", "1"}));
  if (claimed.is_error()) return absl::InternalError(claimed.str);
  if (claimed.elements.size() >= 2) {
    for (const auto& entry : claimed.elements[1].elements) {
      if (auto job = ParseEntry(entry)) return job;
    }
  }
  // Redis' BLOCK must stay under the pool's command timeout.
  const int64_t block_ms =
      std::clamp<int64_t>(absl::ToInt64Milliseconds(wait), 0, 200);
  TTADS_ASSIGN_OR_RETURN(
      auto r, redis_->Command({"XREADGROUP", "GROUP", group_, consumer, "COUNT",
                               "1", "BLOCK", absl::StrCat(block_ms), "STREAMS",
                               stream_, ">"}));
  if (r.is_error()) return absl::InternalError(r.str);
  if (r.is_nil() || r.elements.empty()) return std::optional<QueuedJob>();
  // [[stream, [[id, fields]]]]
  const auto& streams = r.elements;
  if (streams[0].elements.size() < 2) return std::optional<QueuedJob>();
  for (const auto& entry : streams[0].elements[1].elements) {
    if (auto job = ParseEntry(entry)) return job;
  }
  return std::optional<QueuedJob>();
}

absl::StatusOr<bool> RedisJobQueue::Renew(const std::string& consumer,
                                          const QueuedJob& job) {
  TTADS_ASSIGN_OR_RETURN(
      auto r,
      RenewScript().Run(*redis_, {stream_}, {group_, consumer, job.entry_id}));
  if (r.is_error()) return absl::InternalError(r.str);
  return r.integer == 1;
}

absl::Status RedisJobQueue::Ack(const std::string& consumer,
                                const QueuedJob& job) {
  TTADS_ASSIGN_OR_RETURN(
      auto r,
      AckScript().Run(*redis_, {stream_}, {group_, consumer, job.entry_id}));
  return r.is_error() ? absl::InternalError(r.str) : absl::OkStatus();
}

absl::StatusOr<QueueStats> RedisJobQueue::Stats() {
  TTADS_ASSIGN_OR_RETURN(auto r,
                         redis_->Pipeline({{"TIME"},
                                           {"XLEN", stream_},
                                           {"XINFO", "GROUPS", stream_},
                                           {"XPENDING", stream_, group_}}));
  const RedisReply& time = r[0];
  if (time.is_error() || time.elements.size() != 2) {
    return absl::InternalError("unexpected TIME reply");
  }
  int64_t seconds = 0, micros = 0;
  (void)absl::SimpleAtoi(time.elements[0].str, &seconds);
  (void)absl::SimpleAtoi(time.elements[1].str, &micros);
  const int64_t now_ms = seconds * 1000 + micros / 1000;
  QueueStats stats;
  const int64_t length = r[1].integer;
  // No stream or no group yet (XINFO/XPENDING answer errors): nothing queued
  // was ever taken.
  std::string last_delivered;
  if (!r[2].is_error()) {
    for (const RedisReply& group : r[2].elements) {
      const auto& f = group.elements;
      bool ours = false;
      std::string delivered;
      for (size_t i = 0; i + 1 < f.size(); i += 2) {
        if (f[i].str == "name") ours = f[i + 1].str == group_;
        if (f[i].str == "last-delivered-id") delivered = f[i + 1].str;
      }
      if (ours) last_delivered = delivered;
    }
  }
  std::string oldest_running;
  const RedisReply& pending = r[3];
  if (!pending.is_error() && pending.elements.size() >= 2) {
    stats.running = pending.elements[0].integer;
    oldest_running = pending.elements[1].str;
  }
  stats.queued = std::max<int64_t>(0, length - stats.running);
  stats.oldest_running = AgeOf(oldest_running, now_ms);
  if (stats.queued > 0) {
    // The first entry after the last one delivered to the group.
    TTADS_ASSIGN_OR_RETURN(
        auto first,
        redis_->Command(
            {"XRANGE", stream_,
             last_delivered.empty() ? std::string("-") : "(" + last_delivered,
             "+", "COUNT", "1"}));
    if (!first.is_error() && !first.elements.empty() &&
        !first.elements[0].elements.empty()) {
      stats.oldest_queued = AgeOf(first.elements[0].elements[0].str, now_ms);
    }
  }
  return stats;
}

}  // namespace ttads::audience
