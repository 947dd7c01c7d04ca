#ifndef TTADS_SERVICES_IDENTITY_TIKTOK_ACCOUNT_SERVICE_H_
#define TTADS_SERVICES_IDENTITY_TIKTOK_ACCOUNT_SERVICE_H_

#include "libs/server/unary.h"
#include "services/identity/tiktok_accounts.h"
#include "ttads/identity/v1/tiktok_account_service.grpc.pb.h"

namespace ttads::identity {

v1::TikTokAccountConnection ToProto(const connections::TikTokAccount& a);

// gRPC adapter of ttads.identity.v1.TikTokAccountService over
// TikTokAccounts (served by the identity binary); no rule lives here.
class TikTokAccountServiceImpl final
    : public v1::TikTokAccountService::CallbackService {
 public:
  TikTokAccountServiceImpl(const server::ServiceEnv& env,
                           TikTokAccounts* accounts)
      : env_(env), accounts_(accounts) {}

  grpc::ServerUnaryReactor* StartTikTokAccountConnection(
      grpc::CallbackServerContext* ctx,
      const v1::StartTikTokAccountConnectionRequest* req,
      v1::StartTikTokAccountConnectionResponse* resp) override;
  grpc::ServerUnaryReactor* CompleteTikTokAccountConnection(
      grpc::CallbackServerContext* ctx,
      const v1::CompleteTikTokAccountConnectionRequest* req,
      v1::TikTokAccountConnection* resp) override;
  grpc::ServerUnaryReactor* ListTikTokAccountConnections(
      grpc::CallbackServerContext* ctx,
      const v1::ListTikTokAccountConnectionsRequest* req,
      v1::ListTikTokAccountConnectionsResponse* resp) override;
  grpc::ServerUnaryReactor* RevokeTikTokAccountConnection(
      grpc::CallbackServerContext* ctx,
      const v1::RevokeTikTokAccountConnectionRequest* req,
      v1::TikTokAccountConnection* resp) override;

 private:
  const server::ServiceEnv& env_;
  TikTokAccounts* accounts_;
};

}  // namespace ttads::identity

#endif  // TTADS_SERVICES_IDENTITY_TIKTOK_ACCOUNT_SERVICE_H_
