#include "services/identity/tiktok_account_service.h"

#include "libs/status/status_macros.h"

namespace ttads::identity {
namespace {

using connections::TikTokAccount;
using server::CallContext;
using server::HandleUnary;

void SetTime(absl::Time t, google::protobuf::Timestamp* ts) {
  ts->set_seconds(absl::ToUnixSeconds(t));
  ts->set_nanos(static_cast<int32_t>(
      absl::ToInt64Nanoseconds(t - absl::FromUnixSeconds(ts->seconds()))));
}

v1::TikTokAccountState StateOf(TikTokAccount::State s) {
  switch (s) {
    case TikTokAccount::State::kActive:
      return v1::TIKTOK_ACCOUNT_STATE_ACTIVE;
    case TikTokAccount::State::kNeedsReconsent:
      return v1::TIKTOK_ACCOUNT_STATE_NEEDS_RECONSENT;
    case TikTokAccount::State::kRevoked:
      return v1::TIKTOK_ACCOUNT_STATE_REVOKED;
  }
  return v1::TIKTOK_ACCOUNT_STATE_UNSPECIFIED;
}

}  // namespace

v1::TikTokAccountConnection ToProto(const TikTokAccount& a) {
  v1::TikTokAccountConnection out;
  out.set_connection_id(a.connection_id);
  out.set_member_id(a.member_id);
  out.set_open_id(a.open_id);
  out.set_state(StateOf(a.state));
  for (const auto& s : a.scopes) out.add_scopes(s);
  if (a.state != TikTokAccount::State::kRevoked) {
    SetTime(a.access_expire_time, out.mutable_access_expire_time());
    SetTime(a.refresh_expire_time, out.mutable_refresh_expire_time());
  }
  SetTime(a.create_time, out.mutable_create_time());
  SetTime(a.state_time, out.mutable_state_time());
  return out;
}

grpc::ServerUnaryReactor*
TikTokAccountServiceImpl::StartTikTokAccountConnection(
    grpc::CallbackServerContext* ctx,
    const v1::StartTikTokAccountConnectionRequest* req,
    v1::StartTikTokAccountConnectionResponse* resp) {
  return HandleUnary<v1::StartTikTokAccountConnectionRequest,
                     v1::StartTikTokAccountConnectionResponse>(
      env_, ctx, req, resp, "StartTikTokAccountConnection",
      [this](const CallContext& call,
             const v1::StartTikTokAccountConnectionRequest& r,
             v1::StartTikTokAccountConnectionResponse* out) -> absl::Status {
        TTADS_ASSIGN_OR_RETURN(
            StartedAccountConnection started,
            accounts_->Start(call, r.redirect_uri(),
                             {r.scopes().begin(), r.scopes().end()}));
        out->set_authorization_url(started.authorization_url);
        out->set_state(started.state);
        SetTime(started.expire_time, out->mutable_expire_time());
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor*
TikTokAccountServiceImpl::CompleteTikTokAccountConnection(
    grpc::CallbackServerContext* ctx,
    const v1::CompleteTikTokAccountConnectionRequest* req,
    v1::TikTokAccountConnection* resp) {
  return HandleUnary<v1::CompleteTikTokAccountConnectionRequest,
                     v1::TikTokAccountConnection>(
      env_, ctx, req, resp, "CompleteTikTokAccountConnection",
      [this](const CallContext& call,
             const v1::CompleteTikTokAccountConnectionRequest& r,
             v1::TikTokAccountConnection* out) -> absl::Status {
        TTADS_ASSIGN_OR_RETURN(TikTokAccount a,
                               accounts_->Complete(call, r.state(), r.code()));
        *out = ToProto(a);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor*
TikTokAccountServiceImpl::ListTikTokAccountConnections(
    grpc::CallbackServerContext* ctx,
    const v1::ListTikTokAccountConnectionsRequest* req,
    v1::ListTikTokAccountConnectionsResponse* resp) {
  return HandleUnary<v1::ListTikTokAccountConnectionsRequest,
                     v1::ListTikTokAccountConnectionsResponse>(
      env_, ctx, req, resp, "ListTikTokAccountConnections",
      [this](const CallContext& call,
             const v1::ListTikTokAccountConnectionsRequest&,
             v1::ListTikTokAccountConnectionsResponse* out) -> absl::Status {
        TTADS_ASSIGN_OR_RETURN(std::vector<TikTokAccount> all,
                               accounts_->List(call));
        for (const auto& a : all) *out->add_connections() = ToProto(a);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor*
TikTokAccountServiceImpl::RevokeTikTokAccountConnection(
    grpc::CallbackServerContext* ctx,
    const v1::RevokeTikTokAccountConnectionRequest* req,
    v1::TikTokAccountConnection* resp) {
  return HandleUnary<v1::RevokeTikTokAccountConnectionRequest,
                     v1::TikTokAccountConnection>(
      env_, ctx, req, resp, "RevokeTikTokAccountConnection",
      [this](const CallContext& call,
             const v1::RevokeTikTokAccountConnectionRequest& r,
             v1::TikTokAccountConnection* out) -> absl::Status {
        TTADS_ASSIGN_OR_RETURN(TikTokAccount a,
                               accounts_->Revoke(call, r.connection_id()));
        *out = ToProto(a);
        return absl::OkStatus();
      });
}

}  // namespace ttads::identity
