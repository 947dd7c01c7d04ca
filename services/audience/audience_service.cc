#include "services/audience/audience_service.h"

#include <memory>
#include <mutex>
#include <utility>

#include "libs/server/streams.h"
#include "libs/status/status_macros.h"
#include "services/audience/sync_upload.h"

namespace ttads::audience {
namespace {

Requester From(const server::CallContext& call) {
  return {call.caller.team_id, call.caller.member_id, call.caller.role};
}

}  // namespace

grpc::ServerUnaryReactor* AudienceServiceImpl::CreateAudience(
    grpc::CallbackServerContext* ctx, const v1::CreateAudienceRequest* req,
    v1::Audience* resp) {
  return server::HandleUnary<v1::CreateAudienceRequest, v1::Audience>(
      *env_, ctx, req, resp, "CreateAudience",
      [this](const server::CallContext& call,
             const v1::CreateAudienceRequest& r,
             v1::Audience* out) -> absl::Status {
        TTADS_ASSIGN_OR_RETURN(*out, domain_.mutations->CreateAudience(
                                         From(call), call.deadline, r));
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* AudienceServiceImpl::ListAudiences(
    grpc::CallbackServerContext* ctx, const v1::ListAudiencesRequest* req,
    v1::ListAudiencesResponse* resp) {
  return server::HandleUnary<v1::ListAudiencesRequest,
                             v1::ListAudiencesResponse>(
      *env_, ctx, req, resp, "ListAudiences",
      [this](const server::CallContext& call, const v1::ListAudiencesRequest& r,
             v1::ListAudiencesResponse* out) -> absl::Status {
        TTADS_ASSIGN_OR_RETURN(
            Page<AudienceRecord> page,
            domain_.audiences->ListPage(
                From(call), r.advertiser_id(),
                PageRequest::Of(r.page_size(), r.page_token())));
        for (AudienceRecord& a : page.items) {
          AudienceView view;
          view.record = std::move(a);
          ToProto(view, out->add_audiences());
        }
        out->set_next_page_token(page.next_page_token);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* AudienceServiceImpl::GetAudience(
    grpc::CallbackServerContext* ctx, const v1::GetAudienceRequest* req,
    v1::Audience* resp) {
  return server::HandleUnary<v1::GetAudienceRequest, v1::Audience>(
      *env_, ctx, req, resp, "GetAudience",
      [this](const server::CallContext& call, const v1::GetAudienceRequest& r,
             v1::Audience* out) -> absl::Status {
        TTADS_ASSIGN_OR_RETURN(
            const AudienceView view,
            domain_.audiences->Get(From(call), r.advertiser_id(),
                                   r.audience_id()));
        ToProto(view, out);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* AudienceServiceImpl::DeleteAudience(
    grpc::CallbackServerContext* ctx, const v1::DeleteAudienceRequest* req,
    v1::DeleteAudienceResponse* resp) {
  return server::HandleUnary<v1::DeleteAudienceRequest,
                             v1::DeleteAudienceResponse>(
      *env_, ctx, req, resp, "DeleteAudience",
      [this](const server::CallContext& call,
             const v1::DeleteAudienceRequest& r,
             v1::DeleteAudienceResponse* out) -> absl::Status {
        TTADS_ASSIGN_OR_RETURN(*out, domain_.mutations->DeleteAudience(
                                         From(call), call.deadline, r));
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* AudienceServiceImpl::GetSyncJob(
    grpc::CallbackServerContext* ctx, const v1::GetSyncJobRequest* req,
    v1::SyncJob* resp) {
  return server::HandleUnary<v1::GetSyncJobRequest, v1::SyncJob>(
      *env_, ctx, req, resp, "GetSyncJob",
      [this](const server::CallContext& call, const v1::GetSyncJobRequest& r,
             v1::SyncJob* out) -> absl::Status {
        TTADS_ASSIGN_OR_RETURN(const JobRecord job,
                               domain_.sync->GetJob(From(call), r.job_id()));
        ToProto(job, out);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* AudienceServiceImpl::ListSyncJobs(
    grpc::CallbackServerContext* ctx, const v1::ListSyncJobsRequest* req,
    v1::ListSyncJobsResponse* resp) {
  return server::HandleUnary<v1::ListSyncJobsRequest, v1::ListSyncJobsResponse>(
      *env_, ctx, req, resp, "ListSyncJobs",
      [this](const server::CallContext& call, const v1::ListSyncJobsRequest& r,
             v1::ListSyncJobsResponse* out) -> absl::Status {
        TTADS_ASSIGN_OR_RETURN(
            const Page<JobRecord> page,
            domain_.sync->ListJobsPage(
                From(call), r.audience_id(),
                PageRequest::Of(r.page_size(), r.page_token())));
        for (const JobRecord& job : page.items) ToProto(job, out->add_jobs());
        out->set_next_page_token(page.next_page_token);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* AudienceServiceImpl::DisqualifyMembers(
    grpc::CallbackServerContext* ctx, const v1::DisqualifyMembersRequest* req,
    v1::DisqualifyMembersResponse* resp) {
  return server::HandleUnary<v1::DisqualifyMembersRequest,
                             v1::DisqualifyMembersResponse>(
      *env_, ctx, req, resp, "DisqualifyMembers",
      [this](const server::CallContext& call,
             const v1::DisqualifyMembersRequest& r,
             v1::DisqualifyMembersResponse* out) -> absl::Status {
        TTADS_ASSIGN_OR_RETURN(*out, domain_.mutations->DisqualifyMembers(
                                         From(call), call.deadline, r));
        return absl::OkStatus();
      });
}

namespace {

// One SyncMembers stream through the shared client-stream pipeline
// (server::ClientStreamReactor: auth, per-message decode and contract
// checks, error details, metrics, access log), each message handed to the
// stream's SyncUpload.
class SyncReactor
    : public server::ClientStreamReactor<v1::SyncMembersRequest, v1::SyncJob> {
 public:
  SyncReactor(const server::ServiceEnv* env, const AudienceDomain& domain,
              grpc::CallbackServerContext* ctx, grpc::ByteBuffer* resp)
      : ClientStreamReactor(env, ctx, resp, "SyncMembers"),
        upload_(domain.sync, domain.idempotency) {
    Begin();
  }

 protected:
  absl::Status OnMessage(const server::CallContext& call,
                         v1::SyncMembersRequest& req, int index) override {
    return upload_.Add(From(call), req, index);
  }

  absl::Status OnEnd(const server::CallContext& call, int,
                     v1::SyncJob* out) override {
    TTADS_ASSIGN_OR_RETURN(*out, upload_.Finish(From(call), call.deadline));
    return absl::OkStatus();
  }

  void OnAbort(const absl::Status& why) override { upload_.Abort(why); }

 private:
  SyncUpload upload_;
};

}  // namespace

grpc::ServerReadReactor<grpc::ByteBuffer>* AudienceServiceImpl::SyncMembers(
    grpc::CallbackServerContext* ctx, grpc::ByteBuffer* resp) {
  return new SyncReactor(env_, domain_, ctx, resp);
}

namespace {

// One WatchSyncJob stream on libs/server's server-streaming pipeline
// (request id, authentication, validation, one status mapping, metrics and
// access log). On start it reads the job as the caller's team (NOT_FOUND
// for another team's), sends it, and ends there when it is final; else it
// registers with the hub, which sends each change and ends the stream after
// the final state (or with NOT_FOUND if the job is deleted). When the stream
// is over it unregisters.
class WatchJobReactor
    : public server::ServerStreamReactor<v1::WatchSyncJobRequest, v1::SyncJob> {
 public:
  WatchJobReactor(const server::ServiceEnv* env, MemberSync* sync,
                  JobWatchHub* hub, grpc::CallbackServerContext* ctx,
                  const v1::WatchSyncJobRequest* req)
      : ServerStreamReactor(env, ctx, req, "WatchSyncJob"),
        sync_(sync),
        hub_(hub) {
    Begin();
  }

 protected:
  absl::Status OnStart(const server::CallContext& call,
                       const v1::WatchSyncJobRequest& req) override {
    TTADS_ASSIGN_OR_RETURN(JobRecord job,
                           sync_->GetJob(From(call), req.job_id()));
    v1::SyncJob first;
    ToProto(job, &first);
    Send(std::move(first));
    if (IsFinal(job.state)) {
      End(absl::OkStatus());
      return absl::OkStatus();
    }
    TTADS_ASSIGN_OR_RETURN(
        int handle,
        hub_->Add(job, [this](const absl::StatusOr<JobRecord>& changed) {
          // Not a plain early return: a failed read ends the stream.
          if (!changed.ok()) return End(changed.status());
          v1::SyncJob message;
          ToProto(*changed, &message);
          Send(std::move(message));
          if (IsFinal(changed->state)) End(absl::OkStatus());
        }));
    std::lock_guard<std::mutex> lock(handle_mu_);
    handle_ = handle;
    return absl::OkStatus();
  }

  // After the stream is over, outside the reactor's lock (the hub delivers
  // under its own lock).
  void OnFinished() override {
    int handle;
    {
      std::lock_guard<std::mutex> lock(handle_mu_);
      handle = handle_;
    }
    if (handle > 0) hub_->Remove(handle);
  }

 private:
  MemberSync* sync_;
  JobWatchHub* hub_;
  std::mutex handle_mu_;
  int handle_ = 0;
};

}  // namespace

grpc::ServerWriteReactor<v1::SyncJob>* AudienceServiceImpl::WatchSyncJob(
    grpc::CallbackServerContext* ctx, const v1::WatchSyncJobRequest* req) {
  return new WatchJobReactor(env_, domain_.sync, domain_.watch, ctx, req);
}

}  // namespace ttads::audience
