#include "libs/tiktok/limiter_worker.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/time/clock.h"

namespace ttads::tiktok {

LimiterWorker::LimiterWorker() : thread_([this] { Run(); }) {}

LimiterWorker::~LimiterWorker() { Stop(); }

void LimiterWorker::Submit(WorkClass work_class, const std::string& team,
                           Job job) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!stopped_) {
      if (work_class == WorkClass::kInteractive) {
        interactive_.push_back(std::move(job));
      } else {
        lanes_[LaneIndex(work_class)].teams[team].jobs.push_back(
            std::move(job));
      }
      cv_.notify_one();
      return;
    }
  }
  job(true);
}

void LimiterWorker::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
    cv_.notify_one();
  }
  if (thread_.joinable()) thread_.join();
}

int LimiterWorker::LaneIndex(WorkClass work_class) {
  return work_class == WorkClass::kBulk ? 1 : 0;
}

bool LimiterWorker::TakeReady(absl::Time now, Job* job, int* lane_index,
                              std::string* team, absl::Time* wake) {
  for (int i = 0; i < 2; ++i) {
    Lane& lane = lanes_[i];
    // Teams after the last one served, then from the start.
    auto start = lane.teams.upper_bound(lane.last_team);
    for (int pass = 0; pass < 2; ++pass) {
      auto begin = pass == 0 ? start : lane.teams.begin();
      auto end = pass == 0 ? lane.teams.end() : start;
      for (auto it = begin; it != end;) {
        if (it->second.jobs.empty()) {
          if (it->second.not_before <= now) {
            it = lane.teams.erase(it);
            if (pass == 0) start = lane.teams.upper_bound(lane.last_team);
            continue;
          }
          ++it;
          continue;
        }
        absl::Time ready = std::max(lane.not_before, it->second.not_before);
        if (ready <= now) {
          *job = std::move(it->second.jobs.front());
          it->second.jobs.pop_front();
          *lane_index = i;
          *team = it->first;
          lane.last_team = it->first;
          return true;
        }
        *wake = std::min(*wake, ready);
        ++it;
      }
    }
  }
  return false;
}

void LimiterWorker::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    Job job;
    int lane_index = -1;
    std::string team;
    absl::Time wake = absl::InfiniteFuture();
    if (stop_) break;
    if (!interactive_.empty()) {
      job = std::move(interactive_.front());
      interactive_.pop_front();
    } else if (!TakeReady(absl::Now(), &job, &lane_index, &team, &wake)) {
      if (wake == absl::InfiniteFuture()) {
        cv_.wait(lock);
      } else {
        cv_.wait_until(lock, absl::ToChronoTime(wake));
      }
      continue;
    }
    lock.unlock();
    std::optional<Deferred> deferred = job(false);
    lock.lock();
    if (!deferred.has_value()) continue;
    if (lane_index < 0) continue;  // interactive jobs never defer
    Lane& lane = lanes_[lane_index];
    TeamQueue& queue = lane.teams[team];
    queue.jobs.push_front(std::move(job));
    absl::Time until = absl::Now() + deferred->after;
    if (deferred->whole_lane) {
      lane.not_before = std::max(lane.not_before, until);
    } else {
      queue.not_before = std::max(queue.not_before, until);
    }
  }
  stopped_ = true;
  std::vector<Job> left;
  for (Job& job : interactive_) left.push_back(std::move(job));
  for (Lane& lane : lanes_) {
    for (auto& [name, queue] : lane.teams) {
      for (Job& job : queue.jobs) left.push_back(std::move(job));
    }
  }
  interactive_.clear();
  lanes_[0].teams.clear();
  lanes_[1].teams.clear();
  lock.unlock();
  for (Job& job : left) job(true);
}

}  // namespace ttads::tiktok
