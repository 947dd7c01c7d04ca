#include "services/preflight/grpc_identity_source.h"

#include <string>

#include "grpcpp/client_context.h"
#include "libs/contracts/enum_names.h"
#include "libs/status/grpc_status.h"

namespace ttads::preflight {
namespace {

FoundAsset FromIdentity(const common::v1::Identity& identity) {
  return {identity.identity_id(), identity.display_name(),
          contracts::ShortName(identity.identity_type())};
}

// Most identity pages followed (100 identities each).
constexpr int kMaxPages = 10;

}  // namespace

GrpcIdentitySource::GrpcIdentitySource(std::shared_ptr<grpc::Channel> channel,
                                       absl::Duration timeout)
    : stub_(identity::v1::IdentityService::NewStub(channel)),
      timeout_(timeout) {}

absl::StatusOr<ResolvedIdentity> GrpcIdentitySource::Resolve(
    const server::CallContext& call, std::string_view advertiser_id) {
  identity::v1::ResolveIdentityRequest request;
  request.set_advertiser_id(std::string(advertiser_id));
  request.set_allow_customized_user(true);
  identity::v1::ResolveIdentityResponse response;
  grpc::ClientContext context;
  server::PrepareOutbound(call, &context, timeout_);
  grpc::Status s = stub_->ResolveIdentity(&context, request, &response);
  if (!s.ok()) return status::FromGrpcStatus(s);
  return ResolvedIdentity{.identity = FromIdentity(response.identity())};
}

absl::StatusOr<std::vector<IdentitySource::Listed>> GrpcIdentitySource::List(
    const server::CallContext& call, std::string_view advertiser_id) {
  std::vector<Listed> out;
  std::string page_token;
  for (int page = 0; page < kMaxPages; ++page) {
    identity::v1::ListIdentitiesRequest request;
    request.set_advertiser_id(std::string(advertiser_id));
    request.set_page_size(100);
    request.set_page_token(page_token);
    identity::v1::ListIdentitiesResponse response;
    grpc::ClientContext context;
    server::PrepareOutbound(call, &context, timeout_);
    grpc::Status s = stub_->ListIdentities(&context, request, &response);
    if (!s.ok()) return status::FromGrpcStatus(s);
    for (const auto& identity : response.identities()) {
      out.push_back({.identity = FromIdentity(identity),
                     .available_status = identity.available_status(),
                     .authorized_bc_id = identity.identity_authorized_bc_id()});
    }
    page_token = response.next_page_token();
    if (page_token.empty()) break;
  }
  return out;
}

}  // namespace ttads::preflight
