#include "services/audience/refresh_cycle.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/testing/status_matchers.h"
#include "services/audience/audience_test_env.h"

namespace ttads::audience {
namespace {

using ::ttads::testing::IsOk;
using ::ttads::testing::IsOkAndHolds;

using RefreshCycleTest = AudienceTestEnv;

TEST_F(RefreshCycleTest, DisqualificationAppliedAtNextRefreshCycle) {
  AudienceRecord a = MakeAudience(team_a_, /*refresh=*/2);
  AudienceRecord b = MakeAudience(team_a_, /*refresh=*/2);
  Sync(team_a_, a.id, Operation::kAdd, Emails(0, 1100));
  Sync(team_a_, b.id, Operation::kAdd, Emails(0, 1100));
  auto w = Worker("w1");
  Drain(*w);
  // Every audience of the advertiser.
  auto dq = disqualifier_->Disqualify(
      team_a_, "7001", "",
      {{IdType::kEmail, {"user1@example.com", "user2@example.com"}}});
  ASSERT_THAT(dq, IsOk());
  EXPECT_EQ(dq->audience_ids.size(), 2u);
  EXPECT_EQ(dq->queued, 2);
  EXPECT_EQ(audiences_->Get(team_a_, "7001", a.id)->pending_removals, 2);
  // Not applied before the cycle is due.
  EXPECT_THAT(refresh_->RunDue(absl::Now()), IsOkAndHolds(0));
  Drain(*w);
  EXPECT_EQ(tiktok_.audiences[TikTokId(team_a_, a.id)].members.size(), 1100u);
  // Applied at the next cycle, by REMOVE jobs of source DISQUALIFICATION.
  EXPECT_THAT(refresh_->RunDue(absl::Now() + absl::Seconds(3)),
              IsOkAndHolds(2));
  auto jobs = sync_->ListJobs(team_a_, a.id, 10);
  ASSERT_THAT(jobs, IsOk());
  ASSERT_FALSE(jobs->empty());
  EXPECT_EQ(jobs->front().source, JobSource::kDisqualification);
  EXPECT_EQ(jobs->front().operation, Operation::kRemove);
  Drain(*w);
  EXPECT_EQ(tiktok_.audiences[TikTokId(team_a_, a.id)].members.size(), 1098u);
  EXPECT_EQ(tiktok_.audiences[TikTokId(team_a_, b.id)].members.size(), 1098u);
  EXPECT_FALSE(tiktok_.audiences[TikTokId(team_a_, a.id)].members.count(
      EmailDigest(normalizer_, "user1@example.com")));
  EXPECT_EQ(audiences_->Get(team_a_, "7001", a.id)->pending_removals, 0);
  // The cycle moved on: nothing due right after.
  EXPECT_THAT(refresh_->RunDue(absl::Now() + absl::Seconds(3)),
              IsOkAndHolds(0));
}

// Removals for an audience TikTok does not have yet wait for a later cycle
// (the cycle itself moves on).
TEST_F(RefreshCycleTest, RemovalsWaitUntilTheAudienceIsOnTikTok) {
  AudienceRecord a = MakeAudience(team_a_, /*refresh=*/2);
  ASSERT_THAT(
      disqualifier_->Disqualify(team_a_, "7001", a.id,
                                {{IdType::kEmail, {"user1@example.com"}}}),
      IsOk());
  const absl::Time due = absl::Now() + absl::Seconds(3);
  EXPECT_THAT(refresh_->RunDue(due), IsOkAndHolds(0));
  EXPECT_THAT(store_->PendingRemovals(team_a_.team_id, a.id), IsOkAndHolds(1));
  auto next = store_->NextRefresh(team_a_.team_id, a.id);
  ASSERT_THAT(next, IsOk());
  ASSERT_TRUE(next->has_value());
  EXPECT_EQ(absl::ToUnixMillis(**next),
            absl::ToUnixMillis(due + absl::Seconds(2)));
}

// A cycle left behind by an audience that is gone (deleted by a replica
// that died before removing its cycle) is dropped.
TEST_F(RefreshCycleTest, TheCycleOfAMissingAudienceIsDropped) {
  ASSERT_THAT(redis_->pool()->Command({"ZADD", "ttads:audience:refresh", "1000",
                                       team_a_.team_id + "|aud_gone"}),
              IsOk());
  EXPECT_THAT(refresh_->RunDue(absl::Now()), IsOkAndHolds(0));
  auto left = redis_->pool()->Command({"ZCARD", "ttads:audience:refresh"});
  ASSERT_THAT(left, IsOk());
  EXPECT_EQ(left->integer, 0);
}

}  // namespace
}  // namespace ttads::audience
