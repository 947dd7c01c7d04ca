#include "services/ads/preflight_client.h"

#include "grpcpp/client_context.h"
#include "libs/status/grpc_status.h"

namespace ttads::ads {
namespace {

class GrpcPreflightClient : public PreflightClient {
 public:
  explicit GrpcPreflightClient(
      preflight::v1::PreflightService::StubInterface* stub)
      : stub_(stub) {}

  absl::StatusOr<preflight::v1::PublishCheckResponse> PublishCheck(
      const server::CallContext& call, const std::string& advertiser_id,
      const std::string& objective) override {
    preflight::v1::PublishCheckRequest request;
    request.set_advertiser_id(advertiser_id);
    request.set_objective(objective);
    preflight::v1::PublishCheckResponse response;
    grpc::ClientContext ctx;
    server::PrepareOutbound(call, &ctx, absl::Seconds(10));
    grpc::Status s = stub_->PublishCheck(&ctx, request, &response);
    if (!s.ok()) return status::FromGrpcStatus(s);
    return response;
  }

 private:
  preflight::v1::PreflightService::StubInterface* stub_;
};

}  // namespace

std::unique_ptr<PreflightClient> NewGrpcPreflightClient(
    preflight::v1::PreflightService::StubInterface* stub) {
  return std::make_unique<GrpcPreflightClient>(stub);
}

}  // namespace ttads::ads
