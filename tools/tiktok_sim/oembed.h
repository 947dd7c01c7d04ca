#ifndef TTADS_TOOLS_TIKTOK_SIM_OEMBED_H_
#define TTADS_TOOLS_TIKTOK_SIM_OEMBED_H_

// TikTok's oEmbed endpoint as the simulator serves it: the embed JSON of a
// public post, asked by its page URL; no token. TikTok for Developers,
// "Embed Videos" (embed-videos; TikTok marks it to be replaced by the Embed
// Player) for the input and the answer's fields. docs/content.md ("TikTok's
// reference, as encoded") lists the facts; the ckr2436/Tiktok-OPS mirror
// holds the Marketing API reference only, not this page.
//
//   GET /oembed?url=https://www.tiktok.com/@<username>/video/<id>
//        (a query on that URL is ignored; short links are not accepted).
//        200 {version "1.0", type "video", title, author_url, author_name,
//        author_unique_id, width and height "100%", html (the
//        tiktok-embed blockquote and embed.js), thumbnail_width 576,
//        thumbnail_height 1024, thumbnail_url (a sim.local placeholder),
//        provider_url, provider_name "TikTok"}.
//
// The page lists no error answers; the simulator's are {status_msg, code}
// with code the HTTP status: 400 for a URL that is not a post's page, 404
// for an unknown post or one that is not that user's. A method other than
// GET answers 405 (text).

#include <string>

#include "libs/http/server.h"
#include "tools/tiktok_sim/sim_state.h"

namespace ttads::tiktok_sim {

inline constexpr char kOEmbedPath[] = "/oembed";

// GET kOEmbedPath.
http::HttpResponse HandleOEmbed(const SimState& s,
                                const http::HttpRequest& req);

}  // namespace ttads::tiktok_sim

#endif  // TTADS_TOOLS_TIKTOK_SIM_OEMBED_H_
