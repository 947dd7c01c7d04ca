#include "libs/connections/token_resolver.h"

#include "absl/strings/str_cat.h"
#include "libs/status/status.h"
#include "libs/status/status_macros.h"

namespace ttads::connections {

bool TokenResolver::MayBorrow(std::string_view role) {
  return role == "owner" || role == "manager";
}

absl::StatusOr<ResolvedToken> TokenResolver::Resolve(
    const TokenRequester& requester, std::string_view advertiser_id) const {
  TTADS_ASSIGN_OR_RETURN(std::vector<Connection> all,
                         store_->List(requester.team_id));

  std::vector<const Connection*> candidates;
  for (const auto& c : all) {
    if (c.active() && c.member_id == requester.member_id &&
        !c.advertisers.empty())
      candidates.push_back(&c);
  }
  if (MayBorrow(requester.role)) {
    for (const auto& c : all) {
      if (c.active() && c.member_id != requester.member_id &&
          !c.advertisers.empty())
        candidates.push_back(&c);
    }
  }
  if (candidates.empty()) {
    return status::WithErrorInfo(
        absl::FailedPreconditionError(
            MayBorrow(requester.role)
                ? "no active TikTok connection on the team: connect TikTok "
                  "first"
                : "no active TikTok connection of your own: connect TikTok "
                  "first (mediabuyers cannot use teammates' connections)"),
        "NO_TOKEN");
  }

  const Connection* chosen = nullptr;
  std::string advertiser(advertiser_id);
  if (advertiser.empty()) {
    chosen = candidates.front();
    advertiser = chosen->advertisers.front().advertiser_id;
  } else {
    for (const Connection* c : candidates) {
      if (c->Reaches(advertiser)) {
        chosen = c;
        break;
      }
    }
    if (chosen == nullptr) {
      return status::WithErrorInfo(
          absl::PermissionDeniedError(absl::StrCat(
              "no TikTok connection available to you reaches advertiser ",
              advertiser)),
          "ADVERTISER_NOT_REACHABLE", {{"advertiser_id", advertiser}});
    }
  }
  TTADS_ASSIGN_OR_RETURN(
      std::string token,
      store_->AccessToken(requester.team_id, chosen->connection_id));
  return ResolvedToken{.connection = *chosen,
                       .access_token = std::move(token),
                       .advertiser_id = std::move(advertiser),
                       .borrowed = chosen->member_id != requester.member_id};
}

}  // namespace ttads::connections
