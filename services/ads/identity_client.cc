#include "services/ads/identity_client.h"

#include "grpcpp/client_context.h"
#include "libs/status/grpc_status.h"
#include "services/ads/identity_bc.h"

namespace ttads::ads {
namespace {

class GrpcIdentityClient : public IdentityClient {
 public:
  explicit GrpcIdentityClient(
      identity::v1::IdentityService::StubInterface* stub)
      : stub_(stub) {}

  absl::StatusOr<identity::v1::ConfigureBrandIdentityResponse>
  ConfigureBrandIdentity(
      const server::CallContext& call,
      const identity::v1::ConfigureBrandIdentityRequest& request) override {
    identity::v1::ConfigureBrandIdentityResponse response;
    grpc::ClientContext ctx;
    server::PrepareOutbound(call, &ctx);
    grpc::Status s = stub_->ConfigureBrandIdentity(&ctx, request, &response);
    if (!s.ok()) return status::FromGrpcStatus(s);
    return response;
  }

  absl::StatusOr<identity::v1::BrandIdentity> GetBrandIdentity(
      const server::CallContext& call, const std::string& account_id) override {
    identity::v1::GetBrandIdentityRequest request;
    request.set_account_id(account_id);
    identity::v1::BrandIdentity brand;
    grpc::ClientContext ctx;
    server::PrepareOutbound(call, &ctx);
    grpc::Status s = stub_->GetBrandIdentity(&ctx, request, &brand);
    if (!s.ok()) return status::FromGrpcStatus(s);
    return brand;
  }

  absl::StatusOr<identity::v1::ResolveIdentityResponse> ResolveIdentity(
      const server::CallContext& call,
      const identity::v1::ResolveIdentityRequest& request) override {
    identity::v1::ResolveIdentityResponse response;
    grpc::ClientContext ctx;
    server::PrepareOutbound(call, &ctx);
    grpc::Status s = stub_->ResolveIdentity(&ctx, request, &response);
    if (!s.ok()) return status::FromGrpcStatus(s);
    return response;
  }

  absl::StatusOr<std::string> AuthorizedBc(
      const server::CallContext& call, const std::string& advertiser_id,
      const std::string& identity_id) override {
    return AuthorizedBcOf(stub_, call, advertiser_id, identity_id);
  }

 private:
  identity::v1::IdentityService::StubInterface* stub_;
};

}  // namespace

std::unique_ptr<IdentityClient> NewGrpcIdentityClient(
    identity::v1::IdentityService::StubInterface* stub) {
  return std::make_unique<GrpcIdentityClient>(stub);
}

}  // namespace ttads::ads
