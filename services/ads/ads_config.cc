#include "services/ads/ads_config.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"
#include "libs/config/common_settings.h"
#include "libs/fetch/fetch_config.h"

namespace ttads::ads {
namespace {

using config::Key;

std::vector<std::string> CommaList(const std::string& text) {
  std::vector<std::string> out;
  for (absl::string_view entry :
       absl::StrSplit(text, ',', absl::SkipWhitespace())) {
    out.emplace_back(absl::StripAsciiWhitespace(entry));
  }
  return out;
}

}  // namespace

config::Schema AdsSchema() {
  config::Schema schema = config::CommonServiceSchema(50053, 9103);
  schema.Add(
      Key::String("TTADS_ADS_RAW_CALL_ALLOWLIST")
          .Default("/ad/get/,/campaign/get/,/adgroup/get/,/report/")
          .Help(
              "comma-separated TikTok path prefixes CallTikTokApi may reach"));
  schema.Add(
      Key::Int("TTADS_ADS_WATCH_INTERVAL_MS", 50, 3600000)
          .Default("5000")
          .Help("how often each advertiser's watch poller asks /ad/get/"));
  schema.Add(Key::Int("TTADS_ADS_WORK_THREADS", 1, 1024)
                 .Default("32")
                 .Help("work-queue threads (blocking steps of a call)"));
  schema.Add(
      Key::Int("TTADS_ADS_IDEMPOTENCY_LEASE_MS", 1000, 3600000)
          .Default("120000")
          .Help("how long a CreateAd holds its request_id; after that a "
                "retry takes it over and looks the ad up before sending"));
  schema.Add(
      Key::Bool("TTADS_ADS_PREFLIGHT")
          .Default("true")
          .Help("validate_only runs PublishCheck at TTADS_PREFLIGHT_ADDRESS"));
  fetch::AddFetchKeys(schema);  // allow-private, allow-list, image size
  schema.Add(
      Key::Int("TTADS_FETCH_MAX_VIDEO_BYTES", 1, int64_t{500} << 20)
          .Default(std::to_string(int64_t{500} << 20))
          .Help("largest video fetched from a URL (streamed to a temp file)"));
  return schema;
}

absl::StatusOr<AdsConfig> AdsConfigFrom(const config::Config& config) {
  AdsConfig c;
  c.common = config::CommonSettingsFrom(config);
  c.preflight = config.GetBool("TTADS_ADS_PREFLIGHT");
  c.raw_call_allowlist =
      CommaList(config.GetString("TTADS_ADS_RAW_CALL_ALLOWLIST"));
  c.watch_interval =
      absl::Milliseconds(config.GetInt("TTADS_ADS_WATCH_INTERVAL_MS"));
  c.work_threads = static_cast<int>(config.GetInt("TTADS_ADS_WORK_THREADS"));
  c.idempotency_lease =
      absl::Milliseconds(config.GetInt("TTADS_ADS_IDEMPOTENCY_LEASE_MS"));
  c.creatives.fetch = fetch::FetchOptionsFromConfig(config);
  c.http_media_hosts = c.creatives.fetch.private_allowlist;
  c.creatives.max_image_bytes = c.creatives.fetch.max_bytes;
  c.creatives.max_video_bytes =
      static_cast<size_t>(config.GetInt("TTADS_FETCH_MAX_VIDEO_BYTES"));
  return c;
}

}  // namespace ttads::ads
