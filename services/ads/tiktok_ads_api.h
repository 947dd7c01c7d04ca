#ifndef TTADS_SERVICES_ADS_TIKTOK_ADS_API_H_
#define TTADS_SERVICES_ADS_TIKTOK_ADS_API_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/tiktok/client.h"
#include "ttads/ads/v1/ads_service.pb.h"

namespace ttads::ads {

// Who a TikTok call acts for: the advertiser and its access token.
struct AdvertiserAccess {
  std::string advertiser_id;
  std::string token;
};

// An ad as /ad/get/ lists it.
struct TikTokAd {
  // The API shape; fields ttads does not model are kept in `ad.fields`.
  v1::Ad ad;
  // TikTok's own "YYYY-MM-DD HH:MM:SS" (UTC) texts, as sent.
  std::string create_time;
  std::string modify_time;
  // The item exactly as TikTok returned it, owned by the adapter: a full
  // /ad/update/ sends its creative fields back (UpdateAd). Domain code does
  // not read it.
  std::string snapshot;
};

// The filter and page of one /ad/get/ call. Empty or unset members are not
// sent; `filtering` is always sent (an empty object when nothing is set).
struct AdQuery {
  std::vector<std::string> campaign_ids;
  std::vector<std::string> adgroup_ids;
  std::vector<std::string> ad_ids;
  // STATUS_ALL, STATUS_NOT_DELETE, ... (Get ads, filtering.primary_status).
  std::string primary_status;
  std::optional<absl::Time> created_after;   // creation_filter_start_time
  std::optional<absl::Time> created_before;  // creation_filter_end_time
  std::optional<absl::Time> modified_after;  // modified_after
  // Only these fields of each ad (Get ads, `fields`); empty: TikTok's set.
  std::vector<std::string> fields;
  int page = 0;       // 0: not sent (TikTok's first page)
  int page_size = 0;  // 0: not sent (TikTok's default, 10)
};

struct AdPage {
  std::vector<TikTokAd> ads;
  int64_t total_page = 1;
  int64_t total_number = 0;
};

struct TikTokAdGroup {
  std::string adgroup_id;
  std::string campaign_id;
  // Empty when TikTok's ad group answer carries none (older ad groups): the
  // campaign's objective applies then.
  std::string objective_type;
};

// What /ad/create/ receives for one ad: the caller's (validated) request and
// what ttads resolved for it. The adapter spells every field as TikTok does
// (Create ads, creatives[]): enums in TikTok's vocabulary (WireEnum), the
// tracking pixel and page ids as numbers, disclaimer objects, `music_id` only
// for CAROUSEL_ADS, `vast_moat_enabled` as viewability_postbid_partner MOAT.
struct AdCreative {
  v1::AdInput request;
  std::string ad_name;  // Final: the reconciliation marker included.
  std::string ad_format;
  std::string call_to_action;  // Normalised; empty: not sent.
  common::v1::Identity identity;
  std::string video_id;
  std::vector<std::string> image_ids;
};

// One /ad/update/ call for one ad. Patch mode sends only the changes; a full
// update sends `current`'s creative fields with the changes applied (a full
// update replaces the creative), and LEARN_MORE when it would otherwise carry
// no call to action (TikTok requires one).
struct AdUpdate {
  std::string ad_id;
  std::string adgroup_id;
  bool patch = false;
  // The ad as /ad/get/ returned it (the base of a full update).
  const TikTokAd* current = nullptr;
  // The fields to change (UpdateAdRequest.update_mask) and their new values
  // in `values` (a cleared value removes the field from the creative).
  std::vector<std::string> mask;
  v1::AdInput values;
  std::string call_to_action;  // Normalised; empty: cleared.
};

// One /report/integrated/get/ call (values already validated).
struct ReportQuery {
  std::string report_type;
  std::string service_type;
  std::string data_level;
  std::vector<std::string> dimensions;
  std::vector<std::string> metrics;
  bool lifetime = false;  // query_lifetime instead of start/end dates
  std::string start_date, end_date;
  // A JSON array of {field_name, filter_type, filter_value}; empty: none.
  std::string filtering_json;
  int page = 1;
  int page_size = 10;
};

struct ReportPage {
  // Metrics TikTok reports as "-" (or null) are left out: absent, not zero.
  std::vector<v1::ReportRow> rows;
  int64_t total_page = 1;
  int64_t total_number = 0;
};

// One /identity/video/get/ call.
struct IdentityVideoQuery {
  std::string identity_id;
  std::string identity_type;              // TT_USER, AUTH_CODE, BC_AUTH_TT
  std::string identity_authorized_bc_id;  // BC_AUTH_TT only
  std::string cursor;                     // empty: the first page
  int count = 0;                          // 0: not sent
};

// One CallTikTokApi call: `path` is canonical ("/ad/get/", raw_call_path.h)
// and `method` one of GET, POST, PUT, PATCH, DELETE. Query values that are
// JSON arrays or objects are sent as such, others as strings; advertiser_id
// is added when absent. A method other than GET sends `body` (JSON) with the
// query values it lacks.
struct RawCall {
  std::string method;  // GET, POST, PUT, PATCH or DELETE
  std::string path;
  std::map<std::string, std::string> query;
  google::protobuf::Struct body;
  // Vetted caller headers (raw_call_headers.h), sent as given.
  std::vector<std::pair<std::string, std::string>> headers;
};

// Where an image upload comes from (Upload an image, upload_type).
struct ImageUpload {
  enum class Kind { kFile, kFileId, kUrl } kind = Kind::kFile;
  std::string file_name;  // kFile
  std::string bytes;      // kFile: JPEG or PNG, sent with its MD5
  std::string mime_type;  // kFile
  std::string file_id;    // kFileId
  std::string url;        // kUrl: TikTok fetches it
};

// Where a video upload comes from (Upload a video, upload_type).
struct VideoUpload {
  enum class Kind { kFile, kVideoId } kind = Kind::kFile;
  std::string path;       // kFile: a local MP4, streamed with its MD5
  std::string video_id;   // kVideoId
  std::string file_name;  // optional
};

// The TikTok Marketing API endpoints the ads service uses, in domain types.
// Every method acts for `access` and returns the TikTok client's errors
// (tiktok::IsAmbiguous tells whether a failed call may have been applied).
class TikTokAdsApi {
 public:
  using CreateDone =
      std::function<void(absl::StatusOr<std::vector<std::string>>)>;

