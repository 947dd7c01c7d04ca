#ifndef TTADS_SERVICES_AUDIENCE_AUDIENCE_SERVICE_H_
#define TTADS_SERVICES_AUDIENCE_AUDIENCE_SERVICE_H_

#include "libs/idempotency/idempotency_store.h"
#include "libs/server/unary.h"
#include "services/audience/audience_manager.h"
#include "services/audience/job_watch.h"
#include "ttads/audience/v1/audience_service.grpc.pb.h"

namespace ttads::audience {

namespace v1 = ::ttads::audience::v1;

// The gRPC adapter of AudienceService: unpacks requests, calls the
// AudienceManager with the caller taken from the API key, maps statuses
// through libs/status. Every RPC runs through libs/server's pipeline:
// unary ones through HandleUnary, SyncMembers (a client stream read as raw
// bytes, so a message that does not decode fails the stream instead of
// ending it) through ClientStreamReactor — each message authenticated once,
// decoded, checked and processed on the work queue (normalise, hash,
// spool) before the next read starts, so flow control bounds memory; a
// broken or cancelled stream marks its job FAILED.
//
// The mutations that declare a `request_id` (CreateAudience, DeleteAudience,
// SyncMembers, DisqualifyMembers) honour it through libs/idempotency (RunOnce):
// the same request again within 24 h gets the first answer and changes nothing,
// a different request under the key is ALREADY_EXISTS. A SyncMembers stream is
// compared as a whole (every message), so its key is claimed when the stream
// ends; a duplicate stream's spooled job is deleted and the first stream's job
// returned.
//
// WatchSyncJob is a server stream on libs/server's ServerStreamReactor: the
// job as it is, then each change the JobWatchHub finds, ending OK after a
// final state.
class AudienceServiceImpl final
    : public v1::AudienceService::WithRawCallbackMethod_SyncMembers<
          v1::AudienceService::CallbackService> {
 public:
  // `watch` serves WatchSyncJob (one poll per watched job).
  AudienceServiceImpl(const server::ServiceEnv* env, AudienceManager* manager,
                      JobWatchHub* watch)
      : env_(env),
        manager_(manager),
        watch_(watch),
        idempotency_(manager->store()->redis()) {}

  grpc::ServerUnaryReactor* CreateAudience(grpc::CallbackServerContext* ctx,
                                           const v1::CreateAudienceRequest* req,
                                           v1::Audience* resp) override;
  grpc::ServerUnaryReactor* ListAudiences(
      grpc::CallbackServerContext* ctx, const v1::ListAudiencesRequest* req,
      v1::ListAudiencesResponse* resp) override;
  grpc::ServerUnaryReactor* GetAudience(grpc::CallbackServerContext* ctx,
                                        const v1::GetAudienceRequest* req,
                                        v1::Audience* resp) override;
  grpc::ServerUnaryReactor* DeleteAudience(
      grpc::CallbackServerContext* ctx, const v1::DeleteAudienceRequest* req,
      v1::DeleteAudienceResponse* resp) override;
  grpc::ServerReadReactor<grpc::ByteBuffer>* SyncMembers(
      grpc::CallbackServerContext* ctx, grpc::ByteBuffer* resp) override;
  grpc::ServerUnaryReactor* GetSyncJob(grpc::CallbackServerContext* ctx,
                                       const v1::GetSyncJobRequest* req,
                                       v1::SyncJob* resp) override;
  grpc::ServerUnaryReactor* ListSyncJobs(
      grpc::CallbackServerContext* ctx, const v1::ListSyncJobsRequest* req,
      v1::ListSyncJobsResponse* resp) override;
  grpc::ServerUnaryReactor* DisqualifyMembers(
      grpc::CallbackServerContext* ctx, const v1::DisqualifyMembersRequest* req,
      v1::DisqualifyMembersResponse* resp) override;
  grpc::ServerWriteReactor<v1::SyncJob>* WatchSyncJob(
      grpc::CallbackServerContext* ctx,
      const v1::WatchSyncJobRequest* req) override;

 private:
  const server::ServiceEnv* env_;
  AudienceManager* manager_;
  JobWatchHub* watch_;
  idempotency::IdempotencyStore idempotency_;
};

// Conversions (exposed for tests).
void ToProto(const AudienceView& view, v1::Audience* out);
void ToProto(const JobRecord& job, v1::SyncJob* out);

}  // namespace ttads::audience

#endif  // TTADS_SERVICES_AUDIENCE_AUDIENCE_SERVICE_H_
