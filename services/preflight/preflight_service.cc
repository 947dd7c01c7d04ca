#include "services/preflight/preflight_service.h"

#include "libs/status/status_macros.h"

namespace ttads::preflight {

using server::CallContext;

grpc::ServerUnaryReactor* PreflightServiceImpl::PublishCheck(
    grpc::CallbackServerContext* context,
    const v1::PublishCheckRequest* request,
    v1::PublishCheckResponse* response) {
  return server::HandleUnary<v1::PublishCheckRequest, v1::PublishCheckResponse>(
      env_, context, request, response, "PublishCheck",
      // A cached answer is served on gRPC's thread, without the hop.
      [this](const CallContext& call, const v1::PublishCheckRequest& r,
             v1::PublishCheckResponse* out) -> std::optional<absl::Status> {
        auto cached = checker_->TryCheckFromCache(call, r);
        if (!cached.has_value()) return std::nullopt;
        TTADS_ASSIGN_OR_RETURN(*out, *std::move(cached));
        return absl::OkStatus();
      },
      [this](const CallContext& call, const v1::PublishCheckRequest& r,
             v1::PublishCheckResponse* out) -> absl::Status {
        TTADS_ASSIGN_OR_RETURN(*out, checker_->Check(call, r));
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* PreflightServiceImpl::BatchPublishCheck(
    grpc::CallbackServerContext* context,
    const v1::BatchPublishCheckRequest* request,
    v1::BatchPublishCheckResponse* response) {
  return server::HandleUnary<v1::BatchPublishCheckRequest,
                             v1::BatchPublishCheckResponse>(
      env_, context, request, response, "BatchPublishCheck",
      [this](const CallContext& call, const v1::BatchPublishCheckRequest& r,
             v1::BatchPublishCheckResponse* out) -> absl::Status {
        TTADS_ASSIGN_OR_RETURN(*out, checker_->CheckBatch(call, r));
        return absl::OkStatus();
      });
}

}  // namespace ttads::preflight
