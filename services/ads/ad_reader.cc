#include "services/ads/ad_reader.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "libs/status/status.h"
#include "libs/status/status_macros.h"
#include "services/ads/page_token.h"

namespace ttads::ads {
namespace {

bool IsPrimaryStatus(const std::string& v) {
  for (const char* s : {"STATUS_NOT_DELETE", "STATUS_ALL", "STATUS_DELETE",
                        "STATUS_DISABLE", "STATUS_DELIVERY_OK"}) {
    if (v == s) return true;
  }
  return false;
}

absl::Time FromTimestamp(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixSeconds(ts.seconds());
}

template <typename Field>
std::vector<std::string> Ids(const Field& field) {
  return std::vector<std::string>(field.begin(), field.end());
}

}  // namespace

absl::StatusOr<FoundAd> AdReader::Find(const server::CallContext& call,
                                       const std::string& advertiser_id,
                                       const std::string& ad_id) {
  if (ad_id.empty()) {
    return status::InvalidArgument("ad_id is required",
                                   {{"ad_id", "required"}});
  }
  TTADS_ASSIGN_OR_RETURN(AdvertiserAccess access,
                         tokens_->For(call, advertiser_id));
  AdQuery query;
  query.ad_ids = {ad_id};
  query.primary_status = "STATUS_ALL";
  TTADS_ASSIGN_OR_RETURN(AdPage page,
                         tiktok_->GetAds(access, query, call.deadline));
  if (page.ads.empty()) {
    return absl::NotFoundError(absl::StrCat(
        "ad ", ad_id, " not found in advertiser ", access.advertiser_id));
  }
  return FoundAd{std::move(page.ads[0]), std::move(access)};
}

absl::StatusOr<v1::Ad> AdReader::Get(const server::CallContext& call,
                                     const v1::GetAdRequest& req) {
  TTADS_ASSIGN_OR_RETURN(FoundAd found,
                         Find(call, req.advertiser_id(), req.ad_id()));
  return std::move(found.ad.ad);
}

absl::StatusOr<v1::ListAdsResponse> AdReader::List(
    const server::CallContext& call, const v1::ListAdsRequest& req) {
  std::vector<status::FieldViolation> bad;
  if (req.page_size() < 0 || req.page_size() > 1000) {
    bad.push_back({"page_size", "must be 1-1000"});
  }
  for (auto [name, size] : {std::pair{"campaign_ids", req.campaign_ids_size()},
                            std::pair{"adgroup_ids", req.adgroup_ids_size()},
                            std::pair{"ad_ids", req.ad_ids_size()}}) {
    if (size > 100) bad.push_back({name, "at most 100 ids"});
  }
  if (!req.primary_status().empty() && !IsPrimaryStatus(req.primary_status())) {
    bad.push_back({"primary_status", "unknown primary status"});
  }
  if (req.has_create_start_time() && req.has_create_end_time() &&
      req.create_end_time().seconds() < req.create_start_time().seconds()) {
    bad.push_back({"create_end_time", "must not be before create_start_time"});
  }
  TTADS_ASSIGN_OR_RETURN(int page, PageFromToken(req.page_token()));
  if (!bad.empty()) {
    return status::InvalidArgument("invalid search", std::move(bad));
  }
  TTADS_ASSIGN_OR_RETURN(AdvertiserAccess access,
                         tokens_->For(call, req.advertiser_id()));
  AdQuery query;
  query.campaign_ids = Ids(req.campaign_ids());
  query.adgroup_ids = Ids(req.adgroup_ids());
  query.ad_ids = Ids(req.ad_ids());
  query.primary_status = req.primary_status();
  if (req.has_create_start_time()) {
    query.created_after = FromTimestamp(req.create_start_time());
  }
  if (req.has_create_end_time()) {
    query.created_before = FromTimestamp(req.create_end_time());
  }
  if (req.has_modified_after()) {
    query.modified_after = FromTimestamp(req.modified_after());
  }
  query.page = page;
  query.page_size = req.page_size() == 0 ? 10 : req.page_size();
  TTADS_ASSIGN_OR_RETURN(AdPage found,
                         tiktok_->GetAds(access, query, call.deadline));
  v1::ListAdsResponse out;
  for (auto& ad : found.ads) *out.add_ads() = std::move(ad.ad);
  out.set_next_page_token(NextPageToken(page, found.total_page));
  out.set_total_size(static_cast<int>(found.total_number));
  return out;
}

}  // namespace ttads::ads
