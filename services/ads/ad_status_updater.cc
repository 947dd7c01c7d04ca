#include "services/ads/ad_status_updater.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "libs/idempotency/request_digest.h"
#include "libs/contracts/enum_names.h"
#include "libs/status/status.h"
#include "libs/status/status_macros.h"

namespace ttads::ads {

absl::StatusOr<v1::SetAdStatusResponse> AdStatusUpdater::Update(
    const server::CallContext& call, const v1::SetAdStatusRequest& req) {
  std::vector<status::FieldViolation> bad;
  if (req.ad_ids_size() == 0) bad.push_back({"ad_ids", "at least one ad id"});
  if (req.ad_ids_size() > 1000) {
    bad.push_back({"ad_ids", "at most 1000 ad ids"});
  }
  if (req.operation_status() == v1::AD_OPERATION_UNSPECIFIED) {
    bad.push_back({"operation_status", "ENABLE, DISABLE or DELETE"});
  }
  if (!bad.empty()) {
    return status::InvalidArgument("invalid status update", std::move(bad));
  }
  v1::SetAdStatusResponse out;
  idempotency::Operation op;
  op.apply = [&](idempotency::Attempt& attempt,
                 google::protobuf::Message* response) -> absl::Status {
    TTADS_ASSIGN_OR_RETURN(*static_cast<v1::SetAdStatusResponse*>(response),
                           Apply(call, req, attempt));
    return absl::OkStatus();
  };
  TTADS_RETURN_IF_ERROR(idempotency::RunOnce(
      idempotency_,
      {call.caller.team_id, "ads.UpdateAdStatus", req.request_id()},
      idempotency::RequestDigest(req), call.deadline, &out, op));
  return out;
}

absl::StatusOr<v1::SetAdStatusResponse> AdStatusUpdater::Apply(
    const server::CallContext& call, const v1::SetAdStatusRequest& req,
    idempotency::Attempt& attempt) {
  // An earlier attempt recorded that it started sending.
  const bool resumed = !attempt.earlier_intent().empty();
  const bool deleting = req.operation_status() == v1::AD_OPERATION_DELETE;
  TTADS_ASSIGN_OR_RETURN(AdvertiserAccess access,
                         tokens_->For(call, req.advertiser_id()));
  std::vector<std::string> ids;
  std::set<std::string> seen;
  for (const auto& id : req.ad_ids()) {
    if (seen.insert(id).second) ids.push_back(id);
  }
  // Current state (ad id -> secondary_status).
  std::map<std::string, std::string> secondary;
  for (size_t i = 0; i < ids.size(); i += kLookupBatch) {
    AdQuery query;
    query.ad_ids.assign(ids.begin() + i,
                        ids.begin() + std::min(ids.size(), i + kLookupBatch));
    query.primary_status = "STATUS_ALL";
    query.fields = {"ad_id", "secondary_status"};
    query.page_size = 1000;
    TTADS_ASSIGN_OR_RETURN(AdPage page,
                           tiktok_->GetAds(access, query, call.deadline));
    for (const auto& ad : page.ads) {
      secondary[ad.ad.ad_id()] = ad.ad.secondary_status();
    }
  }
  v1::SetAdStatusResponse out;
  std::vector<std::string> send;
  int deleted = 0;
  for (const auto& id : ids) {
    auto it = secondary.find(id);
    if (it == secondary.end()) {
      (*out.mutable_failures())[id] = "not found in this advertiser";
    } else if (it->second == "AD_STATUS_DELETE" && resumed && deleting) {
      out.add_updated_ad_ids(id);  // Maybe deleted by the earlier attempt.
    } else if (it->second == "AD_STATUS_DELETE") {
      (*out.mutable_failures())[id] = "deleted; its status cannot change";
      ++deleted;
    } else {
      send.push_back(id);
    }
  }
  const std::string op = contracts::ShortName(req.operation_status());
  if (!send.empty()) TTADS_RETURN_IF_ERROR(attempt.SaveIntent("sending"));
  for (size_t i = 0; i < send.size(); i += kStatusBatch) {
    std::vector<std::string> batch(
        send.begin() + i,
        send.begin() + std::min(send.size(), i + kStatusBatch));
    absl::Status sent =
        tiktok_->UpdateAdStatus(access, batch, op, call.deadline);
    for (const auto& id : batch) {
      if (sent.ok()) {
        out.add_updated_ad_ids(id);
      } else {
        (*out.mutable_failures())[id] = std::string(sent.message());
      }
    }
  }
  if (out.updated_ad_ids_size() == 0 && deleted > 0 &&
      deleted == static_cast<int>(ids.size())) {
    return status::PreconditionFailed("deleted ads cannot change status",
                                      "AD_DELETED", absl::StrJoin(ids, ","),
                                      "a deleted ad cannot change again");
  }
  return out;
}

}  // namespace ttads::ads
