// GET /portal/auth: the simulator's stand-in for TikTok's advertiser
// authorization page, where a person consents in a browser. It consents at
// once and redirects to `redirect_uri` with `auth_code`, `code` (the same
// value) and `state` appended. Parameters: `app_id` (must be the simulator's,
// else 400), `redirect_uri` (required, else 400), `state` (echoed) and
// `advertiser_ids` (a JSON array or a comma-separated list; empty: every
// seeded advertiser; an unknown one is 400). Other methods are 405.

#include <mutex>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "libs/http/query.h"
#include "nlohmann/json.hpp"
#include "tools/tiktok_sim/sim.h"

namespace ttads::tiktok_sim {

void TikTokSim::HandlePortal(const http::HttpRequest& req,
                             http::HttpResponder responder) {
  if (req.method != "GET") {
    responder.Send(http::HttpResponse::Text(405, "method not allowed\n"));
    return;
  }
  std::string app_id = req.QueryParam("app_id").value_or("");
  std::string redirect = req.QueryParam("redirect_uri").value_or("");
  std::string state = req.QueryParam("state").value_or("");
  std::string raw_ids = req.QueryParam("advertiser_ids").value_or("");
  if (app_id != options_.app_id) {
    responder.Send(http::HttpResponse::Text(400, "unknown app_id\n"));
    return;
  }
  if (redirect.empty()) {
    responder.Send(http::HttpResponse::Text(400, "redirect_uri is required\n"));
    return;
  }
  std::vector<std::string> ids;
  Json parsed = Json::parse(raw_ids, nullptr, false);
  if (!raw_ids.empty() && !parsed.is_discarded() && parsed.is_array()) {
    for (const auto& v : parsed) {
      ids.push_back(v.is_string() ? v.get<std::string>() : v.dump());
    }
  } else {
    for (absl::string_view id :
         absl::StrSplit(raw_ids, ',', absl::SkipEmpty())) {
      ids.emplace_back(id);
    }
  }
  std::string code;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (ids.empty()) {
      for (const auto& [id, a] : state_.advertisers) ids.push_back(id);
    }
    for (const auto& id : ids) {
      if (!state_.HasAdvertiser(id)) {
        responder.Send(http::HttpResponse::Text(
            400, absl::StrCat("unknown advertiser ", id, "\n")));
        return;
      }
    }
    code = MintAuthCodeLocked(ids, state_.auth_code_ttl, {});
  }
  std::string location = absl::StrCat(
      redirect, redirect.find('?') == std::string::npos ? "?" : "&",
      "auth_code=", http::PercentEncode(code),
      "&code=", http::PercentEncode(code),
      "&state=", http::PercentEncode(state));
  http::HttpResponse r = http::HttpResponse::Text(
      302, absl::StrCat("Redirecting to ", location, "\n"));
  r.headers.Add("Location", location);
  responder.Send(std::move(r));
}

}  // namespace ttads::tiktok_sim
