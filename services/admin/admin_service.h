#ifndef TTADS_SERVICES_ADMIN_ADMIN_SERVICE_H_
#define TTADS_SERVICES_ADMIN_ADMIN_SERVICE_H_

#include "libs/server/unary.h"
#include "services/admin/admin_api.h"
#include "ttads/admin/v1/admin_service.grpc.pb.h"

namespace ttads::admin {

// gRPC adapter of ttads.admin.v1.AdminService over AdminApi (hosted by the
// identity binary, docs/admin.md); every call goes through the suite's
// pipeline (authentication, contract checks, status mapping, access log).
// No rule lives here.
class AdminServiceImpl final : public v1::AdminService::CallbackService {
 public:
  AdminServiceImpl(const server::ServiceEnv& env, AdminApi* api)
      : env_(env), api_(api) {}

  grpc::ServerUnaryReactor* CreateTeam(grpc::CallbackServerContext* ctx,
                                       const v1::CreateTeamRequest* req,
                                       v1::Team* resp) override;
  grpc::ServerUnaryReactor* GetTeam(grpc::CallbackServerContext* ctx,
                                    const v1::GetTeamRequest* req,
                                    v1::Team* resp) override;
  grpc::ServerUnaryReactor* ListTeams(grpc::CallbackServerContext* ctx,
                                      const v1::ListTeamsRequest* req,
                                      v1::ListTeamsResponse* resp) override;
  grpc::ServerUnaryReactor* CreateMember(grpc::CallbackServerContext* ctx,
                                         const v1::CreateMemberRequest* req,
                                         v1::Member* resp) override;
  grpc::ServerUnaryReactor* ListMembers(grpc::CallbackServerContext* ctx,
                                        const v1::ListMembersRequest* req,
                                        v1::ListMembersResponse* resp) override;
  grpc::ServerUnaryReactor* DeleteMember(
      grpc::CallbackServerContext* ctx, const v1::DeleteMemberRequest* req,
      v1::DeleteMemberResponse* resp) override;
  grpc::ServerUnaryReactor* CreateApiKey(
      grpc::CallbackServerContext* ctx, const v1::CreateApiKeyRequest* req,
      v1::CreateApiKeyResponse* resp) override;
  grpc::ServerUnaryReactor* ListApiKeys(grpc::CallbackServerContext* ctx,
                                        const v1::ListApiKeysRequest* req,
                                        v1::ListApiKeysResponse* resp) override;
  grpc::ServerUnaryReactor* RevokeApiKey(
      grpc::CallbackServerContext* ctx, const v1::RevokeApiKeyRequest* req,
      v1::RevokeApiKeyResponse* resp) override;
  grpc::ServerUnaryReactor* RotateApiKey(
      grpc::CallbackServerContext* ctx, const v1::RotateApiKeyRequest* req,
      v1::RotateApiKeyResponse* resp) override;

 private:
  const server::ServiceEnv& env_;
  AdminApi* api_;
};

}  // namespace ttads::admin

#endif  // TTADS_SERVICES_ADMIN_ADMIN_SERVICE_H_
