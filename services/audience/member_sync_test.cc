#include "services/audience/member_sync.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/testing/status_matchers.h"
#include "services/audience/audience_test_env.h"

namespace ttads::audience {
namespace {

using ::testing::IsEmpty;
using ::testing::SizeIs;
using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;

using MemberSyncTest = AudienceTestEnv;

TEST_F(MemberSyncTest, BeginWritesAReceivingJobActingAsTheAudienceOwner) {
  AudienceRecord a = MakeAudience(team_a_);
  Requester manager{team_a_.team_id, "mb_9", "manager"};
  auto session = sync_->Begin(manager, "7001", a.id, Operation::kRemove);
  ASSERT_THAT(session, IsOk());
  auto job = store_->GetJob(team_a_.team_id, (*session)->job().id);
  ASSERT_THAT(job, IsOk());
  EXPECT_EQ(job->state, JobState::kReceiving);
  EXPECT_EQ(job->operation, Operation::kRemove);
  EXPECT_EQ(job->source, JobSource::kSync);
  EXPECT_EQ(job->audience_id, a.id);
  EXPECT_EQ(job->member_id, "mb_1");
  EXPECT_EQ(job->role, "owner");
}

TEST_F(MemberSyncTest, BeginRefusesAMissingAudienceOperationOrBadRegion) {
  AudienceRecord a = MakeAudience(team_a_);
  EXPECT_THAT(sync_->Begin(team_a_, "7001", "", Operation::kAdd),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(sync_->Begin(team_a_, "7001", a.id, static_cast<Operation>(0)),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(
      sync_->Begin(team_a_, "7001", a.id, Operation::kAdd, "Great Britain"),
      StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(sync_->Begin(team_a_, "7001", "aud_nope", Operation::kAdd),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(*sync_->ListJobs(team_a_, "", 10), IsEmpty());
}

// The phone region: the upload's, else the audience's, else the process's.
TEST_F(MemberSyncTest, PhoneRegionPerAudienceAndPerUpload) {
  auto gb = audiences_->Create(team_a_, {.advertiser_id = "7001",
                                         .name = "UK list",
                                         .identifier_types = {2},
                                         .default_region = "gb"});
  ASSERT_THAT(gb, IsOk());
  auto us = audiences_->Create(
      team_a_,
      {.advertiser_id = "7001", .name = "US list", .identifier_types = {2}});
  ASSERT_THAT(us, IsOk());

  const std::string uk = "020 7946 0958";
  JobRecord on_gb =
      Sync(team_a_, gb->record.id, Operation::kAdd, {uk}, IdType::kPhone);
  EXPECT_EQ(on_gb.invalid.count("bad_phone"), 0u);
  JobRecord on_us =
      Sync(team_a_, us->record.id, Operation::kAdd, {uk}, IdType::kPhone);
  EXPECT_EQ(on_us.invalid["bad_phone"], 1);

  auto session =
      sync_->Begin(team_a_, "7001", us->record.id, Operation::kAdd, "GB");
  ASSERT_THAT(session, IsOk());
  EXPECT_EQ((*session)->default_region(), "GB");
  ASSERT_THAT((*session)->AddBatch(IdType::kPhone, &uk, 1), IsOk());
  auto job = (*session)->Finish();
  ASSERT_THAT(job, IsOk());
  EXPECT_EQ(job->invalid.count("bad_phone"), 0u);
}

TEST_F(MemberSyncTest, ListJobsNewestFirstPerAudienceAndPaged) {
  AudienceRecord a = MakeAudience(team_a_);
  AudienceRecord b = MakeAudience(team_a_);
  JobRecord first = Sync(team_a_, a.id, Operation::kAdd, Emails(0, 10));
  Sync(team_a_, b.id, Operation::kAdd, Emails(0, 10));
  JobRecord third = Sync(team_a_, a.id, Operation::kAdd, Emails(10, 20));
  EXPECT_THAT(*sync_->ListJobs(team_a_, "", 10), SizeIs(3));
  auto of_a = sync_->ListJobs(team_a_, a.id, 10);
  ASSERT_THAT(of_a, IsOk());
  ASSERT_THAT(*of_a, SizeIs(2));
  EXPECT_EQ((*of_a)[0].id, third.id);
  EXPECT_EQ((*of_a)[1].id, first.id);

  auto page = sync_->ListJobsPage(team_a_, a.id, PageRequest::Of(1, ""));
  ASSERT_THAT(page, IsOk());
  ASSERT_THAT(page->items, SizeIs(1));
  EXPECT_EQ(page->items[0].id, third.id);
  EXPECT_EQ(page->next_page_token, "1");
  page = sync_->ListJobsPage(team_a_, a.id, PageRequest::Of(1, "1"));
  ASSERT_THAT(page, IsOk());
  ASSERT_THAT(page->items, SizeIs(1));
  EXPECT_EQ(page->items[0].id, first.id);
  EXPECT_EQ(page->next_page_token, "");
}

// What a SyncMembers retry finds of an earlier stream under its
// request_id: a committed job is answered; a job still RECEIVING (its
// stream died) is superseded; an unknown one is absent.
TEST_F(MemberSyncTest, CommittedJobSupersedesAJobStillReceiving) {
  AudienceRecord a = MakeAudience(team_a_);
  JobRecord queued = Sync(team_a_, a.id, Operation::kAdd, Emails(0, 10));
  auto found = sync_->CommittedJob(team_a_, queued.id);
  ASSERT_THAT(found, IsOk());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->id, queued.id);

  auto receiving = sync_->Begin(team_a_, "7001", a.id, Operation::kAdd);
  ASSERT_THAT(receiving, IsOk());
  const std::string dead = (*receiving)->job().id;
  auto superseded = sync_->CommittedJob(team_a_, dead);
  ASSERT_THAT(superseded, IsOk());
  EXPECT_FALSE(superseded->has_value());
  auto failed = store_->GetJob(team_a_.team_id, dead);
  ASSERT_THAT(failed, IsOk());
  EXPECT_EQ(failed->state, JobState::kFailed);
  EXPECT_EQ(failed->error_code, "ABORTED");

  auto unknown = sync_->CommittedJob(team_a_, "job_nope");
  ASSERT_THAT(unknown, IsOk());
  EXPECT_FALSE(unknown->has_value());
  // Another team's job is unknown to the caller and left alone.
  auto other = sync_->CommittedJob(team_b_, queued.id);
  ASSERT_THAT(other, IsOk());
  EXPECT_FALSE(other->has_value());
}

TEST_F(MemberSyncTest, TenantIsolation) {
  AudienceRecord a = MakeAudience(team_a_);
  JobRecord job = Sync(team_a_, a.id, Operation::kAdd, Emails(0, 10));
  EXPECT_THAT(sync_->GetJob(team_b_, job.id),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(sync_->Begin(team_b_, "7001", a.id, Operation::kAdd),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(*sync_->ListJobs(team_b_, "", 10), IsEmpty());
  EXPECT_THAT(*sync_->ListJobs(team_a_, "", 10), SizeIs(1));
}

}  // namespace
}  // namespace ttads::audience
