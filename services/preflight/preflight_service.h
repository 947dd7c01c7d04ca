#ifndef TTADS_SERVICES_PREFLIGHT_PREFLIGHT_SERVICE_H_
#define TTADS_SERVICES_PREFLIGHT_PREFLIGHT_SERVICE_H_

#include "libs/server/unary.h"
#include "services/preflight/publish_checker.h"
#include "ttads/preflight/v1/preflight_service.grpc.pb.h"

namespace ttads::preflight {

// The gRPC adapter of PublishChecker: unpacks the request, runs the check
// through the suite's unary pipeline (libs/server/unary.h), maps the status.
class PreflightServiceImpl : public v1::PreflightService::CallbackService {
 public:
  PreflightServiceImpl(server::ServiceEnv env, PublishChecker* checker)
      : env_(std::move(env)), checker_(checker) {}

  grpc::ServerUnaryReactor* PublishCheck(
      grpc::CallbackServerContext* context,
      const v1::PublishCheckRequest* request,
      v1::PublishCheckResponse* response) override;

  grpc::ServerUnaryReactor* BatchPublishCheck(
      grpc::CallbackServerContext* context,
      const v1::BatchPublishCheckRequest* request,
      v1::BatchPublishCheckResponse* response) override;

 private:
  const server::ServiceEnv env_;
  PublishChecker* checker_;
};

}  // namespace ttads::preflight

#endif  // TTADS_SERVICES_PREFLIGHT_PREFLIGHT_SERVICE_H_
