#ifndef TTADS_SERVICES_ADS_IDENTITY_BC_H_
#define TTADS_SERVICES_ADS_IDENTITY_BC_H_

#include <string>

#include "absl/status/statusor.h"
#include "libs/server/call_context.h"
#include "ttads/identity/v1/identity_service.grpc.pb.h"

namespace ttads::ads {

// The Business Center of a BC_AUTH_TT identity (TikTok's
// identity_authorized_bc_id), which TikTok requires next to such an identity
// on /identity/video/get/ and /ad/create/. Read from the identity service's
// (cached) identity list of `advertiser_id`, with the caller's credentials
// and remaining deadline. Errors: the identity service's; INVALID_ARGUMENT
// on `identity_id` when the advertiser has no such BC_AUTH_TT identity;
// FAILED_PRECONDITION when TikTok listed it without a Business Center.
absl::StatusOr<std::string> AuthorizedBcOf(
    identity::v1::IdentityService::StubInterface* identity,
    const server::CallContext& call, const std::string& advertiser_id,
    const std::string& identity_id);

}  // namespace ttads::ads

#endif  // TTADS_SERVICES_ADS_IDENTITY_BC_H_
