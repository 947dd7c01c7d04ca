#include "libs/tiktok/in_memory_rate_limiter.h"

#include <algorithm>
#include <limits>
#include <utility>
#include <vector>

namespace ttads::tiktok {

InMemoryRateLimiter::InMemoryRateLimiter(RateLimitPolicy policy,
                                         std::function<absl::Time()> now)
    : policy_(policy), now_(std::move(now)) {}

absl::StatusOr<Reservation> InMemoryRateLimiter::Reserve(
    const RateLimitRequest& request, absl::Duration max_wait) {
  std::vector<Bucket> buckets = BucketsFor(policy_, request);
  absl::MutexLock lock(&mu_);
  absl::Time now = now_();
  absl::Time latest = absl::InfinitePast();
  for (const Bucket& bucket : buckets) {
    auto it = tat_.find(BucketKey(request.app_id, bucket.name));
    if (it != tat_.end()) latest = std::max(latest, it->second);
  }
  absl::Time send_at = std::max(now, latest);
  auto book = [&] {
    for (const Bucket& bucket : buckets) {
      tat_[BucketKey(request.app_id, bucket.name)] = send_at + bucket.interval;
    }
  };
  Reservation reservation;
  if (request.work_class == WorkClass::kInteractive) {
    reservation.wait = send_at - now;
    if (reservation.wait > max_wait) return reservation;
    book();
    reservation.granted = true;
    return reservation;
  }

  const absl::Duration first = buckets.front().interval;
  const absl::Duration window = policy_.fair_share_window;
  Lane& lane = lanes_[LaneKey(request.app_id, request.work_class, "")];
  for (auto it = lane.seen.begin(); it != lane.seen.end();) {
    if (it->second <= now - window) {
      lane.vt.erase(it->first);
      lane.pending.erase(it->first);
      lane.seen.erase(it++);
    } else {
      ++it;
    }
  }
  const std::string team = request.team_id.empty() ? "-" : request.team_id;
  lane.seen[team] = now;
  const double weight = request.weight > 0 ? request.weight : 1.0;
  const double cost = 1.0 / weight;
  double start = lane.clock;
  if (auto it = lane.pending.find(team); it != lane.pending.end()) {
    start = it->second;  // still waiting: keeps its place
  } else if (auto it = lane.vt.find(team); it != lane.vt.end()) {
    start = std::max(start, it->second);
  }
  double floor = std::numeric_limits<double>::infinity();
  for (const auto& [other, other_start] : lane.pending) {
    if (other != team) floor = std::min(floor, other_start);
  }
  if (start > floor + cost + 1e-9) {
    lane.pending[team] = start;
    reservation.deferral = Deferral::kOverShare;
    reservation.wait = std::clamp(first * ((start - floor - cost) * weight),
                                  first, std::max(first, window / 2));
    return reservation;
  }
  absl::Time free_at = latest;
  if (request.work_class == WorkClass::kBulk) free_at += first;
  if (free_at > now) {
    lane.pending[team] = start;
    reservation.deferral = Deferral::kLaneBusy;
    reservation.wait = free_at - now;
    return reservation;
  }
  book();
  lane.vt[team] = start + cost;
  lane.pending.erase(team);
  lane.clock = std::max(lane.clock, std::min(start, floor));
  reservation.granted = true;
  return reservation;
}

}  // namespace ttads::tiktok