  virtual ~TikTokAdsApi() = default;

  // GET /ad/get/.
  virtual absl::StatusOr<AdPage> GetAds(const AdvertiserAccess& access,
                                        const AdQuery& query,
                                        absl::Time deadline) = 0;
  // GET /adgroup/get/ for one ad group; nullopt when the advertiser has none
  // with that id.
  virtual absl::StatusOr<std::optional<TikTokAdGroup>> GetAdGroup(
      const AdvertiserAccess& access, const std::string& adgroup_id,
      absl::Time deadline) = 0;
  // GET /campaign/get/: the campaign's objective_type (empty: not listed).
  virtual absl::StatusOr<std::string> CampaignObjective(
      const AdvertiserAccess& access, const std::string& campaign_id,
      absl::Time deadline) = 0;
  // POST /ad/create/ with one creative, asynchronously and never resent by
  // the client (TikTok has no idempotency key). `done` gets the created ad
  // ids; it runs on the client's loop thread and must not block.
  virtual void CreateAd(const AdvertiserAccess& access,
                        const std::string& adgroup_id,
                        const AdCreative& creative, absl::Time deadline,
                        CreateDone done) = 0;
  // POST /ad/update/.
  virtual absl::Status UpdateAd(const AdvertiserAccess& access,
                                const AdUpdate& update,
                                absl::Time deadline) = 0;
  // POST /ad/status/update/ for at most 20 ads; `operation` is ENABLE,
  // DISABLE or DELETE.
  virtual absl::Status UpdateAdStatus(const AdvertiserAccess& access,
                                      const std::vector<std::string>& ad_ids,
                                      const std::string& operation,
                                      absl::Time deadline) = 0;
  // GET /report/integrated/get/.
  virtual absl::StatusOr<ReportPage> GetReport(const AdvertiserAccess& access,
                                               const ReportQuery& query,
                                               absl::Time deadline) = 0;
  // GET /identity/video/get/: the posts and, when TikTok has more, their
  // cursor as next_page_token.
  virtual absl::StatusOr<v1::ListIdentityVideosResponse> GetIdentityVideos(
      const AdvertiserAccess& access, const IdentityVideoQuery& query,
      absl::Time deadline) = 0;
  // POST /file/image/ad/upload/.
  virtual absl::StatusOr<v1::Image> UploadImage(const AdvertiserAccess& access,
                                                const ImageUpload& upload,
                                                absl::Time deadline) = 0;
  // POST /file/video/ad/upload/ (TikTok may answer a list; the first entry).
  virtual absl::StatusOr<v1::Video> UploadVideo(const AdvertiserAccess& access,
                                                const VideoUpload& upload,
                                                absl::Time deadline) = 0;
  // GET /file/video/ad/info/ for one video: its video_cover_url; nullopt
  // when TikTok does not list the video for this advertiser.
  virtual absl::StatusOr<std::optional<std::string>> VideoCoverUrl(
      const AdvertiserAccess& access, const std::string& video_id,
      absl::Time deadline) = 0;
  // GET /file/image/ad/info/ (at most 100 ids): image id -> image_url of the
  // images TikTok lists.
  virtual absl::StatusOr<std::map<std::string, std::string>> ImageUrls(
      const AdvertiserAccess& access, const std::vector<std::string>& image_ids,
      absl::Time deadline) = 0;
  // Any allow-listed endpoint (CallTikTokApi): TikTok's envelope as is.
  virtual absl::StatusOr<v1::CallTikTokApiResponse> Raw(
      const AdvertiserAccess& access, const RawCall& call,
      absl::Time deadline) = 0;
};

// The implementation over the shared TikTok client.
std::unique_ptr<TikTokAdsApi> NewClientAdsApi(tiktok::Client* client);

}  // namespace ttads::ads

#endif  // TTADS_SERVICES_ADS_TIKTOK_ADS_API_H_
