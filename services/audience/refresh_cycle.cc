#include "services/audience/refresh_cycle.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "libs/status/status_macros.h"
#include "libs/store/script.h"
#include "services/audience/request_rules.h"

namespace ttads::audience {
namespace {

constexpr char kRefreshKey[] = "ttads:audience:refresh";

// Claims one refresh cycle: if `member` is due at `now`, moves it to
// `next`; returns 1 when this caller claimed it.
const store::Script& ClaimRefreshScript() {
  static const store::Script* script = new store::Script(R"(
local s = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not s or tonumber(s) > tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
return 1)");
  return *script;
}

}  // namespace

RefreshCycle::RefreshCycle(AudienceStore* store, JobQueue* queue)
    : store_(store), queue_(queue) {}

absl::StatusOr<int> RefreshCycle::RunDue(absl::Time now) {
  TTADS_ASSIGN_OR_RETURN(auto due, store_->DueRefreshes(now, 100));
  int queued = 0;
  for (const auto& [team, audience_id] : due) {
    const std::string member = team + "|" + audience_id;
    auto a = store_->GetAudience(team, audience_id);
    if (absl::IsNotFound(a.status())) {
      (void)store_->redis()->Command({"ZREM", kRefreshKey, member});
      continue;
    }
    TTADS_RETURN_IF_ERROR(a.status());
    const absl::Time next =
        now + absl::Seconds(std::max<int64_t>(1, a->refresh_interval_seconds));
    TTADS_ASSIGN_OR_RETURN(
        auto claimed,
        ClaimRefreshScript().Run(*store_->redis(), {kRefreshKey},
                                 {member, absl::StrCat(absl::ToUnixMillis(now)),
                                  absl::StrCat(absl::ToUnixMillis(next))}));
    if (claimed.integer != 1) continue;
    TTADS_ASSIGN_OR_RETURN(const int64_t pending,
                           store_->PendingRemovals(team, audience_id));
    // Removals wait until the audience exists on TikTok.
    if (pending == 0 || a->tiktok_id.empty()) continue;
    JobRecord job;
    job.id = NewRecordId("job_");
    job.team_id = team;
    job.audience_id = audience_id;
    job.advertiser_id = a->advertiser_id;
    job.operation = Operation::kRemove;
    job.state = JobState::kQueued;
    job.source = JobSource::kDisqualification;
    job.member_id = a->member_id;
    job.role = a->role;
    job.create_time = job.update_time = now;
    TTADS_RETURN_IF_ERROR(store_->PutJob(job));
    TTADS_RETURN_IF_ERROR(queue_->Enqueue(team, job.id));
    ++queued;
  }
  return queued;
}

}  // namespace ttads::audience
