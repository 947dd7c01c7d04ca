#ifndef TTADS_SERVICES_IDENTITY_IDENTITY_SERVICE_H_
#define TTADS_SERVICES_IDENTITY_IDENTITY_SERVICE_H_

#include "libs/server/unary.h"
#include "services/identity/ads_accounts.h"
#include "services/identity/brand_identity.h"
#include "services/identity/connection_manager.h"
#include "services/identity/identity_catalog.h"
#include "services/identity/identity_mutations.h"
#include "services/identity/identity_resolver.h"
#include "ttads/identity/v1/identity_service.grpc.pb.h"

namespace ttads::identity {

// The domain objects the gRPC adapter delegates to.
struct IdentityDomain {
  ConnectionManager* connections;
  AdsAccounts* accounts;
  IdentityCatalog* catalog;
  BrandIdentityManager* brand;
  IdentityResolver* resolver;
  // ConnectAdsAccount, CreateAccount, CreateIdentity and
  // ConfigureBrandIdentity, with their request ids honoured.
  IdentityMutations* mutations;
};

// gRPC adapter of ttads.identity.v1.IdentityService: each RPC unpacks its
// request, calls one domain method and packs the answer; no rule lives here.
// Every call goes through the shared pipeline (request id, API key, status
// mapping, metrics) of libs/server.
class IdentityServiceImpl final : public v1::IdentityService::CallbackService {
 public:
  IdentityServiceImpl(const server::ServiceEnv& env, IdentityDomain domain)
      : env_(env), domain_(domain) {}

  grpc::ServerUnaryReactor* StartConnection(
      grpc::CallbackServerContext* ctx, const v1::StartConnectionRequest* req,
      v1::StartConnectionResponse* resp) override;
  grpc::ServerUnaryReactor* CompleteConnection(
      grpc::CallbackServerContext* ctx,
      const v1::CompleteConnectionRequest* req, v1::Connection* resp) override;
  grpc::ServerUnaryReactor* ListConnections(
      grpc::CallbackServerContext* ctx, const v1::ListConnectionsRequest* req,
      v1::ListConnectionsResponse* resp) override;
  grpc::ServerUnaryReactor* RevokeConnection(
      grpc::CallbackServerContext* ctx, const v1::RevokeConnectionRequest* req,
      v1::Connection* resp) override;
  grpc::ServerUnaryReactor* ConnectAdsAccount(
      grpc::CallbackServerContext* ctx, const v1::ConnectAdsAccountRequest* req,
      v1::ConnectAdsAccountResponse* resp) override;
  grpc::ServerUnaryReactor* ListAccounts(
      grpc::CallbackServerContext* ctx, const v1::ListAccountsRequest* req,
      v1::ListAccountsResponse* resp) override;
  grpc::ServerUnaryReactor* CreateAccount(grpc::CallbackServerContext* ctx,
                                          const v1::CreateAccountRequest* req,
                                          v1::Account* resp) override;
  grpc::ServerUnaryReactor* CheckIdentity(
      grpc::CallbackServerContext* ctx, const v1::CheckIdentityRequest* req,
      v1::CheckIdentityResponse* resp) override;
  grpc::ServerUnaryReactor* ListIdentities(
      grpc::CallbackServerContext* ctx, const v1::ListIdentitiesRequest* req,
      v1::ListIdentitiesResponse* resp) override;
  grpc::ServerUnaryReactor* CreateIdentity(grpc::CallbackServerContext* ctx,
                                           const v1::CreateIdentityRequest* req,
                                           common::v1::Identity* resp) override;
  grpc::ServerUnaryReactor* ConfigureBrandIdentity(
      grpc::CallbackServerContext* ctx,
      const v1::ConfigureBrandIdentityRequest* req,
      v1::ConfigureBrandIdentityResponse* resp) override;
  grpc::ServerUnaryReactor* GetBrandIdentity(
      grpc::CallbackServerContext* ctx, const v1::GetBrandIdentityRequest* req,
      v1::BrandIdentity* resp) override;
  grpc::ServerUnaryReactor* ResolveIdentity(
      grpc::CallbackServerContext* ctx, const v1::ResolveIdentityRequest* req,
      v1::ResolveIdentityResponse* resp) override;

 private:
  const server::ServiceEnv& env_;
  IdentityDomain domain_;
};

// Converts a stored connection to its API shape (never the token).
v1::Connection ToProto(const connections::Connection& connection);

}  // namespace ttads::identity

#endif  // TTADS_SERVICES_IDENTITY_IDENTITY_SERVICE_H_
