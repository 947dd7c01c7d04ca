// GET /_media/image/<image_id>.<format>: the bytes of an image uploaded by
// file (file/image/ad/upload/), served at the `image_url` the upload
// answered when the simulator serves media (ServeMedia(true)), as TikTok's
// CDN serves an uploaded image. An unknown id or another method is a
// plain-text 404. The content type is image/png for an image uploaded as
// PNG, else image/jpeg.

#include <mutex>
#include <string>

#include "libs/http/server.h"
#include "tools/tiktok_sim/sim.h"

namespace ttads::tiktok_sim {

void TikTokSim::HandleMedia(const http::HttpRequest& req,
                            http::HttpResponder responder) {
  // /_media/image/<image_id>.<format>: the bytes of an uploaded image file.
  std::string name = req.path.substr(sizeof("/_media/image/") - 1);
  std::string id = name.substr(0, name.find('.'));
  http::HttpResponse r;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = state_.image_bytes.find(id);
    if (req.method != "GET" || it == state_.image_bytes.end()) {
      responder.Send(http::HttpResponse::Text(404, "404 page not found\n"));
      return;
    }
    auto image = state_.images.find(id);
    const bool png = image != state_.images.end() &&
                     image->second.value("format", "") == "png";
    r.body = it->second;
    r.headers.Add("Content-Type", png ? "image/png" : "image/jpeg");
  }
  responder.Send(std::move(r));
}

}  // namespace ttads::tiktok_sim
