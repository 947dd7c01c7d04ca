#include "services/audience/sync_upload.h"

#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "libs/idempotency/idempotency_store.h"
#include "libs/idempotency/request_digest.h"
#include "libs/status/status.h"
#include "libs/testing/field_violations.h"
#include "libs/testing/status_matchers.h"
#include "services/audience/audience_test_env.h"

namespace ttads::audience {
namespace {

using ::testing::SizeIs;
using ::ttads::testing::FirstViolatedField;
using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;

class SyncUploadTest : public AudienceTestEnv {
 protected:
  void SetUp() override {
    AudienceTestEnv::SetUp();
    idempotency_ =
        std::make_unique<idempotency::IdempotencyStore>(redis_->pool());
    audience_ = MakeAudience(team_a_);
  }

  // The messages of one stream: the first names the audience, then one
  // message per 100 e-mails of [from, to).
  std::vector<v1::SyncMembersRequest> Stream(const std::string& request_id,
                                             int from, int to) {
    std::vector<v1::SyncMembersRequest> messages(1);
    messages[0].set_audience_id(audience_.id);
    messages[0].set_operation(v1::MEMBER_OPERATION_ADD);
    messages[0].set_request_id(request_id);
    for (int i = from; i < to; i += 100) {
      v1::SyncMembersRequest& m = messages.emplace_back();
      auto* b = m.add_batches();
      b->set_type(v1::IDENTIFIER_TYPE_EMAIL);
      for (const auto& e : Emails(i, std::min(to, i + 100))) b->add_values(e);
    }
    return messages;
  }

  absl::StatusOr<v1::SyncJob> Upload(
      const std::vector<v1::SyncMembersRequest>& messages) {
    SyncUpload upload(sync_.get(), idempotency_.get());
    for (size_t i = 0; i < messages.size(); ++i) {
      absl::Status s = upload.Add(team_a_, messages[i], static_cast<int>(i));
      if (!s.ok()) {
        upload.Abort(s);
        return s;
      }
    }
    return upload.Finish(team_a_, absl::InfiniteFuture());
  }

  std::unique_ptr<idempotency::IdempotencyStore> idempotency_;
  AudienceRecord audience_;
};

TEST_F(SyncUploadTest, AStreamBecomesOneQueuedJob) {
  auto job = Upload(Stream("", 0, 250));
  ASSERT_THAT(job, IsOk());
  EXPECT_EQ(job->state(), v1::SYNC_JOB_STATE_QUEUED);
  EXPECT_EQ(job->received(), 250);
  EXPECT_EQ(job->audience_id(), audience_.id);
  EXPECT_EQ(job->operation(), v1::MEMBER_OPERATION_ADD);
}

// A retried stream under the same request_id gets the first stream's job;
// its own spooled job is deleted, never queued or listed.
TEST_F(SyncUploadTest, ADuplicateStreamGetsTheFirstJobAndLeavesNone) {
  auto first = Upload(Stream("sync-1", 0, 250));
  ASSERT_THAT(first, IsOk());
  auto again = Upload(Stream("sync-1", 0, 250));
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ(again->SerializeAsString(), first->SerializeAsString());
  EXPECT_THAT(*sync_->ListJobs(team_a_, "", 10), SizeIs(1));
  // Another stream under the key is refused and leaves nothing either.
  EXPECT_THAT(Upload(Stream("sync-1", 0, 300)),
              StatusIs(absl::StatusCode::kAlreadyExists));
  EXPECT_THAT(*sync_->ListJobs(team_a_, "", 10), SizeIs(1));
}

// Taking over a claim whose stream died before committing: that job is
// failed as superseded and this stream's job is queued.
TEST_F(SyncUploadTest, ATakenOverClaimSupersedesAnUncommittedJob) {
  SyncUpload dead(sync_.get(), idempotency_.get());
  const auto messages = Stream("sync-1", 0, 150);
  for (size_t i = 0; i < messages.size(); ++i) {
    ASSERT_THAT(dead.Add(team_a_, messages[i], static_cast<int>(i)), IsOk());
  }
  auto dead_jobs = sync_->ListJobs(team_a_, "", 10);
  ASSERT_THAT(dead_jobs, IsOk());
  ASSERT_THAT(*dead_jobs, SizeIs(1));
  const std::string dead_id = (*dead_jobs)[0].id;
  // Its owner claimed the key, recorded the job as intent and died.
  const idempotency::Key key{team_a_.team_id, "audience.SyncMembers", "sync-1"};
  idempotency::StreamDigest digest;
  for (const auto& m : messages) digest.Add(m);
  auto claim =
      idempotency_->Begin(key, digest.Finish(), absl::InfiniteFuture());
  ASSERT_THAT(claim, IsOk());
  ASSERT_THAT(idempotency_->SaveIntent(key, claim->owner, dead_id), IsOk());
  ASSERT_THAT(idempotency_->MarkUnresolved(key, claim->owner), IsOk());

  auto job = Upload(Stream("sync-1", 0, 150));
  ASSERT_THAT(job, IsOk());
  EXPECT_NE(job->job_id(), dead_id);
  EXPECT_EQ(job->state(), v1::SYNC_JOB_STATE_QUEUED);
  auto superseded = store_->GetJob(team_a_.team_id, dead_id);
  ASSERT_THAT(superseded, IsOk());
  EXPECT_EQ(superseded->state, JobState::kFailed);
  EXPECT_EQ(superseded->error_code, "ABORTED");
}

TEST_F(SyncUploadTest, BadStreamsAreRefused) {
  // No message named the audience.
  SyncUpload empty(sync_.get(), idempotency_.get());
  auto nothing = empty.Finish(team_a_, absl::InfiniteFuture());
  ASSERT_THAT(nothing, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(FirstViolatedField(nothing.status()), "audience_id");

  // An unknown identifier type fails the stream and its job.
  auto messages = Stream("", 0, 100);
  messages[1].mutable_batches(0)->set_type(static_cast<v1::IdentifierType>(9));
  auto bad_type = Upload(messages);
  ASSERT_THAT(bad_type, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(FirstViolatedField(bad_type.status()), "batches[0].type");
  auto jobs = sync_->ListJobs(team_a_, "", 10);
  ASSERT_THAT(jobs, IsOk());
  ASSERT_THAT(*jobs, SizeIs(1));
  EXPECT_EQ((*jobs)[0].state, JobState::kFailed);

  // An operation that is neither ADD nor REMOVE.
  messages = Stream("", 0, 100);
  messages[0].set_operation(v1::MEMBER_OPERATION_UNSPECIFIED);
  auto bad_op = Upload(messages);
  ASSERT_THAT(bad_op, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(FirstViolatedField(bad_op.status()), "operation");
}

}  // namespace
}  // namespace ttads::audience
