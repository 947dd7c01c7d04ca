#include "services/identity/ads_accounts.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libs/crypto/random.h"
#include "libs/status/status.h"
#include "libs/status/status_macros.h"
#include "libs/store/key_schema.h"

namespace ttads::identity {
namespace {

void SetNow(google::protobuf::Timestamp* ts) {
  absl::Time now = absl::Now();
  ts->set_seconds(absl::ToUnixSeconds(now));
  ts->set_nanos(static_cast<int32_t>(
      absl::ToInt64Nanoseconds(now - absl::FromUnixSeconds(ts->seconds()))));
}

}  // namespace

absl::StatusOr<v1::ConnectAdsAccountResponse> AdsAccounts::Connect(
    const server::CallContext& call, const v1::ConnectAdsAccountRequest& req) {
  const std::string platform = absl::AsciiStrToLower(req.platform());
  if (platform != "tiktok") {
    return status::InvalidArgument(
        absl::StrCat("ads connection is supported for platform \"tiktok\" "
                     "only, got \"",
                     req.platform(), "\""),
        {{"platform", "must be \"tiktok\""}});
  }
  v1::Account parent;
  if (!req.account_id().empty()) {
    auto found = accounts_->Get(call.caller.team_id, req.account_id());
    if (!found.ok() || found->platform() != "tiktok") {
      return status::WithFieldViolations(
          absl::NotFoundError(
              absl::StrCat("posting account ", req.account_id(), " not found")),
          {{"account_id", "not a tiktok posting account of your team"}});
    }
    parent = *found;
  }
  std::string advertiser = req.advertiser_id();
  if (advertiser.empty() && !parent.advertiser_id().empty()) {
    advertiser = parent.advertiser_id();
  }
  if (!advertiser.empty() && !store::IsValidKeyId(advertiser)) {
    return status::InvalidArgument("advertiser_id is malformed",
                                   {{"advertiser_id", "malformed"}});
  }
  TTADS_ASSIGN_OR_RETURN(
      connections::ResolvedToken token,
      tokens_->Resolve(
          {call.caller.team_id, call.caller.member_id, call.caller.role},
          advertiser));

  const std::string new_id = absl::StrCat("acc_", crypto::RandomToken(12));
  TTADS_ASSIGN_OR_RETURN(
      std::string holder,
      accounts_->ClaimAdsAccountSlot(call.caller.team_id, token.advertiser_id,
                                     parent.account_id(), new_id));

  v1::ConnectAdsAccountResponse response;
  if (holder != new_id) {
    auto existing = accounts_->Get(call.caller.team_id, holder);
    if (existing.ok()) {
      *response.mutable_account() = *existing;
      response.set_already_connected(true);
      return response;
    }
    // The slot's winner has not written its record yet (or crashed between
    // the two writes): treat the record as ours to (re)create.
  }
  v1::Account account;
  account.set_account_id(holder);
  account.set_platform("tiktokads");
  const std::string& advertiser_name = [&]() -> const std::string& {
    for (const auto& a : token.connection.advertisers) {
      if (a.advertiser_id == token.advertiser_id) return a.advertiser_name;
    }
    return token.advertiser_id;
  }();
  account.set_display_name(advertiser_name.empty() ? token.advertiser_id
                                                   : advertiser_name);
  account.set_parent_account_id(parent.account_id());
  account.set_mode(parent.account_id().empty() ? v1::ADS_ACCOUNT_MODE_ADS_ONLY
                                               : v1::ADS_ACCOUNT_MODE_LINKED);
  account.set_connection_id(token.connection.connection_id);
  account.set_advertiser_id(token.advertiser_id);
  account.set_spark_ads_available(!parent.account_id().empty());
  SetNow(account.mutable_create_time());
  TTADS_RETURN_IF_ERROR(accounts_->Put(call.caller.team_id, account));
  *response.mutable_account() = account;
  return response;
}

absl::StatusOr<std::vector<v1::Account>> AdsAccounts::List(
    const server::CallContext& call, const std::string& platform) {
  TTADS_ASSIGN_OR_RETURN(std::vector<v1::Account> all,
                         accounts_->List(call.caller.team_id));
  if (platform.empty()) return all;
  std::vector<v1::Account> out;
  for (auto& a : all) {
    if (a.platform() == platform) out.push_back(std::move(a));
  }
  return out;
}

absl::StatusOr<v1::Account> AdsAccounts::CreatePosting(
    const server::CallContext& call, const v1::CreateAccountRequest& req,
    const std::string& account_id) {
  std::vector<status::FieldViolation> violations;
  if (req.display_name().empty() || req.display_name().size() > 400) {
    violations.push_back({"display_name", "required, 1-100 characters"});
  }
  if (!store::IsValidKeyId(req.tt_user_identity_id())) {
    violations.push_back(
        {"tt_user_identity_id", "required TT_USER identity id"});
  }
  if (!store::IsValidKeyId(req.advertiser_id())) {
    violations.push_back({"advertiser_id", "required advertiser id"});
  }
  if (!violations.empty()) {
    return status::InvalidArgument("invalid posting account",
                                   std::move(violations));
  }
  v1::Account account;
  account.set_account_id(account_id.empty()
                             ? absl::StrCat("acc_", crypto::RandomToken(12))
                             : account_id);
  account.set_platform("tiktok");
  account.set_display_name(req.display_name());
  account.set_advertiser_id(req.advertiser_id());
  account.set_tt_user_identity_id(req.tt_user_identity_id());
  account.set_spark_ads_available(true);
  SetNow(account.mutable_create_time());
  TTADS_RETURN_IF_ERROR(accounts_->Put(call.caller.team_id, account));
  return account;
}

}  // namespace ttads::identity
