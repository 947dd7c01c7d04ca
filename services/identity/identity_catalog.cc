#include "services/identity/identity_catalog.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "libs/status/grpc_status.h"
#include "libs/status/status.h"
#include "libs/status/status_macros.h"
#include "libs/store/key_schema.h"
#include "libs/tiktok/error_class.h"

namespace ttads::identity {
namespace {

bool IsNoToken(const absl::Status& status) {
  std::string reason = status::ReasonOf(status);
  return reason == "NO_TOKEN" || reason == "ADVERTISER_NOT_REACHABLE";
}

common::v1::TikTokError ToTikTokError(const absl::Status& status) {
  common::v1::TikTokError error;
  auto info = tiktok::GetTikTokErrorInfo(status);
  if (info.has_value()) {
    error.set_code(info->code);
    error.set_request_id(info->request_id);
    error.set_message(info->message.empty() ? std::string(status.message())
                                            : info->message);
  } else {
    error.set_message(std::string(status.message()));
  }
  return error;
}

}  // namespace

IdentityCatalog::IdentityCatalog(store::RedisPool* redis,
                                 connections::ConnectionStore* connections,
                                 connections::TokenResolver* tokens,
                                 auth::TeamStore* teams,
                                 TikTokIdentityApi* tiktok,
                                 CatalogOptions options)
    : connections_(connections),
      tokens_(tokens),
      teams_(teams),
      tiktok_(tiktok),
      cache_(redis, tiktok, options) {}

absl::StatusOr<connections::ResolvedToken> IdentityCatalog::ResolveToken(
    const server::CallContext& call, const std::string& advertiser_id) {
  if (!advertiser_id.empty() && !store::IsValidKeyId(advertiser_id)) {
    return status::InvalidArgument(
        "advertiser_id is malformed",
        {{"advertiser_id", "must be 1-64 characters of [A-Za-z0-9_-]"}});
  }
  return tokens_->Resolve(
      {call.caller.team_id, call.caller.member_id, call.caller.role},
      advertiser_id);
}

absl::Status IdentityCatalog::NoteUpstreamFailure(
    const connections::ResolvedToken& token, absl::Status status) {
  if (tiktok::IsTokenRevoked(status)) {
    connections_
        ->MarkRevoked(token.connection.team_id, token.connection.connection_id,
                      absl::Now())
        .IgnoreError();
  }
  return status;
}

absl::StatusOr<std::vector<common::v1::Identity>> IdentityCatalog::ListFor(
    const server::CallContext& call, const connections::ResolvedToken& token) {
  auto identities = cache_.Get(call, token);
  if (!identities.ok()) return NoteUpstreamFailure(token, identities.status());
  return identities;
}

absl::StatusOr<IdentityList> IdentityCatalog::List(
    const server::CallContext& call, const std::string& advertiser_id) {
  TTADS_ASSIGN_OR_RETURN(connections::ResolvedToken token,
                         ResolveToken(call, advertiser_id));
  TTADS_ASSIGN_OR_RETURN(std::vector<common::v1::Identity> identities,
                         ListFor(call, token));
  return IdentityList{token.advertiser_id, std::move(identities)};
}

absl::StatusOr<IdentityListPage> IdentityCatalog::ListPage(
    const server::CallContext& call, const IdentityPageQuery& query) {
  if (query.page_size < 0 || query.page_size > kMaxListPageSize) {
    return status::InvalidArgument("page_size must be 0-100",
                                   {{"page_size", "must be 0-100"}});
  }
  size_t offset = 0;
  if (!query.page_token.empty() &&
      !absl::SimpleAtoi(query.page_token, &offset)) {
    return status::InvalidArgument(
        "page_token is invalid",
        {{"page_token", "not a token from a previous response"}});
  }
  TTADS_ASSIGN_OR_RETURN(IdentityList list, List(call, query.advertiser_id));
  IdentityListPage page;
  page.advertiser_id = list.advertiser_id;
  const size_t page_size =
      query.page_size == 0 ? kMaxListPageSize : query.page_size;
  size_t index = 0;
  for (auto& identity : list.identities) {
    if (query.type != common::v1::IDENTITY_TYPE_UNSPECIFIED &&
        identity.identity_type() != query.type) {
      continue;
    }
    if (index++ < offset) continue;
    if (page.identities.size() == page_size) {
      page.next_page_token = std::to_string(offset + page_size);
      break;
    }
    page.identities.push_back(std::move(identity));
  }
  return page;
}

absl::StatusOr<IdentityCheck> IdentityCatalog::Check(
    const server::CallContext& call, const std::string& advertiser_id) {
  IdentityCheck check;
  check.advertiser_id = advertiser_id;
  auto token = ResolveToken(call, advertiser_id);
  if (!token.ok()) {
    if (IsNoToken(token.status())) {
      check.reason = "no_token";
      return check;
    }
    return token.status();
  }
  check.advertiser_id = token->advertiser_id;
  auto identities = ListFor(call, *token);
  if (!identities.ok()) {
    check.reason = "api_error";
    check.tiktok_error = ToTikTokError(identities.status());
    return check;
  }
  for (const auto& identity : *identities) {
    if (identity.identity_type() == common::v1::IDENTITY_TYPE_TT_USER) {
      check.has_identity = true;
      check.identity = identity;
      return check;
    }
  }
  check.reason = "no_tt_user";
  return check;
}

absl::StatusOr<common::v1::Identity> IdentityCatalog::CreateCustom(
    const server::CallContext& call, const std::string& advertiser_id,
    const std::string& display_name, const std::string& image_uri,
    common::v1::IdentityType type) {
  TTADS_ASSIGN_OR_RETURN(std::string name,
                         CustomIdentityName(display_name, image_uri, type));
  TTADS_ASSIGN_OR_RETURN(auth::Team team, teams_->GetTeam(call.caller.team_id));
  if (!team.subscription_active) {
    return status::WithErrorInfo(
        status::PreconditionFailed(
            "creating an identity requires an active subscription",
            "SUBSCRIPTION", absl::StrCat("team:", call.caller.team_id),
            "the team has no active subscription"),
        "SUBSCRIPTION_REQUIRED");
  }
  TTADS_ASSIGN_OR_RETURN(connections::ResolvedToken token,
                         ResolveToken(call, advertiser_id));
  TTADS_ASSIGN_OR_RETURN(std::string id,
                         CreateCustomFor(call, token, name, image_uri));
  common::v1::Identity identity;
  identity.set_identity_id(id);
  identity.set_identity_type(common::v1::IDENTITY_TYPE_CUSTOMIZED_USER);
  identity.set_display_name(name);
  identity.set_available_status("AVAILABLE");
  return identity;
}

absl::StatusOr<std::string> IdentityCatalog::CreateCustomFor(
    const server::CallContext& call, const connections::ResolvedToken& token,
    const std::string& display_name, const std::string& image_id) {
  auto id =
      tiktok_->CreateCustomIdentity(token.access_token, token.advertiser_id,
                                    display_name, image_id, call.deadline);
  // Invalidate even on failure: an ambiguous create may have happened.
  Invalidate(token.connection.team_id, token.advertiser_id);
  if (!id.ok()) return NoteUpstreamFailure(token, id.status());
  return id;
}

}  // namespace ttads::identity
