#ifndef TTADS_TOOLS_TTADSCTL_AUDIENCE_JOBS_H_
#define TTADS_TOOLS_TTADSCTL_AUDIENCE_JOBS_H_

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "grpcpp/client_context.h"
#include "nlohmann/json.hpp"
#include "tools/ttadsctl/api_connection.h"
#include "ttads/audience/v1/audience_service.pb.h"

// `ttadsctl audience job show|watch`: an audience sync job's progress
// through the audience service (ttads.audience.v1.AudienceService
// GetSyncJob / WatchSyncJob, docs/audience.md "Progress"), with an API key
// of the job's team (another team's job is NOT_FOUND).
namespace ttads::ttadsctl {

// {"job_id","audience_id","advertiser_id","operation","source","state",
//  "total","done","percent","eta_seconds","progress_time","create_time",
//  "update_time","received","duplicates","files_uploaded","error_code",
//  "error_reason","errors"}: `state` and `operation` are the contract's enum
// names (SYNC_JOB_STATE_RUNNING, ...), as the REST API prints them; counts
// are numbers; `eta_seconds` and `progress_time` are null until the service
// reports them; times are RFC 3339 UTC.
nlohmann::json SyncJobJson(const audience::v1::SyncJob& job);

// `name: value` lines (show).
std::string SyncJobText(const audience::v1::SyncJob& job);

// One line (watch): "<state> <done>/<total> <percent>% eta <eta>".
std::string SyncJobLine(const audience::v1::SyncJob& job);

// GetSyncJob.
absl::StatusOr<audience::v1::SyncJob> GetSyncJob(const ApiConnection& api,
                                                 const std::string& job_id);

// WatchSyncJob on `context` (prepared here with the key; the caller may
// TryCancel it): calls `update` for every message and answers the last one,
// which carries a final state when the stream ended OK. The server's error
// otherwise (CANCELLED when the context was cancelled).
absl::StatusOr<audience::v1::SyncJob> WatchSyncJob(
    const ApiConnection& api, const std::string& job_id,
    grpc::ClientContext* context,
    const std::function<void(const audience::v1::SyncJob&)>& update);

// SUCCEEDED or FAILED.
bool IsFinal(const audience::v1::SyncJob& job);

}  // namespace ttads::ttadsctl

#endif  // TTADS_TOOLS_TTADSCTL_AUDIENCE_JOBS_H_
