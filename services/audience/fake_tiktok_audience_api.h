#ifndef TTADS_SERVICES_AUDIENCE_FAKE_TIKTOK_AUDIENCE_API_H_
#define TTADS_SERVICES_AUDIENCE_FAKE_TIKTOK_AUDIENCE_API_H_

#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "services/audience/tiktok_audience_api.h"

namespace ttads::audience {

// An in-memory TikTok DMP for unit tests: keeps every uploaded file's
// contents, every audience's members, and how many times each digest was
// applied to each audience (to assert "exactly once"). An update (APPEND or
// REMOVE) leaving fewer than 1,000 members fails like TikTok's does.
class FakeTikTokAudienceApi : public TikTokAudienceApi {
 public:
  struct File {
    std::string calculate_type;
    std::string content;
  };
  struct Audience {
    std::string name;
    std::string calculate_type;
    std::set<std::string> members;
    std::map<std::string, int> applied;  // digest -> times applied
    bool deleted = false;
  };

  absl::StatusOr<std::string> UploadFile(
      const std::string& token, const std::string& advertiser_id,
      absl::string_view calculate_type, const std::string& local_path) override;
  absl::StatusOr<std::string> Create(
      const std::string& token, const std::string& advertiser_id,
      const std::string& name, absl::string_view calculate_type,
      const std::vector<std::string>& file_paths) override;
  absl::Status Update(const std::string& token,
                      const std::string& advertiser_id,
                      const std::string& audience_id, absl::string_view action,
                      const std::vector<std::string>& file_paths) override;
  absl::StatusOr<TikTokAudience> Get(const std::string& token,
                                     const std::string& advertiser_id,
                                     const std::string& audience_id) override;
  absl::StatusOr<std::vector<TikTokAudience>> List(
      const std::string& token, const std::string& advertiser_id) override;
  absl::Status Delete(const std::string& token,
                      const std::string& advertiser_id,
                      const std::string& audience_id) override;

  std::mutex mu;
  std::map<std::string, File> files;  // by file_path
  std::map<std::string, Audience> audiences;
  int uploads = 0;
  int next_id = 1;
  // The next this many creates apply, then answer UNAVAILABLE (TikTok
  // created the audience but its answer was lost).
  int lose_create_answers = 0;

 private:
  std::vector<std::string> Digests(const std::vector<std::string>& paths);
};

}  // namespace ttads::audience

#endif  // TTADS_SERVICES_AUDIENCE_FAKE_TIKTOK_AUDIENCE_API_H_
