#ifndef TTADS_TOOLS_TIKTOK_SIM_DISPLAY_API_H_
#define TTADS_TOOLS_TIKTOK_SIM_DISPLAY_API_H_

// The Display API as the simulator speaks it: List Videos, a user's public
// posts. TikTok for Developers pages: "List Videos"
// (tiktok-api-v2-video-list) for the request and answer, "Video Object"
// (tiktok-api-v2-video-object) for the fields, "Error Handling"
// (open_api_v2.h) for the errors. docs/content.md ("TikTok's reference, as
// encoded") lists each fact with its page; the ckr2436/Tiktok-OPS mirror
// holds the Marketing API reference only, not these pages.
//
//   POST /v2/video/list/?fields=a,b   `Authorization: Bearer` with scope
//        video.list, `Content-Type: application/json`, body {cursor?,
//        max_count?} (empty or null members mean absent).
//        The user's posts, newest first: those created before `cursor` (a
//        create time in Unix milliseconds; 0 or absent: from the newest),
//        at most `max_count` (1-20, default 10). Answer {data: {videos,
//        cursor, has_more}, error: {code "ok", message "", log_id}}, each
//        video with only the fields asked for (each once, in the order
//        asked); data.cursor is the last video's create time in ms, to send
//        for the next page (the request's cursor on an empty page).
//
// Errors, in the envelope of open_api_v2.h: access_token_invalid and
// scope_not_authorized (401, AuthorizeUser); invalid_params (400) for a
// content type other than JSON, no `fields` or an unknown one, a body that
// is not a JSON object, a cursor that is not a non-negative integer, a
// max_count that is not an integer in 1-20. TikTok may clamp max_count
// instead: refusing is the simulator's choice. A method other than POST
// answers 405 (text).
//
// Not simulated: /v2/user/info/ and /v2/video/query/ (404 like every
// unknown path), the 600 requests per minute limit ("Rate Limits"; fault
// rules inject 429 instead).

#include <chrono>
#include <string>

#include "libs/http/server.h"
#include "tools/tiktok_sim/sim_state.h"

namespace ttads::tiktok_sim {

inline constexpr char kVideoListPath[] = "/v2/video/list/";

// POST kVideoListPath at time `now`; `log_id` goes into every answer.
http::HttpResponse ListVideos(SimState& s, const http::HttpRequest& req,
                              const std::string& log_id,
                              std::chrono::system_clock::time_point now);

}  // namespace ttads::tiktok_sim

#endif  // TTADS_TOOLS_TIKTOK_SIM_DISPLAY_API_H_
