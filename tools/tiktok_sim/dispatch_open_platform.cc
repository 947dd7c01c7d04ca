// Request handling for the simulated TikTok user platform (Login Kit OAuth
// v2, Display API, oEmbed): call counts, the request log and fault rules,
// then open_platform.h under the state lock.
//
// Faults on these paths answer in the paths' own error shapes: mode "code"
// is rate_limit_exceeded (HTTP 429) for code 40100 and internal_error (500)
// otherwise; mode "http_status" answers that status with internal_error
// (OAuth paths: temporarily_unavailable / server_error, their error
// names); latency, drop and apply_then_timeout behave as on the Marketing
// API.

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "tools/tiktok_sim/open_api_v2.h"
#include "tools/tiktok_sim/open_platform.h"
#include "tools/tiktok_sim/sim.h"

namespace ttads::tiktok_sim {
namespace {

http::HttpResponse FaultAnswer(const std::string& path, int status,
                               bool throttled, const std::string& log_id) {
  if (absl::StartsWith(path, "/v2/oauth/")) {
    return http::HttpResponse::Json(
        status,
        Json{{"error", throttled ? "temporarily_unavailable" : "server_error"},
             {"error_description", "Simulated failure"},
             {"log_id", log_id}}
            .dump());
  }
  return OpenApiError(
      status, throttled ? "rate_limit_exceeded" : "internal_error",
      throttled ? "The API rate limit was exceeded." : "Simulated failure",
      log_id);
}

}  // namespace

void TikTokSim::HandleOpenPlatformRequest(http::HttpRequest req,
                                          http::HttpResponder responder) {
  request_log_.Record(req);
  std::string log_id;
  std::optional<FaultRule> fault;
  {
    std::lock_guard<std::mutex> lock(mu_);
    log_id = NewRequestId();
    ++calls_[req.path].total;
    fault = faults_.Pick(req.path);
  }
  auto process = [this](const http::HttpRequest& r, const std::string& id) {
    std::lock_guard<std::mutex> lock(mu_);
    http::HttpResponse out =
        HandleOpenPlatform(state_, r, id, std::chrono::system_clock::now());
    if (out.status == 200 || out.status == 302) ++calls_[r.path].ok;
    return out;
  };
  if (!fault) {
    responder.Send(process(req, log_id));
    return;
  }
  switch (fault->mode) {
    case FaultMode::kCode: {
      const bool throttled = fault->code == kRateLimited;
      responder.Send(
          FaultAnswer(req.path, throttled ? 429 : 500, throttled, log_id));
      return;
    }
    case FaultMode::kHttpStatus:
      responder.Send(FaultAnswer(req.path, fault->http_status, false, log_id));
      return;
    case FaultMode::kDrop:
      responder.Close();
      return;
    case FaultMode::kLatency:
      server_->RunAfter(
          std::chrono::milliseconds(fault->latency_ms),
          [process, req = std::move(req), log_id, responder]() mutable {
            responder.Send(process(req, log_id));
          });
      return;
    case FaultMode::kApplyThenTimeout: {
      http::HttpResponse out = process(req, log_id);
      if (fault->latency_ms == 0) {
        responder.Close();
        return;
      }
      server_->RunAfter(std::chrono::milliseconds(fault->latency_ms),
                        [responder, out = std::move(out)]() mutable {
                          responder.Send(std::move(out));
                        });
      return;
    }
  }
}

std::string TikTokSim::IssueUserAccessToken(
    const std::string& open_id, const std::vector<std::string>& scopes) {
  std::lock_guard<std::mutex> lock(mu_);
  auto now = std::chrono::system_clock::now();
  uint64_t id = state_.open.next_grant_id++;
  state_.open.grants[id] = {open_id,
                            state_.app_id,
                            {scopes.begin(), scopes.end()},
                            "",
                            now + state_.open.refresh_token_ttl,
                            false};
  std::string token = state_.NewSecret("act.");
  state_.open.access_tokens[token] = {id, now + state_.open.access_token_ttl,
                                      0};
  return token;
}

absl::StatusOr<VideoPost> TikTokSim::PublishVideoPost(
    const std::string& open_id, const std::string& title) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!state_.open.users.count(open_id)) {
    return absl::NotFoundError(absl::StrCat("unknown open_id ", open_id));
  }
  return PublishPost(state_.open, open_id, title,
                     std::chrono::system_clock::now());
}

uint64_t TikTokSim::user_token_refreshes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return state_.open.refreshes;
}

}  // namespace ttads::tiktok_sim
