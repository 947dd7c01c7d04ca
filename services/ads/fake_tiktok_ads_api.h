#ifndef TTADS_SERVICES_ADS_FAKE_TIKTOK_ADS_API_H_
#define TTADS_SERVICES_ADS_FAKE_TIKTOK_ADS_API_H_

#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "services/ads/tiktok_ads_api.h"

namespace ttads::ads {

// An in-memory TikTok Ads account for unit tests of the ads domain. Keeps
// ads, ad groups, campaigns, videos and images; records every call by
// method name and what the writes carried; fails a method on demand.
// Unguarded members are meant to be set up before and read after the code
// under test runs; `mu` guards them while it does.
class FakeTikTokAdsApi : public TikTokAdsApi {
 public:
  // What the next /ad/create/ does: `applied` creates the ad; a non-OK
  // `status` is returned after that (applied + UNAVAILABLE is TikTok
  // creating the ad and the answer being lost).
  struct CreateOutcome {
    bool applied = true;
    absl::Status status;
  };
  struct StoredAd {
    TikTokAd ad;
    absl::Time created;
    bool deleted = false;
  };

  absl::StatusOr<AdPage> GetAds(const AdvertiserAccess& access,
                                const AdQuery& query,
                                absl::Time deadline) override;
  absl::StatusOr<std::optional<TikTokAdGroup>> GetAdGroup(
      const AdvertiserAccess& access, const std::string& adgroup_id,
      absl::Time deadline) override;
  absl::StatusOr<std::string> CampaignObjective(const AdvertiserAccess& access,
                                                const std::string& campaign_id,
                                                absl::Time deadline) override;
  void CreateAd(const AdvertiserAccess& access, const std::string& adgroup_id,
                const AdCreative& creative, absl::Time deadline,
                CreateDone done) override;
  absl::Status UpdateAd(const AdvertiserAccess& access, const AdUpdate& update,
                        absl::Time deadline) override;
  absl::Status UpdateAdStatus(const AdvertiserAccess& access,
                              const std::vector<std::string>& ad_ids,
                              const std::string& operation,
                              absl::Time deadline) override;
  absl::StatusOr<ReportPage> GetReport(const AdvertiserAccess& access,
                                       const ReportQuery& query,
                                       absl::Time deadline) override;
  absl::StatusOr<v1::ListIdentityVideosResponse> GetIdentityVideos(
      const AdvertiserAccess& access, const IdentityVideoQuery& query,
      absl::Time deadline) override;
  absl::StatusOr<v1::Image> UploadImage(const AdvertiserAccess& access,
                                        const ImageUpload& upload,
                                        absl::Time deadline) override;
  absl::StatusOr<v1::Video> UploadVideo(const AdvertiserAccess& access,
                                        const VideoUpload& upload,
                                        absl::Time deadline) override;
  absl::StatusOr<std::optional<std::string>> VideoCoverUrl(
      const AdvertiserAccess& access, const std::string& video_id,
      absl::Time deadline) override;
  absl::StatusOr<std::map<std::string, std::string>> ImageUrls(
      const AdvertiserAccess& access, const std::vector<std::string>& image_ids,
      absl::Time deadline) override;
  absl::StatusOr<v1::CallTikTokApiResponse> Raw(const AdvertiserAccess& access,
                                                const RawCall& call,
                                                absl::Time deadline) override;

  // Adds an ad (ENABLE, delivering) to `adgroup_id`; returns its id.
  std::string AddAd(const std::string& advertiser_id,
                    const std::string& adgroup_id, const std::string& name);
  // How many calls `method` ("GetAds", "CreateAd", ...) received.
  int Calls(const std::string& method);
  // Every call, in order, by method name.
  std::vector<std::string> CallLog();

  std::mutex mu;
  // ad id -> ad.
  std::map<std::string, StoredAd> ads;
  // adgroup id -> ad group.
  std::map<std::string, TikTokAdGroup> adgroups;
  // campaign id -> objective.
  std::map<std::string, std::string> campaign_objectives;
  // video id -> cover URL (/file/video/ad/info/ lists these).
  std::map<std::string, std::string> video_covers;
  // image id -> URL (/file/image/ad/info/ lists these).
  std::map<std::string, std::string> image_urls;
  // Served by GetReport / GetIdentityVideos.
  ReportPage report;
  v1::ListIdentityVideosResponse identity_videos;
  // Consumed one per /ad/create/; empty: created, OK.
  std::deque<CreateOutcome> create_outcomes;
  // method -> statuses returned by its next calls instead of answering.
  std::map<std::string, std::deque<absl::Status>> fail_next;

  // What the writes carried.
  std::vector<AdCreative> created;
  std::vector<AdUpdate> updates;  // `current` is cleared (not owned)
  std::vector<std::vector<std::string>> status_batches;
  std::vector<AdQuery> ad_queries;
  std::vector<ReportQuery> report_queries;
  std::vector<IdentityVideoQuery> video_queries;
  std::vector<ImageUpload> image_uploads;
  std::vector<RawCall> raw_calls;
  std::vector<AdvertiserAccess> accesses;

 private:
  // Records the call; the injected failure for it, if any (mu held).
  absl::Status Enter(const std::string& method, const AdvertiserAccess& a);

  std::vector<std::string> log_;
  int next_id_ = 1;
};

}  // namespace ttads::ads

#endif  // TTADS_SERVICES_ADS_FAKE_TIKTOK_ADS_API_H_
