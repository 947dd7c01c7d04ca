#ifndef TTADS_SERVICES_ADS_IDENTITY_CLIENT_H_
#define TTADS_SERVICES_ADS_IDENTITY_CLIENT_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "libs/server/call_context.h"
#include "ttads/identity/v1/identity_service.grpc.pb.h"

namespace ttads::ads {

// What the ads service asks the identity service (docs/identity.md). Every
// call carries the caller's credentials, request id and remaining deadline;
// errors are the identity service's status (its field violations kept).
class IdentityClient {
 public:
  virtual ~IdentityClient() = default;

  // Creates or updates the account's Brand Identity (a CUSTOMIZED_USER).
  virtual absl::StatusOr<identity::v1::ConfigureBrandIdentityResponse>
  ConfigureBrandIdentity(
      const server::CallContext& call,
      const identity::v1::ConfigureBrandIdentityRequest& request) = 0;
  // The account's configured Brand Identity.
  virtual absl::StatusOr<identity::v1::BrandIdentity> GetBrandIdentity(
      const server::CallContext& call, const std::string& account_id) = 0;
  // The identity an ad of the advertiser is published as.
  virtual absl::StatusOr<identity::v1::ResolveIdentityResponse> ResolveIdentity(
      const server::CallContext& call,
      const identity::v1::ResolveIdentityRequest& request) = 0;
  // The Business Center of a BC_AUTH_TT identity (identity_bc.h).
  virtual absl::StatusOr<std::string> AuthorizedBc(
      const server::CallContext& call, const std::string& advertiser_id,
      const std::string& identity_id) = 0;
};

// Over gRPC (TTADS_IDENTITY_ADDRESS). `stub` is not owned.
std::unique_ptr<IdentityClient> NewGrpcIdentityClient(
    identity::v1::IdentityService::StubInterface* stub);

}  // namespace ttads::ads

#endif  // TTADS_SERVICES_ADS_IDENTITY_CLIENT_H_
