#ifndef TTADS_SERVICES_ADS_PREFLIGHT_CLIENT_H_
#define TTADS_SERVICES_ADS_PREFLIGHT_CLIENT_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "libs/server/call_context.h"
#include "ttads/preflight/v1/preflight_service.grpc.pb.h"

namespace ttads::ads {

// The preflight service's publish check (docs/preflight.md), asked by
// validate_only with the caller's credentials and at most 10 s of its
// remaining deadline.
class PreflightClient {
 public:
  virtual ~PreflightClient() = default;
  // Whether `advertiser_id` is ready to publish ads with `objective`.
  virtual absl::StatusOr<preflight::v1::PublishCheckResponse> PublishCheck(
      const server::CallContext& call, const std::string& advertiser_id,
      const std::string& objective) = 0;
};

// Over gRPC (TTADS_PREFLIGHT_ADDRESS). `stub` is not owned.
std::unique_ptr<PreflightClient> NewGrpcPreflightClient(
    preflight::v1::PreflightService::StubInterface* stub);

}  // namespace ttads::ads

#endif  // TTADS_SERVICES_ADS_PREFLIGHT_CLIENT_H_
