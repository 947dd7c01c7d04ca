#include "services/ads/fake_tiktok_ads_api.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libs/contracts/enum_names.h"

namespace ttads::ads {
namespace {

bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

absl::Status FakeTikTokAdsApi::Enter(const std::string& method,
                                     const AdvertiserAccess& a) {
  log_.push_back(method);
  accesses.push_back(a);
  auto it = fail_next.find(method);
  if (it == fail_next.end() || it->second.empty()) return absl::OkStatus();
  absl::Status s = it->second.front();
  it->second.pop_front();
  return s;
}

std::string FakeTikTokAdsApi::AddAd(const std::string& advertiser_id,
                                    const std::string& adgroup_id,
                                    const std::string& name) {
  std::lock_guard<std::mutex> lock(mu);
  const std::string id = absl::StrCat("1800", next_id_++);
  StoredAd& s = ads[id];
  s.created = absl::Now();
  s.ad.ad.set_ad_id(id);
  s.ad.ad.set_advertiser_id(advertiser_id);
  s.ad.ad.set_adgroup_id(adgroup_id);
  s.ad.ad.set_ad_name(name);
  s.ad.ad.set_operation_status(v1::AD_OPERATION_STATUS_ENABLE);
  s.ad.ad.set_secondary_status("AD_STATUS_DELIVERY_OK");
  return id;
}

int FakeTikTokAdsApi::Calls(const std::string& method) {
  std::lock_guard<std::mutex> lock(mu);
  return static_cast<int>(std::count(log_.begin(), log_.end(), method));
}

std::vector<std::string> FakeTikTokAdsApi::CallLog() {
  std::lock_guard<std::mutex> lock(mu);
  return log_;
}

absl::StatusOr<AdPage> FakeTikTokAdsApi::GetAds(const AdvertiserAccess& access,
                                                const AdQuery& q, absl::Time) {
  std::lock_guard<std::mutex> lock(mu);
  ad_queries.push_back(q);
  if (absl::Status s = Enter("GetAds", access); !s.ok()) return s;
  std::vector<TikTokAd> match;
  for (const auto& [id, s] : ads) {
    const v1::Ad& ad = s.ad.ad;
    if (ad.advertiser_id() != access.advertiser_id) continue;
    if (!q.ad_ids.empty() && !Contains(q.ad_ids, id)) continue;
    if (!q.adgroup_ids.empty() && !Contains(q.adgroup_ids, ad.adgroup_id())) {
      continue;
    }
    if (s.deleted && q.primary_status != "STATUS_ALL" &&
        q.primary_status != "STATUS_DELETE") {
      continue;
    }
    if (q.created_after && s.created < *q.created_after) continue;
    match.push_back(s.ad);
  }
  const int size = q.page_size > 0 ? q.page_size : 10;
  const int page = q.page > 0 ? q.page : 1;
  AdPage out;
  out.total_number = static_cast<int64_t>(match.size());
  out.total_page = std::max<int64_t>(1, (out.total_number + size - 1) / size);
  for (size_t i = static_cast<size_t>((page - 1) * size);
       i < match.size() && i < static_cast<size_t>(page * size); ++i) {
    out.ads.push_back(match[i]);
  }
  return out;
}

absl::StatusOr<std::optional<TikTokAdGroup>> FakeTikTokAdsApi::GetAdGroup(
    const AdvertiserAccess& access, const std::string& adgroup_id, absl::Time) {
  std::lock_guard<std::mutex> lock(mu);
  if (absl::Status s = Enter("GetAdGroup", access); !s.ok()) return s;
  auto it = adgroups.find(adgroup_id);
  if (it == adgroups.end()) return std::nullopt;
  return it->second;
}

absl::StatusOr<std::string> FakeTikTokAdsApi::CampaignObjective(
    const AdvertiserAccess& access, const std::string& campaign_id,
    absl::Time) {
  std::lock_guard<std::mutex> lock(mu);
  if (absl::Status s = Enter("CampaignObjective", access); !s.ok()) return s;
  auto it = campaign_objectives.find(campaign_id);
  return it == campaign_objectives.end() ? std::string() : it->second;
}

void FakeTikTokAdsApi::CreateAd(const AdvertiserAccess& access,
                                const std::string& adgroup_id,
                                const AdCreative& creative, absl::Time,
                                CreateDone done) {
  absl::StatusOr<std::vector<std::string>> result;
  {
    std::lock_guard<std::mutex> lock(mu);
    created.push_back(creative);
    absl::Status injected = Enter("CreateAd", access);
    CreateOutcome outcome;
    if (!injected.ok()) {
      outcome = {false, injected};
    } else if (!create_outcomes.empty()) {
      outcome = create_outcomes.front();
      create_outcomes.pop_front();
    }
    std::string id;
    if (outcome.applied) {
      id = absl::StrCat("1800", next_id_++);
      StoredAd& s = ads[id];
      s.created = absl::Now();
      s.ad.ad.set_ad_id(id);
      s.ad.ad.set_advertiser_id(access.advertiser_id);
      s.ad.ad.set_adgroup_id(adgroup_id);
      s.ad.ad.set_ad_name(creative.ad_name);
      s.ad.ad.set_ad_text(creative.request.ad_text());
      v1::AdFormat format = v1::AD_FORMAT_UNSPECIFIED;
      contracts::ParseAnyName(creative.ad_format, &format);
      s.ad.ad.set_ad_format(format);
      s.ad.ad.set_operation_status(v1::AD_OPERATION_STATUS_ENABLE);
      s.ad.ad.set_secondary_status("AD_STATUS_DELIVERY_OK");
    }
    if (!outcome.status.ok()) {
      result = outcome.status;
    } else {
      result = std::vector<std::string>{id};
    }
  }
  done(std::move(result));
}

absl::Status FakeTikTokAdsApi::UpdateAd(const AdvertiserAccess& access,
                                        const AdUpdate& update, absl::Time) {
  std::lock_guard<std::mutex> lock(mu);
  AdUpdate copy = update;
  copy.current = nullptr;
  updates.push_back(std::move(copy));
  if (absl::Status s = Enter("UpdateAd", access); !s.ok()) return s;
  auto it = ads.find(update.ad_id);
  if (it == ads.end()) return absl::NotFoundError("no such ad");
  v1::Ad& ad = it->second.ad.ad;
  const v1::AdInput& v = update.values;
  for (const auto& f : update.mask) {
    if (f == "ad_name") ad.set_ad_name(v.ad_name());
    if (f == "ad_text") ad.set_ad_text(v.ad_text());
    if (f == "landing_page_url") ad.set_landing_page_url(v.landing_page_url());
    if (f == "call_to_action") ad.set_call_to_action(update.call_to_action);
    if (f == "video_id") ad.set_video_id(v.video_id());
    if (f == "image_ids") *ad.mutable_image_ids() = v.image_ids();
  }
  return absl::OkStatus();
}

absl::Status FakeTikTokAdsApi::UpdateAdStatus(
    const AdvertiserAccess& access, const std::vector<std::string>& ad_ids,
    const std::string& operation, absl::Time) {
  std::lock_guard<std::mutex> lock(mu);
  status_batches.push_back(ad_ids);
  if (absl::Status s = Enter("UpdateAdStatus", access); !s.ok()) return s;
  for (const auto& id : ad_ids) {
    auto it = ads.find(id);
    if (it == ads.end()) continue;
    // DELETE is no operation status: the ad keeps its last one.
    v1::AdOperationStatus status;
    if (contracts::ParseAnyName(operation, &status)) {
      it->second.ad.ad.set_operation_status(status);
    }
    if (operation == "DELETE") {
      it->second.deleted = true;
      it->second.ad.ad.set_secondary_status("AD_STATUS_DELETE");
    } else if (operation == "DISABLE") {
      it->second.ad.ad.set_secondary_status("AD_STATUS_DISABLE");
    } else {
      it->second.ad.ad.set_secondary_status("AD_STATUS_DELIVERY_OK");
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<ReportPage> FakeTikTokAdsApi::GetReport(
    const AdvertiserAccess& access, const ReportQuery& query, absl::Time) {
  std::lock_guard<std::mutex> lock(mu);
  report_queries.push_back(query);
  if (absl::Status s = Enter("GetReport", access); !s.ok()) return s;
  return report;
}

absl::StatusOr<v1::ListIdentityVideosResponse>
FakeTikTokAdsApi::GetIdentityVideos(const AdvertiserAccess& access,
                                    const IdentityVideoQuery& query,
                                    absl::Time) {
  std::lock_guard<std::mutex> lock(mu);
  video_queries.push_back(query);
  if (absl::Status s = Enter("GetIdentityVideos", access); !s.ok()) return s;
  return identity_videos;
}

absl::StatusOr<v1::Image> FakeTikTokAdsApi::UploadImage(
    const AdvertiserAccess& access, const ImageUpload& upload, absl::Time) {
  std::lock_guard<std::mutex> lock(mu);
  image_uploads.push_back(upload);
  if (absl::Status s = Enter("UploadImage", access); !s.ok()) return s;
  v1::Image img;
  img.set_image_id(absl::StrCat("img-", next_id_++));
  if (upload.kind == ImageUpload::Kind::kUrl) img.set_url(upload.url);
  image_urls[img.image_id()] = img.url();
  return img;
}

absl::StatusOr<v1::Video> FakeTikTokAdsApi::UploadVideo(
    const AdvertiserAccess& access, const VideoUpload& upload, absl::Time) {
  std::lock_guard<std::mutex> lock(mu);
  if (absl::Status s = Enter("UploadVideo", access); !s.ok()) return s;
  v1::Video video;
  video.set_video_id(upload.kind == VideoUpload::Kind::kVideoId
                         ? upload.video_id
                         : absl::StrCat("v-", next_id_++));
  auto cover = video_covers.find(video.video_id());
  if (cover != video_covers.end()) video.set_video_cover_url(cover->second);
  return video;
}

absl::StatusOr<std::optional<std::string>> FakeTikTokAdsApi::VideoCoverUrl(
    const AdvertiserAccess& access, const std::string& video_id, absl::Time) {
  std::lock_guard<std::mutex> lock(mu);
  if (absl::Status s = Enter("VideoCoverUrl", access); !s.ok()) return s;
  auto it = video_covers.find(video_id);
  if (it == video_covers.end()) return std::nullopt;
  return it->second;
}

absl::StatusOr<std::map<std::string, std::string>> FakeTikTokAdsApi::ImageUrls(
    const AdvertiserAccess& access, const std::vector<std::string>& image_ids,
    absl::Time) {
  std::lock_guard<std::mutex> lock(mu);
  if (absl::Status s = Enter("ImageUrls", access); !s.ok()) return s;
  std::map<std::string, std::string> out;
  for (const auto& id : image_ids) {
    auto it = image_urls.find(id);
    if (it != image_urls.end()) out[id] = it->second;
  }
  return out;
}

absl::StatusOr<v1::CallTikTokApiResponse> FakeTikTokAdsApi::Raw(
    const AdvertiserAccess& access, const RawCall& call, absl::Time) {
  std::lock_guard<std::mutex> lock(mu);
  raw_calls.push_back(call);
  if (absl::Status s = Enter("Raw", access); !s.ok()) return s;
  v1::CallTikTokApiResponse out;
  out.set_message("OK");
  out.set_request_id(absl::StrCat("req-", next_id_++));
  return out;
}

}  // namespace ttads::ads
