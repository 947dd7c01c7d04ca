#include "services/ads/advertiser_tokens.h"

#include "libs/status/status_macros.h"

namespace ttads::ads {

absl::StatusOr<AdvertiserAccess> AdvertiserTokens::For(
    const server::CallContext& call, const std::string& advertiser_id) const {
  TTADS_ASSIGN_OR_RETURN(
      connections::ResolvedToken token,
      tokens_->Resolve(
          {call.caller.team_id, call.caller.member_id, call.caller.role},
          advertiser_id));
  return AdvertiserAccess{token.advertiser_id, token.access_token};
}

}  // namespace ttads::ads
