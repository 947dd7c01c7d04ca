#ifndef TTADS_SERVICES_AUDIENCE_AUDIENCE_SERVICE_H_
#define TTADS_SERVICES_AUDIENCE_AUDIENCE_SERVICE_H_

#include "libs/server/unary.h"
#include "services/audience/audience_manager.h"
#include "ttads/audience/v1/audience_service.grpc.pb.h"

namespace ttads::audience {

namespace v1 = ::ttads::audience::v1;

// The gRPC adapter of AudienceService: unpacks requests, calls the
// AudienceManager with the caller taken from the API key, maps statuses
// through libs/status. SyncMembers is a read reactor: each message is
// authenticated once, processed on the work queue in order (normalise,
// hash, spool) and the next read starts only after it, so a fast client
// cannot buffer more than one message in the server (flow control keeps
// memory bounded). A cancelled stream marks its job FAILED. SyncMembers
// reads raw bytes and decodes each message itself (server::
// DecodeStreamMessage): grpc++ reports a message that does not decode as the
// end of the stream, which would commit the job; a message that does not
// decode fails the stream with INVALID_ARGUMENT instead.
class AudienceServiceImpl final
    : public v1::AudienceService::WithRawCallbackMethod_SyncMembers<
          v1::AudienceService::CallbackService> {
 public:
  AudienceServiceImpl(const server::ServiceEnv* env, AudienceManager* manager)
      : env_(env), manager_(manager) {}

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

 private:
  const server::ServiceEnv* env_;
  AudienceManager* manager_;
};

// Conversions (exposed for tests).
void ToProto(const AudienceView& view, v1::Audience* out);
void ToProto(const JobRecord& job, v1::SyncJob* out);

}  // namespace ttads::audience

#endif  // TTADS_SERVICES_AUDIENCE_AUDIENCE_SERVICE_H_
