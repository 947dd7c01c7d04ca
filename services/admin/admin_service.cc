#include "services/admin/admin_service.h"

namespace ttads::admin {

grpc::ServerUnaryReactor* AdminServiceImpl::CreateTeam(
    grpc::CallbackServerContext* ctx, const v1::CreateTeamRequest* req,
    v1::Team* resp) {
  return server::HandleUnary<v1::CreateTeamRequest, v1::Team>(
      env_, ctx, req, resp, "CreateTeam",
      [this](const server::CallContext& call, const v1::CreateTeamRequest& r,
             v1::Team* out) { return api_->CreateTeam(call, r, out); });
}

grpc::ServerUnaryReactor* AdminServiceImpl::GetTeam(
    grpc::CallbackServerContext* ctx, const v1::GetTeamRequest* req,
    v1::Team* resp) {
  return server::HandleUnary<v1::GetTeamRequest, v1::Team>(
      env_, ctx, req, resp, "GetTeam",
      [this](const server::CallContext& call, const v1::GetTeamRequest& r,
             v1::Team* out) { return api_->GetTeam(call, r, out); });
}

grpc::ServerUnaryReactor* AdminServiceImpl::ListTeams(
    grpc::CallbackServerContext* ctx, const v1::ListTeamsRequest* req,
    v1::ListTeamsResponse* resp) {
  return server::HandleUnary<v1::ListTeamsRequest, v1::ListTeamsResponse>(
      env_, ctx, req, resp, "ListTeams",
      [this](const server::CallContext& call, const v1::ListTeamsRequest& r,
             v1::ListTeamsResponse* out) {
        return api_->ListTeams(call, r, out);
      });
}

grpc::ServerUnaryReactor* AdminServiceImpl::CreateMember(
    grpc::CallbackServerContext* ctx, const v1::CreateMemberRequest* req,
    v1::Member* resp) {
  return server::HandleUnary<v1::CreateMemberRequest, v1::Member>(
      env_, ctx, req, resp, "CreateMember",
      [this](const server::CallContext& call, const v1::CreateMemberRequest& r,
             v1::Member* out) { return api_->CreateMember(call, r, out); });
}

grpc::ServerUnaryReactor* AdminServiceImpl::ListMembers(
    grpc::CallbackServerContext* ctx, const v1::ListMembersRequest* req,
    v1::ListMembersResponse* resp) {
  return server::HandleUnary<v1::ListMembersRequest, v1::ListMembersResponse>(
      env_, ctx, req, resp, "ListMembers",
      [this](const server::CallContext& call, const v1::ListMembersRequest& r,
             v1::ListMembersResponse* out) {
        return api_->ListMembers(call, r, out);
      });
}

grpc::ServerUnaryReactor* AdminServiceImpl::DeleteMember(
    grpc::CallbackServerContext* ctx, const v1::DeleteMemberRequest* req,
    v1::DeleteMemberResponse* resp) {
  return server::HandleUnary<v1::DeleteMemberRequest, v1::DeleteMemberResponse>(
      env_, ctx, req, resp, "DeleteMember",
      [this](const server::CallContext& call, const v1::DeleteMemberRequest& r,
             v1::DeleteMemberResponse* out) {
        return api_->DeleteMember(call, r, out);
      });
}

grpc::ServerUnaryReactor* AdminServiceImpl::CreateApiKey(
    grpc::CallbackServerContext* ctx, const v1::CreateApiKeyRequest* req,
    v1::CreateApiKeyResponse* resp) {
  return server::HandleUnary<v1::CreateApiKeyRequest, v1::CreateApiKeyResponse>(
      env_, ctx, req, resp, "CreateApiKey",
      [this](const server::CallContext& call, const v1::CreateApiKeyRequest& r,
             v1::CreateApiKeyResponse* out) {
        return api_->CreateApiKey(call, r, out);
      });
}

grpc::ServerUnaryReactor* AdminServiceImpl::ListApiKeys(
    grpc::CallbackServerContext* ctx, const v1::ListApiKeysRequest* req,
    v1::ListApiKeysResponse* resp) {
  return server::HandleUnary<v1::ListApiKeysRequest, v1::ListApiKeysResponse>(
      env_, ctx, req, resp, "ListApiKeys",
      [this](const server::CallContext& call, const v1::ListApiKeysRequest& r,
             v1::ListApiKeysResponse* out) {
        return api_->ListApiKeys(call, r, out);
      });
}

grpc::ServerUnaryReactor* AdminServiceImpl::RevokeApiKey(
    grpc::CallbackServerContext* ctx, const v1::RevokeApiKeyRequest* req,
    v1::RevokeApiKeyResponse* resp) {
  return server::HandleUnary<v1::RevokeApiKeyRequest, v1::RevokeApiKeyResponse>(
      env_, ctx, req, resp, "RevokeApiKey",
      [this](const server::CallContext& call, const v1::RevokeApiKeyRequest& r,
             v1::RevokeApiKeyResponse* out) {
        return api_->RevokeApiKey(call, r, out);
      });
}

grpc::ServerUnaryReactor* AdminServiceImpl::RotateApiKey(
    grpc::CallbackServerContext* ctx, const v1::RotateApiKeyRequest* req,
    v1::RotateApiKeyResponse* resp) {
  return server::HandleUnary<v1::RotateApiKeyRequest, v1::RotateApiKeyResponse>(
      env_, ctx, req, resp, "RotateApiKey",
      [this](const server::CallContext& call, const v1::RotateApiKeyRequest& r,
             v1::RotateApiKeyResponse* out) {
        return api_->RotateApiKey(call, r, out);
      });
}

}  // namespace ttads::admin
