#include "services/identity/identity_resolver.h"

#include "absl/strings/str_cat.h"
#include "libs/status/status.h"
#include "libs/status/status_macros.h"

namespace ttads::identity {
namespace {

using common::v1::Identity;
using common::v1::IdentityType;

bool Usable(const Identity& identity) {
  return identity.available_status().empty() ||
         identity.available_status() == "AVAILABLE";
}

const Identity* FindById(const std::vector<Identity>& list,
                         const std::string& id) {
  for (const auto& identity : list) {
    if (identity.identity_id() == id) return &identity;
  }
  return nullptr;
}

const Identity* FirstOfType(const std::vector<Identity>& list,
                            IdentityType type) {
  for (const auto& identity : list) {
    if (identity.identity_type() == type && Usable(identity)) return &identity;
  }
  return nullptr;
}

absl::StatusOr<v1::ResolveIdentityResponse> Chosen(
    const Identity& identity, v1::ResolutionSource source,
    const std::string& advertiser) {
  v1::ResolveIdentityResponse response;
  *response.mutable_identity() = identity;
  response.set_source(source);
  response.set_advertiser_id(advertiser);
  return response;
}

}  // namespace

absl::StatusOr<CustomIdentityPolicy> ParseCustomIdentityPolicy(
    const std::string& text) {
  if (text == "allow") return CustomIdentityPolicy::kAllow;
  if (text == "opt_in" || text.empty()) return CustomIdentityPolicy::kOptIn;
  if (text == "reject") return CustomIdentityPolicy::kReject;
  return absl::InvalidArgumentError(absl::StrCat(
      "custom identity policy must be allow, opt_in or reject, got \"", text,
      "\""));
}

absl::StatusOr<v1::ResolveIdentityResponse> IdentityResolver::Resolve(
    const server::CallContext& call, const v1::ResolveIdentityRequest& req) {
  v1::Account account;
  std::string advertiser = req.advertiser_id();
  if (!req.account_id().empty()) {
    TTADS_ASSIGN_OR_RETURN(
        account, accounts_->Get(call.caller.team_id, req.account_id()));
    if (advertiser.empty()) advertiser = account.advertiser_id();
  }
  TTADS_ASSIGN_OR_RETURN(connections::ResolvedToken token,
                         catalog_->ResolveToken(call, advertiser));
  TTADS_ASSIGN_OR_RETURN(const std::vector<Identity> identities,
                         catalog_->ListFor(call, token));
  const std::string& adv = token.advertiser_id;
  const bool customized_allowed_by_policy =
      policy_ != CustomIdentityPolicy::kReject;

  if (!req.identity_id().empty()) {
    const Identity* identity = FindById(identities, req.identity_id());
    if (identity == nullptr ||
        (req.identity_type() != common::v1::IDENTITY_TYPE_UNSPECIFIED &&
         identity->identity_type() != req.identity_type())) {
      return status::InvalidArgument(
          absl::StrCat("identity ", req.identity_id(),
                       " is not an identity of advertiser ", adv,
                       " with that type"),
          {{"identity_id",
            absl::StrCat("not an identity of advertiser ", adv)}},
          "IDENTITY_NOT_FOUND");
    }
    if (identity->identity_type() ==
        common::v1::IDENTITY_TYPE_CUSTOMIZED_USER) {
      if (req.spark_ad()) {
        return status::InvalidArgument(
            "Spark Ads need a TT_USER, AUTH_CODE or BC_AUTH_TT identity",
            {{"identity_type", "CUSTOMIZED_USER cannot run Spark Ads"}});
      }
      if (!customized_allowed_by_policy) {
        return status::InvalidArgument(
            "CUSTOMIZED_USER identities are not accepted for new ads (TikTok "
            "retired Custom Identity for new campaigns in 2026); use a TT_USER "
            "or BC_AUTH_TT identity",
            {{"identity_type", "CUSTOMIZED_USER is rejected by policy"}},
            "CUSTOM_IDENTITY_REJECTED");
      }
    }
    if (!Usable(*identity)) {
      return status::InvalidArgument(
          absl::StrCat("identity ", req.identity_id(),
                       " is not available: ", identity->available_status()),
          {{"identity_id", identity->available_status()}});
    }
    return Chosen(*identity, v1::RESOLUTION_SOURCE_EXPLICIT, adv);
  }

  if (account.mode() == v1::ADS_ACCOUNT_MODE_LINKED &&
      !account.parent_account_id().empty()) {
    auto parent =
        accounts_->Get(call.caller.team_id, account.parent_account_id());
    if (parent.ok() && !parent->tt_user_identity_id().empty()) {
      const Identity* linked =
          FindById(identities, parent->tt_user_identity_id());
      if (linked != nullptr && Usable(*linked)) {
        return Chosen(*linked, v1::RESOLUTION_SOURCE_LINKED_ACCOUNT, adv);
      }
    }
  }
  if (const Identity* tt =
          FirstOfType(identities, common::v1::IDENTITY_TYPE_TT_USER)) {
    return Chosen(*tt, v1::RESOLUTION_SOURCE_TT_USER, adv);
  }
  if (const Identity* bc =
          FirstOfType(identities, common::v1::IDENTITY_TYPE_BC_AUTH_TT)) {
    return Chosen(*bc, v1::RESOLUTION_SOURCE_BC_AUTH_TT, adv);
  }
  if (req.spark_ad()) {
    if (const Identity* code =
            FirstOfType(identities, common::v1::IDENTITY_TYPE_AUTH_CODE)) {
      return Chosen(*code, v1::RESOLUTION_SOURCE_AUTH_CODE, adv);
    }
    return status::WithErrorInfo(
        absl::FailedPreconditionError(absl::StrCat(
            "advertiser ", adv,
            " has no TT_USER, AUTH_CODE or BC_AUTH_TT identity for Spark Ads: "
            "authorize a TikTok account in the TikTok app")),
        "NO_USABLE_IDENTITY");
  }
  const bool may_use_custom =
      policy_ == CustomIdentityPolicy::kAllow ||
      (policy_ == CustomIdentityPolicy::kOptIn && req.allow_customized_user());
  if (may_use_custom) {
    if (!account.brand_identity_id().empty()) {
      if (const Identity* brand =
              FindById(identities, account.brand_identity_id())) {
        return Chosen(*brand, v1::RESOLUTION_SOURCE_BRAND_IDENTITY, adv);
      }
    }
    if (const Identity* custom = FirstOfType(
            identities, common::v1::IDENTITY_TYPE_CUSTOMIZED_USER)) {
      return Chosen(*custom, v1::RESOLUTION_SOURCE_CUSTOMIZED_USER, adv);
    }
  }
  std::string hint =
      "authorize a TT_USER in the TikTok app or add a TikTok account to your "
      "Business Center";
  if (policy_ == CustomIdentityPolicy::kOptIn && !req.allow_customized_user()) {
    hint += ", or opt in to a CUSTOMIZED_USER (Brand Identity) for this ad";
  } else if (policy_ != CustomIdentityPolicy::kReject) {
    hint += ", or create a CUSTOMIZED_USER identity";
  }
  return status::WithErrorInfo(
      absl::FailedPreconditionError(
          absl::StrCat("advertiser ", adv, " has no usable identity: ", hint)),
      "NO_USABLE_IDENTITY", {{"advertiser_id", adv}});
}

}  // namespace ttads::identity
