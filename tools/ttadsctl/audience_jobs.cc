#include "tools/ttadsctl/audience_jobs.h"

#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "libs/status/status.h"
#include "libs/status/status_macros.h"
#include "ttads/audience/v1/audience_service.grpc.pb.h"

namespace ttads::ttadsctl {
namespace {

namespace v1 = ::ttads::audience::v1;
using nlohmann::json;

std::string Rfc3339(const google::protobuf::Timestamp& ts) {
  return absl::FormatTime(
      "%Y-%m-%dT%H:%M:%E*SZ",
      absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos()),
      absl::UTCTimeZone());
}

double Seconds(const google::protobuf::Duration& d) {
  return static_cast<double>(d.seconds()) + d.nanos() / 1e9;
}

// "RUNNING" from SYNC_JOB_STATE_RUNNING.
std::string ShortState(v1::SyncJobState state) {
  std::string name = v1::SyncJobState_Name(state);
  constexpr std::string_view kPrefix = "SYNC_JOB_STATE_";
  if (name.rfind(kPrefix, 0) == 0) name = name.substr(kPrefix.size());
  return name.empty() ? absl::StrFormat("%d", static_cast<int>(state)) : name;
}

// "1h02m03s", "45s", "-" when unknown.
std::string Eta(const v1::SyncJob& job) {
  if (!job.has_eta()) return "-";
  const int64_t s = static_cast<int64_t>(Seconds(job.eta()) + 0.5);
  if (s >= 3600) {
    return absl::StrFormat("%dh%02dm%02ds", s / 3600, s / 60 % 60, s % 60);
  }
  if (s >= 60) return absl::StrFormat("%dm%02ds", s / 60, s % 60);
  return absl::StrFormat("%ds", s);
}

absl::Status CheckJobId(const std::string& job_id) {
  if (job_id.empty()) {
    return status::InvalidArgument("a job id is required",
                                   {{"job_id", "required"}});
  }
  return absl::OkStatus();
}

}  // namespace

bool IsFinal(const v1::SyncJob& job) {
  return job.state() == v1::SYNC_JOB_STATE_SUCCEEDED ||
         job.state() == v1::SYNC_JOB_STATE_FAILED;
}

json SyncJobJson(const v1::SyncJob& job) {
  json errors = json::array();
  for (const std::string& e : job.errors()) errors.push_back(e);
  return {
      {"job_id", job.job_id()},
      {"audience_id", job.audience_id()},
      {"advertiser_id", job.advertiser_id()},
      {"operation", v1::MemberOperation_Name(job.operation())},
      {"source", v1::SyncJobSource_Name(job.source())},
      {"state", v1::SyncJobState_Name(job.state())},
      {"total", job.total()},
      {"done", job.done()},
      {"percent", job.percent()},
      {"eta_seconds", job.has_eta() ? json(Seconds(job.eta())) : json(nullptr)},
      {"progress_time", job.has_progress_time()
                            ? json(Rfc3339(job.progress_time()))
                            : json(nullptr)},
      {"create_time", Rfc3339(job.create_time())},
      {"update_time", Rfc3339(job.update_time())},
      {"received", job.received()},
      {"duplicates", job.duplicates()},
      {"files_uploaded", job.files_uploaded()},
      {"error_code", job.error_code()},
      {"error_reason", job.error_reason()},
      {"errors", std::move(errors)},
  };
}

std::string SyncJobText(const v1::SyncJob& job) {
  std::string text = absl::StrFormat(
      "job: %s\naudience: %s\nadvertiser: %s\noperation: %s\nstate: %s\n"
      "total: %d\ndone: %d\npercent: %.1f\neta: %s\n",
      job.job_id(), job.audience_id(), job.advertiser_id(),
      v1::MemberOperation_Name(job.operation()), ShortState(job.state()),
      job.total(), job.done(), job.percent(), Eta(job));
  if (job.has_progress_time()) {
    text += "progress_time: " + Rfc3339(job.progress_time()) + "\n";
  }
  text += "update_time: " + Rfc3339(job.update_time()) + "\n";
  if (!job.error_code().empty()) {
    text += "error: " + job.error_code() + " " + job.error_reason() + "\n";
  }
  for (const std::string& e : job.errors()) text += "  " + e + "\n";
  return text;
}

std::string SyncJobLine(const v1::SyncJob& job) {
  return absl::StrFormat("%s %d/%d %.1f%% eta %s\n", ShortState(job.state()),
                         job.done(), job.total(), job.percent(), Eta(job));
}

absl::StatusOr<v1::SyncJob> GetSyncJob(const ApiConnection& api,
                                       const std::string& job_id) {
  TTADS_RETURN_IF_ERROR(CheckJobId(job_id));
  auto stub = v1::AudienceService::NewStub(ApiChannel(api.address));
  grpc::ClientContext context;
  PrepareCall(api, /*unary=*/true, &context);
  v1::GetSyncJobRequest request;
  request.set_job_id(job_id);
  v1::SyncJob job;
  TTADS_RETURN_IF_ERROR(
      FromServer(api, stub->GetSyncJob(&context, request, &job)));
  return job;
}

absl::StatusOr<v1::SyncJob> WatchSyncJob(
    const ApiConnection& api, const std::string& job_id,
    grpc::ClientContext* context,
    const std::function<void(const v1::SyncJob&)>& update) {
  TTADS_RETURN_IF_ERROR(CheckJobId(job_id));
  auto stub = v1::AudienceService::NewStub(ApiChannel(api.address));
  PrepareCall(api, /*unary=*/false, context);
  v1::WatchSyncJobRequest request;
  request.set_job_id(job_id);
  auto reader = stub->WatchSyncJob(context, request);
  v1::SyncJob last;
  for (v1::SyncJob job; reader->Read(&job);) {
    update(job);
    last = job;
  }
  TTADS_RETURN_IF_ERROR(FromServer(api, reader->Finish()));
  return last;
}

}  // namespace ttads::ttadsctl
