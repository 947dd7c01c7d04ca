#include "tools/tiktok_sim/sim_state.h"

#include <ctime>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace ttads::tiktok_sim {

void SimState::Clear() {
  advertisers.clear();
  business_centers.clear();
  catalogs.clear();
  identities.clear();
  identity_videos.clear();
  images.clear();
  image_bytes.clear();
  videos.clear();
  campaigns.clear();
  adgroups.clear();
  ads.clear();
  pixels.clear();
  apps.clear();
  pages.clear();
  auth_codes.clear();
  tokens.clear();
  audience_files.clear();
  audiences.clear();
  {
    OpenPlatformState fresh;
    fresh.access_token_ttl = open.access_token_ttl;
    fresh.refresh_token_ttl = open.refresh_token_ttl;
    open = std::move(fresh);
  }
  next_id = 1;
  // rng is not reseeded: tokens and codes minted after a reset must never
  // equal ones handed out before it.
}

std::string SimState::NewId() { return absl::StrFormat("72%017d", next_id++); }

std::string SimState::NewSecret(const std::string& prefix) {
  return absl::StrFormat("%s%016x%016x", prefix, rng(), rng());
}

std::vector<Json> SimState::OfAdvertiser(const std::map<std::string, Json>& m,
                                         const std::string& advertiser_id) {
  std::vector<Json> out;
  for (const auto& [id, obj] : m) {
    if (obj.value("advertiser_id", "") == advertiser_id) out.push_back(obj);
  }
  return out;
}

std::string FormatTime(std::chrono::system_clock::time_point t) {
  std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", &tm);
  return buf;
}

std::string NowString() { return FormatTime(std::chrono::system_clock::now()); }

}  // namespace ttads::tiktok_sim
