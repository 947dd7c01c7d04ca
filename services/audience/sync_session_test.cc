#include "services/audience/sync_session.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/testing/status_matchers.h"
#include "services/audience/audience_test_env.h"

namespace ttads::audience {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::ttads::testing::IsOk;
using ::ttads::testing::IsOkAndHolds;
using ::ttads::testing::StatusIs;

using SyncSessionTest = AudienceTestEnv;

TEST_F(SyncSessionTest, FinishCountsWhatWasReceivedAndQueuesTheJob) {
  AudienceRecord a = MakeAudience(team_a_);
  std::vector<std::string> values = Emails(0, 240);
  values.push_back("USER5@Example.com");  // user5 after normalising
  values.push_back("not-an-email");
  values.push_back("   ");
  JobRecord job = Sync(team_a_, a.id, Operation::kAdd, values);
  EXPECT_EQ(job.state, JobState::kQueued);
  EXPECT_EQ(job.received, 243);
  EXPECT_EQ(job.invalid["bad_email"], 1);
  EXPECT_EQ(job.invalid["empty"], 1);
  EXPECT_THAT(job.samples["bad_email"], ElementsAre("not-an-email"));
  // Spooled in chunks of 100 digests.
  EXPECT_EQ(job.chunks["EMAIL"], 3);
  auto next = queue_->Next("w1", absl::Milliseconds(10));
  ASSERT_THAT(next, IsOk());
  ASSERT_TRUE(next->has_value());
  EXPECT_EQ((*next)->job_id, job.id);
}

TEST_F(SyncSessionTest, MixedHashedAndRawInOneBatchIsReported) {
  AudienceRecord a = MakeAudience(team_a_);
  const std::string hashed = EmailDigest(normalizer_, "someone@example.com");
  JobRecord job =
      Sync(team_a_, a.id, Operation::kAdd, {hashed, "raw@example.com", hashed});
  EXPECT_EQ(job.invalid["mixed_hashed_raw"], 1);
  EXPECT_EQ(job.duplicates, 1);
}

TEST_F(SyncSessionTest, AbortFailsTheJobWithTheReason) {
  AudienceRecord a = MakeAudience(team_a_);
  auto session = sync_->Begin(team_a_, "7001", a.id, Operation::kAdd);
  ASSERT_THAT(session, IsOk());
  const std::vector<std::string> values = Emails(0, 10);
  ASSERT_THAT((*session)->AddBatch(IdType::kEmail, values.data(), 10), IsOk());
  (*session)->Abort(absl::CancelledError("client went away"));
  auto job = store_->GetJob(team_a_.team_id, (*session)->job().id);
  ASSERT_THAT(job, IsOk());
  EXPECT_EQ(job->state, JobState::kFailed);
  EXPECT_EQ(job->error_code, "CANCELLED");
  ASSERT_FALSE(job->errors.empty());
  EXPECT_THAT(job->errors.back(),
              HasSubstr("stream aborted: client went away"));
  auto next = queue_->Next("w1", absl::Milliseconds(10));
  ASSERT_THAT(next, IsOk());
  EXPECT_FALSE(next->has_value());
}

TEST_F(SyncSessionTest, DiscardDeletesTheJobAndItsChunks) {
  AudienceRecord a = MakeAudience(team_a_);
  auto session = sync_->Begin(team_a_, "7001", a.id, Operation::kAdd);
  ASSERT_THAT(session, IsOk());
  const std::vector<std::string> values = Emails(0, 250);
  ASSERT_THAT((*session)->AddBatch(IdType::kEmail, values.data(), 250), IsOk());
  const std::string id = (*session)->job().id;
  auto chunk = store_->ReadChunk(team_a_.team_id, id, IdType::kEmail, 0, 0, 1);
  ASSERT_THAT(chunk, IsOk());
  EXPECT_EQ(chunk->size(), 32u);
  (*session)->Discard();
  EXPECT_THAT(store_->GetJob(team_a_.team_id, id),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(store_->ReadChunk(team_a_.team_id, id, IdType::kEmail, 0, 0, 1),
              IsOkAndHolds(""));
}

}  // namespace
}  // namespace ttads::audience
