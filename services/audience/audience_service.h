#ifndef TTADS_SERVICES_AUDIENCE_AUDIENCE_SERVICE_H_
#define TTADS_SERVICES_AUDIENCE_AUDIENCE_SERVICE_H_

#include "libs/idempotency/idempotency_store.h"
#include "libs/server/unary.h"
#include "services/audience/audience_mutations.h"
#include "services/audience/audience_proto.h"
#include "services/audience/audience_registry.h"
#include "services/audience/job_watch.h"
#include "services/audience/member_sync.h"
#include "ttads/audience/v1/audience_service.grpc.pb.h"

namespace ttads::audience {

namespace v1 = ::ttads::audience::v1;

// The domain objects the RPCs call (not owned), each RPC one of them:
//   CreateAudience, DeleteAudience, DisqualifyMembers → mutations
//   GetAudience, ListAudiences                         → audiences
//   SyncMembers        → a SyncUpload over sync and idempotency per stream
//   GetSyncJob, ListSyncJobs                           → sync
//   WatchSyncJob       → sync (the first read), then watch
struct AudienceDomain {
  AudienceRegistry* audiences = nullptr;
  AudienceMutations* mutations = nullptr;
  MemberSync* sync = nullptr;
  idempotency::IdempotencyStore* idempotency = nullptr;
  JobWatchHub* watch = nullptr;
};

// The gRPC adapter of AudienceService: unpacks a request, makes one domain
// call with the caller taken from the API key, converts the answer
// (audience_proto.h); statuses are mapped by libs/server's pipeline. Every
// RPC runs through that pipeline: unary ones through HandleUnary,
// SyncMembers (a client stream read as raw bytes, so a message that does
// not decode fails the stream instead of ending it) through
// ClientStreamReactor — each message authenticated once, decoded, checked
// and processed on the work queue (normalise, hash, spool) before the next
// read starts, so flow control bounds memory; a broken or cancelled stream
// marks its job FAILED. WatchSyncJob is a server stream on
// ServerStreamReactor: the job as it is, then each change the JobWatchHub
// finds, ending OK after a final state.
class AudienceServiceImpl final
    : public v1::AudienceService::WithRawCallbackMethod_SyncMembers<
          v1::AudienceService::CallbackService> {
 public:
  AudienceServiceImpl(const server::ServiceEnv* env, AudienceDomain domain)
      : env_(env), domain_(domain) {}

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
  AudienceDomain domain_;
};

}  // namespace ttads::audience

#endif  // TTADS_SERVICES_AUDIENCE_AUDIENCE_SERVICE_H_
