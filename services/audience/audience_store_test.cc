#include "services/audience/audience_store.h"

#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/store/key_schema.h"
#include "libs/testing/status_matchers.h"
#include "services/audience/audience_test_env.h"

namespace ttads::audience {
namespace {

using ::testing::ElementsAre;
using ::ttads::testing::IsOk;
using ::ttads::testing::IsOkAndHolds;
using ::ttads::testing::StatusIs;

// The store against a private redis-server: claim fencing and how job
// records are stored.
using AudienceStoreTest = AudienceTestEnv;

TEST_F(AudienceStoreTest, FencedWritesNeedTheLatestClaim) {
  AudienceRecord a = MakeAudience(team_a_);
  JobRecord job = Sync(team_a_, a.id, Operation::kAdd, Emails(0, 10));
  EXPECT_THAT(store_->ClaimJob(team_a_.team_id, "nope", "w1"),
              StatusIs(absl::StatusCode::kNotFound));
  auto first = store_->ClaimJob(team_a_.team_id, job.id, "w1");
  ASSERT_THAT(first, IsOk());
  EXPECT_EQ(first->epoch, 1);
  EXPECT_EQ(first->attempts, 1);
  FileCheckpoint f;
  f.state = FileCheckpoint::State::kUploaded;
  f.file_path = "p0";
  f.count = 10;
  EXPECT_THAT(store_->PutFile(team_a_.team_id, job.id, IdType::kEmail, 0, f,
                              first->epoch),
              IsOk());
  auto second = store_->ClaimJob(team_a_.team_id, job.id, "w2");
  ASSERT_THAT(second, IsOk());
  EXPECT_EQ(second->epoch, 2);
  EXPECT_EQ(second->attempts, 2);

  // Every fenced write of the first claim is refused and changes nothing.
  f.file_path = "p1";
  absl::Status s = store_->PutFile(team_a_.team_id, job.id, IdType::kEmail, 1,
                                   f, first->epoch);
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kAborted));
  EXPECT_TRUE(IsClaimLost(s)) << s;
  EXPECT_TRUE(IsClaimLost(store_->MarkFileApplied(
      team_a_.team_id, job.id, a.id, IdType::kEmail, 0, f, "h", first->epoch)));
  EXPECT_TRUE(IsClaimLost(store_->SetJobState(
      team_a_.team_id, job.id, JobState::kSucceeded, first->epoch)));
  EXPECT_TRUE(IsClaimLost(store_->FailJob(
      team_a_.team_id, job.id, absl::InternalError("x"), first->epoch)));
  ReceiveCounts c;
  c.duplicates = 5;
  EXPECT_TRUE(
      IsClaimLost(store_->AddCounts(team_a_.team_id, job.id, c, first->epoch)));
  EXPECT_EQ(store_->GetFile(team_a_.team_id, job.id, IdType::kEmail, 1)->state,
            FileCheckpoint::State::kNone);
  auto file0 = store_->GetFile(team_a_.team_id, job.id, IdType::kEmail, 0);
  EXPECT_EQ(file0->state, FileCheckpoint::State::kUploaded);
  auto j = store_->GetJob(team_a_.team_id, job.id);
  EXPECT_EQ(j->state, JobState::kQueued);
  EXPECT_EQ(j->files_uploaded, 0);
  EXPECT_EQ(j->duplicates, 0);
  EXPECT_TRUE(j->errors.empty());
  EXPECT_TRUE(store_->History(team_a_.team_id, a.id)->empty());

  // The latest claim writes; unfenced writes (receive phase) still work.
  EXPECT_THAT(store_->MarkFileApplied(team_a_.team_id, job.id, a.id,
                                      IdType::kEmail, 0, f, "h", second->epoch),
              IsOk());
  EXPECT_THAT(store_->AddCounts(team_a_.team_id, job.id, c), IsOk());
  j = store_->GetJob(team_a_.team_id, job.id);
  EXPECT_EQ(j->files_uploaded, 1);
  EXPECT_EQ(j->duplicates, 5);
  EXPECT_EQ(j->claim_owner, "w2");
}

// A job record keeps its source as the name it always stored
// ("sync"/"disqualification"), so records written before the source became
// typed read back, and records written now read in a version before.
TEST_F(AudienceStoreTest, JobSourceIsStoredByNameAndOldRecordsRead) {
  const std::string key = store::TeamKey(team_a_.team_id, "job:j_src_1");
  JobRecord job;
  job.id = "j_src_1";
  job.team_id = team_a_.team_id;
  job.audience_id = "a1";
  job.advertiser_id = "7001";
  job.source = JobSource::kDisqualification;
  ASSERT_THAT(store_->PutJob(job), IsOk());
  auto raw = redis_->pool()->Command({"HGET", key, "source"});
  ASSERT_THAT(raw, IsOk());
  EXPECT_EQ(raw->str, "disqualification");
  EXPECT_EQ(store_->GetJob(team_a_.team_id, "j_src_1")->source,
            JobSource::kDisqualification);
  // As an earlier version wrote them: the plain names, or no source field.
  ASSERT_THAT(redis_->pool()->Command({"HSET", key, "source", "sync"}), IsOk());
  EXPECT_EQ(store_->GetJob(team_a_.team_id, "j_src_1")->source,
            JobSource::kSync);
  ASSERT_THAT(
      redis_->pool()->Command({"HSET", key, "source", "disqualification"}),
      IsOk());
  EXPECT_EQ(store_->GetJob(team_a_.team_id, "j_src_1")->source,
            JobSource::kDisqualification);
  ASSERT_THAT(redis_->pool()->Command({"HDEL", key, "source"}), IsOk());
  EXPECT_EQ(store_->GetJob(team_a_.team_id, "j_src_1")->source,
            JobSource::kSync);
}

}  // namespace
}  // namespace ttads::audience
