#include "libs/tiktok/limiter_worker.h"

#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "absl/synchronization/notification.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ttads::tiktok {
namespace {

using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

// Records which jobs ran, in order, and whether they ran cancelled.
class Log {
 public:
  LimiterWorker::Job Job(std::string name,
                         std::optional<LimiterWorker::Deferred> answer = {},
                         absl::Notification* ran = nullptr) {
    return [this, name, answer, ran](bool cancelled) {
      {
        std::lock_guard<std::mutex> lock(mu_);
        (cancelled ? cancelled_ : ran_).push_back(name);
      }
      if (ran != nullptr && !cancelled) ran->Notify();
      return cancelled ? std::nullopt : answer;
    };
  }
  std::vector<std::string> ran() {
    std::lock_guard<std::mutex> lock(mu_);
    return ran_;
  }
  std::vector<std::string> cancelled() {
    std::lock_guard<std::mutex> lock(mu_);
    return cancelled_;
  }

 private:
  std::mutex mu_;
  std::vector<std::string> ran_;
  std::vector<std::string> cancelled_;
};

// Holds the worker busy until released, so later submissions queue up.
LimiterWorker::Job Gate(absl::Notification* started,
                        absl::Notification* release) {
  return [started, release](bool) -> std::optional<LimiterWorker::Deferred> {
    started->Notify();
    release->WaitForNotification();
    return std::nullopt;
  };
}

TEST(LimiterWorkerTest, InteractiveFirstThenBackgroundRoundRobinThenBulk) {
  Log log;
  LimiterWorker worker;
  absl::Notification started, release, last;
  worker.Submit(WorkClass::kInteractive, "", Gate(&started, &release));
  started.WaitForNotification();
  worker.Submit(WorkClass::kBulk, "tm_c", log.Job("c1", {}, &last));
  worker.Submit(WorkClass::kBackground, "tm_b", log.Job("b1"));
  worker.Submit(WorkClass::kBackground, "tm_b", log.Job("b2"));
  worker.Submit(WorkClass::kBackground, "tm_a", log.Job("a1"));
  worker.Submit(WorkClass::kInteractive, "tm_z", log.Job("i1"));
  release.Notify();
  last.WaitForNotification();
  EXPECT_THAT(log.ran(), ElementsAre("i1", "a1", "b1", "b2", "c1"));
  EXPECT_THAT(log.cancelled(), ::testing::IsEmpty());
}

TEST(LimiterWorkerTest, TeamDeferralHoldsOnlyThatTeam) {
  Log log;
  absl::Notification b_ran;
  {
    LimiterWorker worker;
    absl::Notification started, release;
    worker.Submit(WorkClass::kInteractive, "", Gate(&started, &release));
    started.WaitForNotification();
    worker.Submit(WorkClass::kBackground, "tm_a",
                  log.Job("a1", LimiterWorker::Deferred{absl::Hours(1),
                                                        /*whole_lane=*/false}));
    worker.Submit(WorkClass::kBackground, "tm_a", log.Job("a2"));
    worker.Submit(WorkClass::kBackground, "tm_b", log.Job("b1", {}, &b_ran));
    release.Notify();
    b_ran.WaitForNotification();
  }  // Stop(): what is still queued runs cancelled.
  EXPECT_THAT(log.ran(), ElementsAre("a1", "b1"));
  EXPECT_THAT(log.cancelled(), ElementsAre("a1", "a2"));
}

TEST(LimiterWorkerTest, LaneDeferralHoldsTheLaneNotOtherLanes) {
  Log log;
  absl::Notification bulk_ran;
  {
    LimiterWorker worker;
    absl::Notification started, release;
    worker.Submit(WorkClass::kInteractive, "", Gate(&started, &release));
    started.WaitForNotification();
    worker.Submit(WorkClass::kBackground, "tm_a",
                  log.Job("a1", LimiterWorker::Deferred{absl::Hours(1),
                                                        /*whole_lane=*/true}));
    worker.Submit(WorkClass::kBackground, "tm_b", log.Job("b1"));
    worker.Submit(WorkClass::kBulk, "tm_c", log.Job("c1", {}, &bulk_ran));
    release.Notify();
    bulk_ran.WaitForNotification();
  }
  EXPECT_THAT(log.ran(), ElementsAre("a1", "c1"));
  EXPECT_THAT(log.cancelled(), UnorderedElementsAre("a1", "b1"));
}

TEST(LimiterWorkerTest, AfterStopJobsRunInlineCancelled) {
  Log log;
  LimiterWorker worker;
  worker.Stop();
  worker.Stop();  // idempotent
  worker.Submit(WorkClass::kInteractive, "", log.Job("i1"));
  worker.Submit(WorkClass::kBulk, "tm_a", log.Job("c1"));
  EXPECT_THAT(log.ran(), ::testing::IsEmpty());
  EXPECT_THAT(log.cancelled(), ElementsAre("i1", "c1"));
}

}  // namespace
}  // namespace ttads::tiktok
