#ifndef TTADS_SERVICES_AUDIENCE_TIKTOK_AUDIENCE_API_H_
#define TTADS_SERVICES_AUDIENCE_TIKTOK_AUDIENCE_API_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "libs/tiktok/client.h"

namespace ttads::audience {

// An audience as TikTok reports it.
struct TikTokAudience {
  std::string id;
  std::string name;
  std::string calculate_type;
  int64_t size = 0;  // cover_num: matched members
  bool is_valid = false;
};

// The customer-file ("DMP") endpoints the audience service uses. Every
// method takes the advertiser's access token; errors are the TikTok
// client's (retryable ones keep their retry flag), except:
//   Update (APPEND or REMOVE) after which the audience would have fewer
//     than 1,000 members: FAILED_PRECONDITION with reason
//     AUDIENCE_BELOW_MINIMUM (TikTok's floor applies to every action).
class TikTokAudienceApi {
 public:
  virtual ~TikTokAudienceApi() = default;

  // POST /dmp/custom_audience/file/upload/: the file at `local_path` (header
  // row + one digest per line) with its MD5 as file_signature. Returns the
  // file_path TikTok assigned.
  virtual absl::StatusOr<std::string> UploadFile(
      const std::string& token, const std::string& advertiser_id,
      absl::string_view calculate_type, const std::string& local_path) = 0;
  // POST /dmp/custom_audience/create/ with the first files. Returns the id.
  virtual absl::StatusOr<std::string> Create(
      const std::string& token, const std::string& advertiser_id,
      const std::string& name, absl::string_view calculate_type,
      const std::vector<std::string>& file_paths) = 0;
  // POST /dmp/custom_audience/update/; `action` is "APPEND" or "REMOVE".
  virtual absl::Status Update(const std::string& token,
                              const std::string& advertiser_id,
                              const std::string& audience_id,
                              absl::string_view action,
                              const std::vector<std::string>& file_paths) = 0;
  // GET /dmp/custom_audience/get/ for one audience.
  virtual absl::StatusOr<TikTokAudience> Get(
      const std::string& token, const std::string& advertiser_id,
      const std::string& audience_id) = 0;
  // GET /dmp/custom_audience/list/ (every page).
  virtual absl::StatusOr<std::vector<TikTokAudience>> List(
      const std::string& token, const std::string& advertiser_id) = 0;
  // POST /dmp/custom_audience/delete/.
  virtual absl::Status Delete(const std::string& token,
                              const std::string& advertiser_id,
                              const std::string& audience_id) = 0;
};

// The implementation over the shared TikTok client; each call gets
// `timeout` (uploads included).
std::unique_ptr<TikTokAudienceApi> NewClientAudienceApi(
    tiktok::Client* client, absl::Duration timeout = absl::Seconds(120));

}  // namespace ttads::audience

#endif  // TTADS_SERVICES_AUDIENCE_TIKTOK_AUDIENCE_API_H_
