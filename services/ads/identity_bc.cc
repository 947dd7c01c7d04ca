#include "services/ads/identity_bc.h"

#include "absl/strings/str_cat.h"
#include "libs/status/grpc_status.h"
#include "libs/status/status.h"

namespace ttads::ads {

absl::StatusOr<std::string> AuthorizedBcOf(
    identity::v1::IdentityService::StubInterface* identity,
    const server::CallContext& call, const std::string& advertiser_id,
    const std::string& identity_id) {
  if (identity == nullptr) {
    return absl::FailedPreconditionError(
        "BC_AUTH_TT identities need the identity service, which is not "
        "configured");
  }
  identity::v1::ListIdentitiesRequest req;
  req.set_advertiser_id(advertiser_id);
  req.set_identity_type(common::v1::IDENTITY_TYPE_BC_AUTH_TT);
  req.set_page_size(100);
  // Bounded: 100 pages of 100 identities is far beyond any advertiser.
  for (int page = 0; page < 100; ++page) {
    identity::v1::ListIdentitiesResponse resp;
    grpc::ClientContext ctx;
    server::PrepareOutbound(call, &ctx);
    grpc::Status s = identity->ListIdentities(&ctx, req, &resp);
    if (!s.ok()) return status::FromGrpcStatus(s);
    for (const auto& i : resp.identities()) {
      if (i.identity_id() != identity_id) continue;
      if (i.identity_authorized_bc_id().empty()) {
        return absl::FailedPreconditionError(absl::StrCat(
            "TikTok lists BC_AUTH_TT identity ", identity_id,
            " without its Business Center (identity_authorized_bc_id)"));
      }
      return i.identity_authorized_bc_id();
    }
    if (resp.next_page_token().empty()) break;
    req.set_page_token(resp.next_page_token());
  }
  return status::InvalidArgument(
      absl::StrCat("identity ", identity_id,
                   " is not a BC_AUTH_TT identity of advertiser ",
                   advertiser_id),
      {{"identity_id", "not a BC_AUTH_TT identity of the advertiser"}});
}

}  // namespace ttads::ads
