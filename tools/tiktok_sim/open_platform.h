#ifndef TTADS_TOOLS_TIKTOK_SIM_OPEN_PLATFORM_H_
#define TTADS_TOOLS_TIKTOK_SIM_OPEN_PLATFORM_H_

// TikTok's user-facing platform as the simulator speaks it (the organic
// side, next to the Marketing API), at TikTok's paths relative to the
// simulator's root URL. docs/simulator.md ("TikTok users") is the guide;
// each surface's header states its rules and cites its TikTok page:
//
//   login_kit.h     Login Kit OAuth v2: GET /v2/auth/authorize/,
//                   POST /v2/oauth/token/, POST /v2/oauth/revoke/
//   display_api.h   Display API: POST /v2/video/list/
//   oembed.h        oEmbed: GET /oembed
//   sound_upload.h  POST /v2/share/sound/upload/ (not documented by TikTok:
//                   ttads' choice)
//   open_api_v2.h   the Bearer token check and {data, error} envelope the
//                   v2 data paths share
//
// The world they serve is SimState::open (open_platform_state.h); the
// simulator's request handling around them (call counts, faults, the lock)
// is dispatch_open_platform.cc.

#include <chrono>
#include <string>

#include "libs/http/server.h"
#include "tools/tiktok_sim/sim_state.h"

namespace ttads::tiktok_sim {

// True for the paths HandleOpenPlatform serves: every /v2/ path (unknown
// ones answer 404) and /oembed.
bool IsOpenPlatformPath(const std::string& path);

// Serves one request of the paths above against `state` at time `now`.
// `log_id` goes into the answers that carry one. An unknown path answers 404
// (text); an exception becomes a 500 internal_error in the v2 envelope.
// Never throws.
http::HttpResponse HandleOpenPlatform(
    SimState& state, const http::HttpRequest& req, const std::string& log_id,
    std::chrono::system_clock::time_point now);

}  // namespace ttads::tiktok_sim

#endif  // TTADS_TOOLS_TIKTOK_SIM_OPEN_PLATFORM_H_
