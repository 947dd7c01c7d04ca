#include "services/audience/disqualifier.h"

#include <string>

#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "libs/status/status.h"
#include "libs/testing/field_violations.h"
#include "libs/testing/status_matchers.h"
#include "services/audience/audience_test_env.h"

namespace ttads::audience {
namespace {

using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;
using ::ttads::testing::FirstViolatedField;
using ::ttads::testing::IsOk;
using ::ttads::testing::IsOkAndHolds;
using ::ttads::testing::StatusIs;

using DisqualifierTest = AudienceTestEnv;

TEST_F(DisqualifierTest, QueuesValidRemovalsForEveryAudienceOfTheAdvertiser) {
  AudienceRecord a = MakeAudience(team_a_);
  AudienceRecord b = MakeAudience(team_a_);
  auto dq = disqualifier_->Disqualify(
      team_a_, "7001", "",
      {{IdType::kEmail,
        {"user1@example.com", "user2@example.com", "not-an-email"}}});
  ASSERT_THAT(dq, IsOk());
  EXPECT_THAT(dq->audience_ids, UnorderedElementsAre(a.id, b.id));
  EXPECT_EQ(dq->queued, 2);
  EXPECT_THAT(store_->PendingRemovals(team_a_.team_id, a.id), IsOkAndHolds(2));
  EXPECT_THAT(store_->PendingRemovals(team_a_.team_id, b.id), IsOkAndHolds(2));
  // Queuing the same identifiers again changes nothing.
  auto again = disqualifier_->Disqualify(
      team_a_, "7001", a.id, {{IdType::kEmail, {"USER1@example.com"}}});
  ASSERT_THAT(again, IsOk());
  EXPECT_THAT(again->audience_ids, ElementsAre(a.id));
  EXPECT_THAT(store_->PendingRemovals(team_a_.team_id, a.id), IsOkAndHolds(2));
}

TEST_F(DisqualifierTest, RefusesRequestsWithNothingToQueue) {
  AudienceRecord a = MakeAudience(team_a_);
  auto none_valid = disqualifier_->Disqualify(
      team_a_, "7001", a.id, {{IdType::kEmail, {"not-an-email", ""}}});
  ASSERT_THAT(none_valid, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(FirstViolatedField(none_valid.status()), "batches");
  auto no_target = disqualifier_->Disqualify(
      team_a_, "", "", {{IdType::kEmail, {"user1@example.com"}}});
  ASSERT_THAT(no_target, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(FirstViolatedField(no_target.status()), "advertiser_id");
  auto bad_region = disqualifier_->Disqualify(
      team_a_, "7001", a.id, {{IdType::kEmail, {"user1@example.com"}}}, "UK");
  ASSERT_THAT(bad_region, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(FirstViolatedField(bad_region.status()), "default_region");
  EXPECT_THAT(store_->PendingRemovals(team_a_.team_id, a.id), IsOkAndHolds(0));
}

// Phone numbers are hashed with each audience's region unless told.
TEST_F(DisqualifierTest, PhoneNumbersAreReadInTheAudiencesRegionUnlessTold) {
  auto gb = audiences_->Create(team_a_, {.advertiser_id = "7001",
                                         .name = "UK list",
                                         .identifier_types = {2},
                                         .default_region = "GB"});
  ASSERT_THAT(gb, IsOk());
  auto us = audiences_->Create(
      team_a_,
      {.advertiser_id = "7001", .name = "US list", .identifier_types = {2}});
  ASSERT_THAT(us, IsOk());
  const std::string uk = "020 7946 0958";
  auto dq = disqualifier_->Disqualify(team_a_, "7001", gb->record.id,
                                      {Batch{IdType::kPhone, {uk}}});
  ASSERT_THAT(dq, IsOk());
  EXPECT_EQ(dq->queued, 1);
  EXPECT_THAT(disqualifier_->Disqualify(team_a_, "7001", us->record.id,
                                        {Batch{IdType::kPhone, {uk}}}),
              StatusIs(absl::StatusCode::kInvalidArgument));
  auto told = disqualifier_->Disqualify(team_a_, "7001", us->record.id,
                                        {Batch{IdType::kPhone, {uk}}}, "GB");
  ASSERT_THAT(told, IsOk());
  EXPECT_EQ(told->queued, 1);
}

// An audience without a refresh cycle (e.g. one whose cycle entry was lost)
// gets one, so its removals are applied.
TEST_F(DisqualifierTest, SchedulesARefreshForAnAudienceWithoutOne) {
  AudienceRecord a = MakeAudience(team_a_, /*refresh=*/60);
  ASSERT_THAT(redis_->pool()->Command({"ZREM", "ttads:audience:refresh",
                                       team_a_.team_id + "|" + a.id}),
              IsOk());
  auto none = store_->NextRefresh(team_a_.team_id, a.id);
  ASSERT_THAT(none, IsOk());
  ASSERT_FALSE(none->has_value());
  const absl::Time before = absl::Now();
  ASSERT_THAT(
      disqualifier_->Disqualify(team_a_, "7001", a.id,
                                {{IdType::kEmail, {"user1@example.com"}}}),
      IsOk());
  auto next = store_->NextRefresh(team_a_.team_id, a.id);
  ASSERT_THAT(next, IsOk());
  ASSERT_TRUE(next->has_value());
  EXPECT_GE(**next, before + absl::Seconds(59));
}

TEST_F(DisqualifierTest, TenantIsolation) {
  AudienceRecord a = MakeAudience(team_a_);
  EXPECT_THAT(disqualifier_->Disqualify(team_b_, "7001", a.id,
                                        {{IdType::kEmail, {"a@b.com"}}}),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(store_->PendingRemovals(team_a_.team_id, a.id), IsOkAndHolds(0));
}

}  // namespace
}  // namespace ttads::audience
