#ifndef TTADS_TOOLS_TIKTOK_SIM_SOUND_UPLOAD_H_
#define TTADS_TOOLS_TIKTOK_SIM_SOUND_UPLOAD_H_

// A user's original sound upload (Ibexa's "Upload a Sound", scope
// share.sound.create), as ttads chose to speak it.
//
// TikTok's public reference, as far as we could read it, documents no sound
// upload (docs/content.md, "Unverified: TikTok's sound upload endpoint"). The
// shape is the closest documented one: the v2 platform's Bearer token and
// {data, error} envelope (open_api_v2.h, Display API pages), a
// multipart/form-data file part as the legacy Share Video API took its video
// ("Share Video", web-video-kit-with-web), and that API's `share_id` as the
// answer.
//
//   POST /v2/share/sound/upload/   `Authorization: Bearer` with scope
//        share.sound.create, multipart/form-data with the file in the part
//        `sound`. Answer {data: {share_id}, error: {code "ok", message "",
//        log_id}}; the sound is kept in OpenPlatformState::sounds.
//
// Errors, in the envelope of open_api_v2.h: access_token_invalid and
// scope_not_authorized (401, AuthorizeUser); invalid_params (400) for a body
// that is not multipart/form-data, no file part `sound`, a file of 50 MB
// (50,000,000 bytes) or more, or one that is not mp3, wav or flac. Those are
// the rules Ibexa states, enforced so a client that skipped its own checks
// is caught; the format is told by signature (ID3 or an MPEG audio frame
// sync, RIFF/WAVE, fLaC), not the file name. Duration is not checked (the
// simulator does not decode audio). A method other than POST answers 405
// (text).

#include <chrono>
#include <string>

#include "libs/http/server.h"
#include "tools/tiktok_sim/sim_state.h"

namespace ttads::tiktok_sim {

inline constexpr char kSoundUploadPath[] = "/v2/share/sound/upload/";

// POST kSoundUploadPath at time `now`; `log_id` goes into every answer.
http::HttpResponse UploadSound(SimState& s, const http::HttpRequest& req,
                               const std::string& log_id,
                               std::chrono::system_clock::time_point now);

}  // namespace ttads::tiktok_sim

#endif  // TTADS_TOOLS_TIKTOK_SIM_SOUND_UPLOAD_H_
