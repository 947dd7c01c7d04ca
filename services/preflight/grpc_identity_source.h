#ifndef TTADS_SERVICES_PREFLIGHT_GRPC_IDENTITY_SOURCE_H_
#define TTADS_SERVICES_PREFLIGHT_GRPC_IDENTITY_SOURCE_H_

#include <memory>

#include "absl/time/time.h"
#include "grpcpp/channel.h"
#include "services/preflight/sources.h"
#include "ttads/identity/v1/identity_service.grpc.pb.h"

namespace ttads::preflight {

// IdentitySource over the identity service (TTADS_IDENTITY_ADDRESS). Every
// call forwards the caller's API key, request id and remaining deadline
// (server::PrepareOutbound), so the identity service applies the same tenant
// and role rules. Resolve asks ResolveIdentity with allow_customized_user =
// true: Wevion accepts a CUSTOMIZED_USER as a fallback, and the identity
// service's policy (allow / opt_in / reject) has the last word.
// Errors come back unchanged (libs/status FromGrpcStatus), details included.
class GrpcIdentitySource : public IdentitySource {
 public:
  explicit GrpcIdentitySource(std::shared_ptr<grpc::Channel> channel,
                              absl::Duration timeout = absl::Seconds(10));

  absl::StatusOr<ResolvedIdentity> Resolve(
      const server::CallContext& call, std::string_view advertiser_id) override;
  absl::StatusOr<std::vector<Listed>> List(
      const server::CallContext& call, std::string_view advertiser_id) override;

 private:
  std::unique_ptr<identity::v1::IdentityService::Stub> stub_;
  absl::Duration timeout_;
};

}  // namespace ttads::preflight

#endif  // TTADS_SERVICES_PREFLIGHT_GRPC_IDENTITY_SOURCE_H_
