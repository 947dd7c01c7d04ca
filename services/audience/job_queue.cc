#include "services/audience/job_queue.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

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

}  // namespace

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
  if (absl::Status s = EnsureGroup(); !s.ok()) return s;
  auto r =
      redis_->Command({"XADD", stream_, "*", "team", team_id, "job", job_id});
  if (!r.ok()) return r.status();
  return r->is_error() ? absl::InternalError(r->str) : absl::OkStatus();
}

absl::StatusOr<std::optional<QueuedJob>> RedisJobQueue::Next(
    const std::string& consumer, absl::Duration wait) {
  if (absl::Status s = EnsureGroup(); !s.ok()) return s;
  auto claimed =
      redis_->Command({"XAUTOCLAIM", stream_, group_, consumer,
                       absl::StrCat(absl::ToInt64Milliseconds(claim_idle_)),
                       "0-0", "COUNT", "1"});
  if (!claimed.ok()) return claimed.status();
  if (claimed->is_error()) return absl::InternalError(claimed->str);
  if (claimed->elements.size() >= 2) {
    for (const auto& entry : claimed->elements[1].elements) {
      if (auto job = ParseEntry(entry)) return job;
    }
  }
  // Redis' BLOCK must stay under the pool's command timeout.
  const int64_t block_ms =
      std::clamp<int64_t>(absl::ToInt64Milliseconds(wait), 0, 200);
  auto r = redis_->Command({"XREADGROUP", "GROUP", group_, consumer, "COUNT",
                            "1", "BLOCK", absl::StrCat(block_ms), "STREAMS",
                            stream_, ">"});
  if (!r.ok()) return r.status();
  if (r->is_error()) return absl::InternalError(r->str);
  if (r->is_nil() || r->elements.empty()) return std::optional<QueuedJob>();
  // [[stream, [[id, fields]]]]
  const auto& streams = r->elements;
  if (streams[0].elements.size() < 2) return std::optional<QueuedJob>();
  for (const auto& entry : streams[0].elements[1].elements) {
    if (auto job = ParseEntry(entry)) return job;
  }
  return std::optional<QueuedJob>();
}

absl::Status RedisJobQueue::Touch(const std::string& consumer,
                                  const QueuedJob& job) {
  auto r = redis_->Command(
      {"XCLAIM", stream_, group_, consumer, "0", job.entry_id, "JUSTID"});
  if (!r.ok()) return r.status();
  return r->is_error() ? absl::InternalError(r->str) : absl::OkStatus();
}

absl::Status RedisJobQueue::Ack(const QueuedJob& job) {
  auto r = redis_->Pipeline({{"XACK", stream_, group_, job.entry_id},
                             {"XDEL", stream_, job.entry_id}});
  return r.ok() ? absl::OkStatus() : r.status();
}

}  // namespace ttads::audience
