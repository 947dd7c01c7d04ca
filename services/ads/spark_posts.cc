#include "services/ads/spark_posts.h"

#include "libs/contracts/enum_names.h"
#include "libs/status/status.h"
#include "libs/status/status_macros.h"

namespace ttads::ads {

absl::StatusOr<v1::ListIdentityVideosResponse> SparkPosts::List(
    const server::CallContext& call, const v1::ListIdentityVideosRequest& req) {
  if (req.identity_id().empty()) {
    return status::InvalidArgument("identity_id is required",
                                   {{"identity_id", "required"}});
  }
  if (req.identity_type() == common::v1::IDENTITY_TYPE_CUSTOMIZED_USER) {
    return status::InvalidArgument(
        "a CUSTOMIZED_USER has no TikTok posts",
        {{"identity_type", "Spark Ads need TT_USER, AUTH_CODE or BC_AUTH_TT"}});
  }
  TTADS_ASSIGN_OR_RETURN(AdvertiserAccess access,
                         tokens_->For(call, req.advertiser_id()));
  IdentityVideoQuery query;
  query.identity_id = req.identity_id();
  query.identity_type =
      req.identity_type() == common::v1::IDENTITY_TYPE_UNSPECIFIED
          ? "TT_USER"
          : contracts::ShortName(req.identity_type());
  if (req.identity_type() == common::v1::IDENTITY_TYPE_BC_AUTH_TT) {
    // TikTok requires the identity's Business Center for BC_AUTH_TT.
    if (identity_ == nullptr) {
      return absl::FailedPreconditionError(
          "BC_AUTH_TT identities need the identity service, which is not "
          "configured");
    }
    TTADS_ASSIGN_OR_RETURN(
        query.identity_authorized_bc_id,
        identity_->AuthorizedBc(call, access.advertiser_id, req.identity_id()));
  }
  query.cursor = req.page_token();
  query.count = req.page_size() > 0 ? req.page_size() : 0;
  return tiktok_->GetIdentityVideos(access, query, call.deadline);
}

}  // namespace ttads::ads
