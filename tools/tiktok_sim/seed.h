#ifndef TTADS_TOOLS_TIKTOK_SIM_SEED_H_
#define TTADS_TOOLS_TIKTOK_SIM_SEED_H_

// The demo world (`--seed demo`). Every id is fixed, so tests and docs can
// name them; docs/simulator.md lists them all.

#include "tools/tiktok_sim/sim_state.h"

namespace ttads::tiktok_sim::seed {

// Advertisers.
inline constexpr char kAdvertiserTtUser[] = "7101000000000000001";
inline constexpr char kAdvertiserNoTtUser[] = "7101000000000000002";
inline constexpr char kAdvertiserBc[] = "7101000000000000003";

// Identities.
inline constexpr char kIdentityTtUser[] = "7102000000000000001";     // adv 1
inline constexpr char kIdentityCustom1[] = "7102000000000000002";    // adv 1
inline constexpr char kIdentityCustom2[] = "7102000000000000003";    // adv 2
inline constexpr char kIdentityBcAuthTt[] = "7102000000000000004";   // adv 3
inline constexpr char kIdentityPrivateTt[] = "7102000000000000005";  // adv 3

// Business Center and its catalog (advertiser 3 belongs to it).
inline constexpr char kBusinessCenter[] = "7109000000000000001";
inline constexpr char kCatalog[] = "7110000000000000001";

// Prerequisite assets.
inline constexpr char kPixelAdv1[] = "7103000000000000001";
inline constexpr char kPixelAdv3[] = "7103000000000000002";
inline constexpr char kAppAdv1[] = "7104000000000000001";
inline constexpr char kLeadFormAdv1[] = "7105000000000000001";
inline constexpr char kLeadFormAdv2Draft[] = "7105000000000000002";

// Spark posts (identity videos).
inline constexpr char kItemTtUser1[] = "7106000000000000001";
inline constexpr char kItemTtUser2[] = "7106000000000000002";
inline constexpr char kItemBc1[] = "7106000000000000003";

// Material.
inline constexpr char kImageAdv1[] = "7107000000000000001";
inline constexpr char kVideoAdv1[] = "7108000000000000001";

// Objectives seeded for every advertiser, in this order. Campaign k (0-based)
// of advertiser n (1-based) has id CampaignId(n, k); its one ad group has id
// AdGroupId(n, k).
inline constexpr const char* kObjectives[] = {
    "REACH",      "TRAFFIC",       "VIDEO_VIEWS",     "LEAD_GENERATION",
    "ENGAGEMENT", "APP_PROMOTION", "WEB_CONVERSIONS", "PRODUCT_SALES"};
std::string CampaignId(int advertiser_index, int objective_index);
std::string AdGroupId(int advertiser_index, int objective_index);
// Seeded ads: ad k (1-based) is "71130000000000000k"-style, see docs.
std::string AdId(int n);

// TikTok users (Login Kit, Display API). The demo user has
// kDemoUserPosts public posts (more than two pages of the Display API's
// maximum of 20), ids 7301000000000000001 (oldest) upward, one hour apart
// from kDemoUserFirstPostTime; the second user has kOtherUserPosts.
inline constexpr char kTikTokUserDemo[] = "sim-open-0001-demo";
inline constexpr char kTikTokUserDemoName[] = "ttads.demo";
inline constexpr char kTikTokUserOther[] = "sim-open-0002-other";
inline constexpr int kDemoUserPosts = 45;
inline constexpr int kOtherUserPosts = 3;
inline constexpr int64_t kDemoUserFirstPostTime = 1767225600;  // 2026-01-01
std::string DemoPostId(int n);  // 1-based; n = kDemoUserPosts is the newest.

// Clears `state` (keeping config) and loads the demo world.
void LoadDemo(SimState& state);

}  // namespace ttads::tiktok_sim::seed

#endif  // TTADS_TOOLS_TIKTOK_SIM_SEED_H_
