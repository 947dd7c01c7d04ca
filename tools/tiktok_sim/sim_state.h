#ifndef TTADS_TOOLS_TIKTOK_SIM_SIM_STATE_H_
#define TTADS_TOOLS_TIKTOK_SIM_SIM_STATE_H_

// The simulator's in-memory world. Not thread-safe: the simulator guards it
// with one mutex and handlers run under it.
//
// Most objects are kept as the JSON TikTok would return for them (plus an
// "advertiser_id" key), so handlers filter and page them without a parallel
// struct per object. Maps are keyed by id; ids have a fixed width so map order
// is creation order (seeded "71…" ids before generated "72…" ids).

#include <chrono>
#include <cstdint>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "nlohmann/json.hpp"
#include "tools/tiktok_sim/open_platform_state.h"

namespace ttads::tiktok_sim {

using Json = nlohmann::json;

struct AuthCode {
  std::vector<std::string> advertiser_ids;
  std::vector<int> scopes;
  std::chrono::system_clock::time_point expires_at;
  bool used = false;
};

struct AccessToken {
  std::string app_id;
  std::vector<std::string> advertiser_ids;
  std::vector<int> scopes;
  bool revoked = false;
  // API requests that carried this token (counted on arrival, like
  // CallStats::total: faulted and throttled ones included). Lets a test
  // prove that one tenant's token was never spent on another's behalf.
  uint64_t calls = 0;
};

struct AudienceFile {
  std::string advertiser_id;
  std::string calculate_type;
  std::vector<std::string> digests;  // In file order, duplicates kept.
};

struct Audience {
  std::string advertiser_id;
  Json info;  // custom_audience_id, name, calculate_type, times, ...
  std::set<std::string> members;
  uint64_t digests_received = 0;  // Every digest of every file applied.
  bool deleted = false;
};

struct SimState {
  // Configuration (survives Clear()).
  std::string app_id;
  std::string app_secret;
  std::chrono::seconds auth_code_ttl{600};
  // "http://host:port" the simulator serves uploaded media under
  // (/_media/...), so image_url is a URL a client can fetch, as TikTok's
  // CDN URLs are; empty (the default, TikTokSim::ServeMedia):
  // "https://sim.local/..." placeholders.
  std::string media_root;

  std::map<std::string, Json> advertisers;  // advertiser_id, name, bc_id
  std::map<std::string, Json> business_centers;
  std::map<std::string, Json> catalogs;
  std::map<std::string, Json> identities;
  std::map<std::string, Json> identity_videos;  // by item_id
  std::map<std::string, Json> images;
  // The bytes of images uploaded as files (UPLOAD_BY_FILE), by image_id.
  std::map<std::string, std::string> image_bytes;
  std::map<std::string, Json> videos;
  std::map<std::string, Json> campaigns;
  std::map<std::string, Json> adgroups;
  std::map<std::string, Json> ads;
  std::map<std::string, Json> pixels;
  std::map<std::string, Json> apps;
  std::map<std::string, Json> pages;
  std::map<std::string, AuthCode> auth_codes;
  std::map<std::string, AccessToken> tokens;
  std::map<std::string, AudienceFile> audience_files;  // by file_path
  std::map<std::string, Audience> audiences;
  // TikTok users, their posts and Login Kit grants (open_platform.h).
  OpenPlatformState open;

  uint64_t next_id = 1;
  // Seeded per process: a token from an earlier run or reset never matches.
  std::mt19937_64 rng{std::random_device{}()};

  // Drops every object and restarts id generation (config is kept).
  void Clear();
  // A new 19-digit id, "72" followed by a zero-padded counter.
  std::string NewId();
  // A new opaque secret-looking string (hex), e.g. for tokens and codes.
  std::string NewSecret(const std::string& prefix);

  bool HasAdvertiser(const std::string& id) const {
    return advertisers.count(id) > 0;
  }
  // Objects of `m` whose "advertiser_id" is `advertiser_id`, in id order.
  static std::vector<Json> OfAdvertiser(const std::map<std::string, Json>& m,
                                        const std::string& advertiser_id);
};

// "YYYY-MM-DD HH:MM:SS" in UTC, TikTok's timestamp format.
std::string FormatTime(std::chrono::system_clock::time_point t);
std::string NowString();

}  // namespace ttads::tiktok_sim

#endif  // TTADS_TOOLS_TIKTOK_SIM_SIM_STATE_H_
