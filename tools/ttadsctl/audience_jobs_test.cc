// How a sync job is printed: the line, the text and the JSON, with and
// without an ETA.
#include "tools/ttadsctl/audience_jobs.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ttads::ttadsctl {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
namespace v1 = ::ttads::audience::v1;

v1::SyncJob Running(int64_t eta_seconds, int32_t eta_nanos = 0) {
  v1::SyncJob job;
  job.set_job_id("job_a");
  job.set_audience_id("aud_b");
  job.set_advertiser_id("7101");
  job.set_operation(v1::MEMBER_OPERATION_ADD);
  job.set_source(v1::SYNC_JOB_SOURCE_DISQUALIFICATION);
  job.set_state(v1::SYNC_JOB_STATE_RUNNING);
  job.set_total(3001);
  job.set_done(1001);
  job.set_percent(100.0 * 1001 / 3001);
  job.mutable_eta()->set_seconds(eta_seconds);
  job.mutable_eta()->set_nanos(eta_nanos);
  job.mutable_progress_time()->set_seconds(1767225600);
  job.mutable_progress_time()->set_nanos(250000000);
  job.mutable_update_time()->set_seconds(1767225600);
  return job;
}

TEST(AudienceJobsTest, LineShowsStateProgressAndEta) {
  EXPECT_EQ(SyncJobLine(Running(4, 400000000)),
            "RUNNING 1001/3001 33.4% eta 4s\n");
  EXPECT_EQ(SyncJobLine(Running(125)), "RUNNING 1001/3001 33.4% eta 2m05s\n");
  EXPECT_EQ(SyncJobLine(Running(3723)),
            "RUNNING 1001/3001 33.4% eta 1h02m03s\n");
  v1::SyncJob queued = Running(0);
  queued.clear_eta();
  queued.set_state(v1::SYNC_JOB_STATE_QUEUED);
  EXPECT_EQ(SyncJobLine(queued), "QUEUED 1001/3001 33.4% eta -\n");
}

TEST(AudienceJobsTest, JsonCarriesTheContractsNamesAndNumbers) {
  nlohmann::json j = SyncJobJson(Running(4, 500000000));
  EXPECT_EQ(j["state"], "SYNC_JOB_STATE_RUNNING");
  EXPECT_EQ(j["operation"], "MEMBER_OPERATION_ADD");
  EXPECT_EQ(j["source"], "SYNC_JOB_SOURCE_DISQUALIFICATION");
  EXPECT_EQ(j["total"], 3001);
  EXPECT_EQ(j["done"], 1001);
  EXPECT_DOUBLE_EQ(j["eta_seconds"].get<double>(), 4.5);
  EXPECT_EQ(j["progress_time"], "2026-01-01T00:00:00.25Z");

  v1::SyncJob done = Running(0);
  done.clear_eta();
  done.clear_progress_time();
  done.set_state(v1::SYNC_JOB_STATE_FAILED);
  done.set_error_code("FAILED_PRECONDITION");
  done.set_error_reason("AUDIENCE_BELOW_MINIMUM");
  done.add_errors("too small");
  nlohmann::json f = SyncJobJson(done);
  EXPECT_TRUE(f["eta_seconds"].is_null());
  EXPECT_TRUE(f["progress_time"].is_null());
  EXPECT_EQ(f["error_reason"], "AUDIENCE_BELOW_MINIMUM");
  EXPECT_EQ(f["errors"], nlohmann::json::array({"too small"}));
  EXPECT_TRUE(IsFinal(done));
  EXPECT_FALSE(IsFinal(Running(1)));

  const std::string text = SyncJobText(done);
  EXPECT_THAT(text, HasSubstr("state: FAILED\n"));
  EXPECT_THAT(text, HasSubstr("eta: -\n"));
  EXPECT_THAT(text,
              HasSubstr("error: FAILED_PRECONDITION AUDIENCE_BELOW_MINIMUM\n"));
  EXPECT_THAT(text, HasSubstr("  too small\n"));
  EXPECT_THAT(text, Not(HasSubstr("progress_time")));
}

}  // namespace
}  // namespace ttads::ttadsctl
