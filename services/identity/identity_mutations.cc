#include "services/identity/identity_mutations.h"

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "libs/crypto/random.h"
#include "libs/idempotency/request_digest.h"
#include "libs/idempotency/run_once.h"
#include "libs/status/status_macros.h"
#include "libs/tiktok/error_class.h"

namespace ttads::identity {
namespace {

using google::protobuf::Message;
using idempotency::Attempt;

// The ids of the advertiser's CUSTOMIZED_USER identities named `name`.
std::set<std::string> NamedCustomIds(const IdentityList& list,
                                     const std::string& name) {
  std::set<std::string> ids;
  for (const auto& identity : list.identities) {
    if (identity.identity_type() == common::v1::IDENTITY_TYPE_CUSTOMIZED_USER &&
        identity.display_name() == name) {
      ids.insert(identity.identity_id());
    }
  }
  return ids;
}

}  // namespace

absl::StatusOr<v1::ConnectAdsAccountResponse>
IdentityMutations::ConnectAdsAccount(const server::CallContext& call,
                                     const v1::ConnectAdsAccountRequest& req) {
  v1::ConnectAdsAccountResponse out;
  idempotency::Operation op;
  // The (advertiser, posting account) slot already makes a second connect
  // find the first one's account: applying again is harmless.
  op.apply = [&](Attempt&, Message* response) -> absl::Status {
    TTADS_ASSIGN_OR_RETURN(
        *static_cast<v1::ConnectAdsAccountResponse*>(response),
        accounts_->Connect(call, req));
    return absl::OkStatus();
  };
  TTADS_RETURN_IF_ERROR(idempotency::RunOnce(
      &store_,
      {call.caller.team_id, "identity.ConnectAdsAccount", req.request_id()},
      idempotency::RequestDigest(req), call.deadline, &out, op));
  return out;
}

absl::StatusOr<v1::Account> IdentityMutations::CreateAccount(
    const server::CallContext& call, const v1::CreateAccountRequest& req) {
  v1::Account out;
  idempotency::Operation op;
  // The account id is the intent: recorded before the write, reused by a
  // call that takes the key over.
  op.apply = [&](Attempt& attempt, Message* response) -> absl::Status {
    std::string id = attempt.earlier_intent();
    if (id.empty()) {
      id = absl::StrCat("acc_", crypto::RandomToken(12));
      TTADS_RETURN_IF_ERROR(attempt.SaveIntent(id));
    }
    TTADS_ASSIGN_OR_RETURN(*static_cast<v1::Account*>(response),
                           accounts_->CreatePosting(call, req, id));
    return absl::OkStatus();
  };
  op.reconcile = [&](std::string_view intent,
                     Message* response) -> absl::StatusOr<bool> {
    if (intent.empty()) return false;
    auto found = accounts_->Get(call, std::string(intent));
    if (absl::IsNotFound(found.status())) return false;
    TTADS_RETURN_IF_ERROR(found.status());
    *static_cast<v1::Account*>(response) = *std::move(found);
    return true;
  };
  TTADS_RETURN_IF_ERROR(idempotency::RunOnce(
      &store_,
      {call.caller.team_id, "identity.CreateAccount", req.request_id()},
      idempotency::RequestDigest(req), call.deadline, &out, op));
  return out;
}

absl::StatusOr<common::v1::Identity> IdentityMutations::CreateIdentity(
    const server::CallContext& call, const v1::CreateIdentityRequest& req) {
  // Refusals first: nothing is listed or claimed for a request that cannot
  // be created.
  TTADS_ASSIGN_OR_RETURN(const std::string name,
                         CustomIdentityName(req.display_name(), req.image_uri(),
                                            req.identity_type()));
  common::v1::Identity out;
  idempotency::Operation op;
  op.apply = [&](Attempt& attempt, Message* response) -> absl::Status {
    auto* identity = static_cast<common::v1::Identity*>(response);
    std::string advertiser = req.advertiser_id();
    if (!attempt.earlier_intent().empty()) {
      // "<advertiser>\n<ids named so before the earlier create>".
      const std::pair<std::string, std::string> intent =
          absl::StrSplit(attempt.earlier_intent(), absl::MaxSplits('\n', 1));
      advertiser = intent.first;
      const std::set<std::string> before =
          absl::StrSplit(intent.second, ',', absl::SkipEmpty());
      catalog_->Invalidate(call.caller.team_id, advertiser);
      TTADS_ASSIGN_OR_RETURN(IdentityList now,
                             catalog_->List(call, advertiser));
      for (const auto& found : now.identities) {
        if (found.identity_type() == common::v1::IDENTITY_TYPE_CUSTOMIZED_USER &&
            found.display_name() == name &&
            !before.contains(found.identity_id())) {
          *identity = found;
          return absl::OkStatus();
        }
      }
    } else if (!req.request_id().empty()) {
      TTADS_ASSIGN_OR_RETURN(IdentityList before,
                             catalog_->List(call, advertiser));
      advertiser = before.advertiser_id;
      TTADS_RETURN_IF_ERROR(attempt.SaveIntent(absl::StrCat(
          advertiser, "\n", absl::StrJoin(NamedCustomIds(before, name), ","))));
    }
    absl::StatusOr<common::v1::Identity> created =
        catalog_->CreateCustom(call, advertiser, req.display_name(),
                               req.image_uri(), req.identity_type());
    if (!created.ok()) {
      // Refused before TikTok created anything (and any earlier attempt
      // was looked for above): the key is free again.
      if (!tiktok::IsAmbiguous(created.status())) attempt.WroteNothing();
      return created.status();
    }
    *identity = *std::move(created);
    return absl::OkStatus();
  };
  TTADS_RETURN_IF_ERROR(idempotency::RunOnce(
      &store_,
      {call.caller.team_id, "identity.CreateIdentity", req.request_id()},
      idempotency::RequestDigest(req), call.deadline, &out, op));
  return out;
}

absl::StatusOr<v1::ConfigureBrandIdentityResponse>
IdentityMutations::ConfigureBrandIdentity(
    const server::CallContext& call,
    const v1::ConfigureBrandIdentityRequest& req) {
  v1::ConfigureBrandIdentityResponse out;
  idempotency::Operation op;
  // The same name and image again return the cached identity: applying
  // again creates nothing once the first call recorded it.
  op.apply = [&](Attempt&, Message* response) -> absl::Status {
    TTADS_ASSIGN_OR_RETURN(
        *static_cast<v1::ConfigureBrandIdentityResponse*>(response),
        brand_->Configure(call, req.account_id(), req.display_name(),
                          req.image_url()));
    return absl::OkStatus();
  };
  TTADS_RETURN_IF_ERROR(idempotency::RunOnce(
      &store_,
      {call.caller.team_id, "identity.ConfigureBrandIdentity",
       req.request_id()},
      idempotency::RequestDigest(req), call.deadline, &out, op));
  return out;
}

}  // namespace ttads::identity
