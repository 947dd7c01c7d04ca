#include "services/identity/identity_service.h"

#include "libs/status/status_macros.h"

namespace ttads::identity {
namespace {

using server::CallContext;
using server::HandleUnary;

void SetTime(absl::Time t, google::protobuf::Timestamp* ts) {
  ts->set_seconds(absl::ToUnixSeconds(t));
  ts->set_nanos(static_cast<int32_t>(
      absl::ToInt64Nanoseconds(t - absl::FromUnixSeconds(ts->seconds()))));
}

}  // namespace

v1::Connection ToProto(const connections::Connection& c) {
  v1::Connection out;
  out.set_connection_id(c.connection_id);
  out.set_member_id(c.member_id);
  out.set_state(c.active() ? v1::CONNECTION_STATE_ACTIVE
                           : v1::CONNECTION_STATE_REVOKED);
  for (const auto& a : c.advertisers) {
    auto* adv = out.add_advertisers();
    adv->set_advertiser_id(a.advertiser_id);
    adv->set_advertiser_name(a.advertiser_name);
  }
  for (int64_t s : c.scopes) out.add_scopes(s);
  SetTime(c.create_time, out.mutable_create_time());
  if (!c.active()) SetTime(c.revoke_time, out.mutable_revoke_time());
  return out;
}

grpc::ServerUnaryReactor* IdentityServiceImpl::StartConnection(
    grpc::CallbackServerContext* ctx, const v1::StartConnectionRequest* req,
    v1::StartConnectionResponse* resp) {
  return HandleUnary<v1::StartConnectionRequest, v1::StartConnectionResponse>(
      env_, ctx, req, resp, "StartConnection",
      [this](const CallContext& call, const v1::StartConnectionRequest& r,
             v1::StartConnectionResponse* out) -> absl::Status {
        TTADS_ASSIGN_OR_RETURN(
            StartedConnection started,
            domain_.connections->Start(call, r.redirect_uri()));
        out->set_consent_url(started.consent_url);
        out->set_state(started.state);
        SetTime(started.expire_time, out->mutable_expire_time());
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* IdentityServiceImpl::CompleteConnection(
    grpc::CallbackServerContext* ctx, const v1::CompleteConnectionRequest* req,
    v1::Connection* resp) {
  return HandleUnary<v1::CompleteConnectionRequest, v1::Connection>(
      env_, ctx, req, resp, "CompleteConnection",
      [this](const CallContext& call, const v1::CompleteConnectionRequest& r,
             v1::Connection* out) -> absl::Status {
        TTADS_ASSIGN_OR_RETURN(
            connections::Connection c,
            domain_.connections->Complete(call, r.state(), r.auth_code()));
        *out = ToProto(c);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* IdentityServiceImpl::ListConnections(
    grpc::CallbackServerContext* ctx, const v1::ListConnectionsRequest* req,
    v1::ListConnectionsResponse* resp) {
  return HandleUnary<v1::ListConnectionsRequest, v1::ListConnectionsResponse>(
      env_, ctx, req, resp, "ListConnections",
      [this](const CallContext& call, const v1::ListConnectionsRequest& r,
             v1::ListConnectionsResponse* out) -> absl::Status {
        TTADS_ASSIGN_OR_RETURN(std::vector<connections::Connection> list,
                               domain_.connections->List(call, r.mine_only()));
        for (const auto& c : list) *out->add_connections() = ToProto(c);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* IdentityServiceImpl::RevokeConnection(
    grpc::CallbackServerContext* ctx, const v1::RevokeConnectionRequest* req,
    v1::Connection* resp) {
  return HandleUnary<v1::RevokeConnectionRequest, v1::Connection>(
      env_, ctx, req, resp, "RevokeConnection",
      [this](const CallContext& call, const v1::RevokeConnectionRequest& r,
             v1::Connection* out) -> absl::Status {
        TTADS_ASSIGN_OR_RETURN(
            connections::Connection c,
            domain_.connections->Revoke(call, r.connection_id()));
        *out = ToProto(c);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* IdentityServiceImpl::ConnectAdsAccount(
    grpc::CallbackServerContext* ctx, const v1::ConnectAdsAccountRequest* req,
    v1::ConnectAdsAccountResponse* resp) {
  return HandleUnary<v1::ConnectAdsAccountRequest,
                     v1::ConnectAdsAccountResponse>(
      env_, ctx, req, resp, "ConnectAdsAccount",
      [this](const CallContext& call, const v1::ConnectAdsAccountRequest& r,
             v1::ConnectAdsAccountResponse* out) -> absl::Status {
        TTADS_ASSIGN_OR_RETURN(*out,
                               domain_.mutations->ConnectAdsAccount(call, r));
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* IdentityServiceImpl::ListAccounts(
    grpc::CallbackServerContext* ctx, const v1::ListAccountsRequest* req,
    v1::ListAccountsResponse* resp) {
  return HandleUnary<v1::ListAccountsRequest, v1::ListAccountsResponse>(
      env_, ctx, req, resp, "ListAccounts",
      [this](const CallContext& call, const v1::ListAccountsRequest& r,
             v1::ListAccountsResponse* out) -> absl::Status {
        TTADS_ASSIGN_OR_RETURN(std::vector<v1::Account> list,
                               domain_.accounts->List(call, r.platform()));
        for (auto& a : list) *out->add_accounts() = std::move(a);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* IdentityServiceImpl::CreateAccount(
    grpc::CallbackServerContext* ctx, const v1::CreateAccountRequest* req,
    v1::Account* resp) {
  return HandleUnary<v1::CreateAccountRequest, v1::Account>(
      env_, ctx, req, resp, "CreateAccount",
      [this](const CallContext& call, const v1::CreateAccountRequest& r,
             v1::Account* out) -> absl::Status {
        TTADS_ASSIGN_OR_RETURN(*out, domain_.mutations->CreateAccount(call, r));
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* IdentityServiceImpl::CheckIdentity(
    grpc::CallbackServerContext* ctx, const v1::CheckIdentityRequest* req,
    v1::CheckIdentityResponse* resp) {
  return HandleUnary<v1::CheckIdentityRequest, v1::CheckIdentityResponse>(
      env_, ctx, req, resp, "CheckIdentity",
      [this](const CallContext& call, const v1::CheckIdentityRequest& r,
             v1::CheckIdentityResponse* out) -> absl::Status {
        TTADS_ASSIGN_OR_RETURN(IdentityCheck check,
                               domain_.catalog->Check(call, r.advertiser_id()));
        out->set_has_identity(check.has_identity);
        out->set_advertiser_id(check.advertiser_id);
        out->set_reason(check.reason);
        if (check.has_identity) {
          out->set_identity_id(check.identity.identity_id());
          out->set_display_name(check.identity.display_name());
          out->set_profile_image(check.identity.profile_image());
        }
        if (check.reason == "api_error") {
          *out->mutable_tiktok_error() = check.tiktok_error;
        }
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* IdentityServiceImpl::ListIdentities(
    grpc::CallbackServerContext* ctx, const v1::ListIdentitiesRequest* req,
    v1::ListIdentitiesResponse* resp) {
  return HandleUnary<v1::ListIdentitiesRequest, v1::ListIdentitiesResponse>(
      env_, ctx, req, resp, "ListIdentities",
      [this](const CallContext& call, const v1::ListIdentitiesRequest& r,
             v1::ListIdentitiesResponse* out) -> absl::Status {
        TTADS_ASSIGN_OR_RETURN(
            IdentityListPage page,
            domain_.catalog->ListPage(
                call, IdentityPageQuery{.advertiser_id = r.advertiser_id(),
                                        .type = r.identity_type(),
                                        .page_size = r.page_size(),
                                        .page_token = r.page_token()}));
        out->set_advertiser_id(page.advertiser_id);
        for (auto& identity : page.identities) {
          *out->add_identities() = std::move(identity);
        }
        out->set_next_page_token(page.next_page_token);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* IdentityServiceImpl::CreateIdentity(
    grpc::CallbackServerContext* ctx, const v1::CreateIdentityRequest* req,
    common::v1::Identity* resp) {
  return HandleUnary<v1::CreateIdentityRequest, common::v1::Identity>(
      env_, ctx, req, resp, "CreateIdentity",
      [this](const CallContext& call, const v1::CreateIdentityRequest& r,
             common::v1::Identity* out) -> absl::Status {
        TTADS_ASSIGN_OR_RETURN(*out,
                               domain_.mutations->CreateIdentity(call, r));
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* IdentityServiceImpl::ConfigureBrandIdentity(
    grpc::CallbackServerContext* ctx,
    const v1::ConfigureBrandIdentityRequest* req,
    v1::ConfigureBrandIdentityResponse* resp) {
  return HandleUnary<v1::ConfigureBrandIdentityRequest,
                     v1::ConfigureBrandIdentityResponse>(
      env_, ctx, req, resp, "ConfigureBrandIdentity",
      [this](const CallContext& call,
             const v1::ConfigureBrandIdentityRequest& r,
             v1::ConfigureBrandIdentityResponse* out) -> absl::Status {
        TTADS_ASSIGN_OR_RETURN(
            *out, domain_.mutations->ConfigureBrandIdentity(call, r));
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* IdentityServiceImpl::GetBrandIdentity(
    grpc::CallbackServerContext* ctx, const v1::GetBrandIdentityRequest* req,
    v1::BrandIdentity* resp) {
  return HandleUnary<v1::GetBrandIdentityRequest, v1::BrandIdentity>(
      env_, ctx, req, resp, "GetBrandIdentity",
      [this](const CallContext& call, const v1::GetBrandIdentityRequest& r,
             v1::BrandIdentity* out) -> absl::Status {
        TTADS_ASSIGN_OR_RETURN(*out, domain_.brand->Get(call, r.account_id()));
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* IdentityServiceImpl::ResolveIdentity(
    grpc::CallbackServerContext* ctx, const v1::ResolveIdentityRequest* req,
    v1::ResolveIdentityResponse* resp) {
  return HandleUnary<v1::ResolveIdentityRequest, v1::ResolveIdentityResponse>(
      env_, ctx, req, resp, "ResolveIdentity",
      [this](const CallContext& call, const v1::ResolveIdentityRequest& r,
             v1::ResolveIdentityResponse* out) -> absl::Status {
        TTADS_ASSIGN_OR_RETURN(*out, domain_.resolver->Resolve(call, r));
        return absl::OkStatus();
      });
}

}  // namespace ttads::identity
