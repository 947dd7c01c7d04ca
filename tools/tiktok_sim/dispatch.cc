// Request handling for the simulated Marketing API: routing, rate limits,
// faults, parameter parsing, token checks and the response envelope. The
// sim-only pages are elsewhere: /_media/ in serve_media.cc, /portal/auth in
// consent_portal.cc.

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "tools/tiktok_sim/contract.h"
#include "tools/tiktok_sim/multipart.h"
#include "tools/tiktok_sim/sim.h"

namespace ttads::tiktok_sim {
namespace {

constexpr char kApiRoot[] = "/open_api/v1.3";

http::HttpResponse JsonResponse(int status, std::string body) {
  return http::HttpResponse::Json(status, std::move(body));
}

}  // namespace

std::string TikTokSim::NewRequestId() {
  // Caller holds mu_.
  auto now = std::chrono::system_clock::now();
  std::string t = FormatTime(now);
  t.erase(
      std::remove_if(t.begin(), t.end(),
                     [](char c) { return c == '-' || c == ':' || c == ' '; }),
      t.end());
  return absl::StrFormat("%s%012X", t, ++request_counter_);
}

void TikTokSim::Handle(http::HttpRequest req, http::HttpResponder responder) {
  if (absl::StartsWith(req.path, "/_sim/")) {
    return HandleControl(req, std::move(responder));
  }
  if (req.path == "/portal/auth") {
    return HandlePortal(req, std::move(responder));
  }
  if (IsOpenPlatformPath(req.path)) {
    return HandleOpenPlatformRequest(std::move(req), std::move(responder));
  }
  if (absl::StartsWith(req.path, "/_media/image/")) {
    return HandleMedia(req, std::move(responder));
  }
  HandleApi(std::move(req), std::move(responder));
}

void TikTokSim::HandleApi(http::HttpRequest req,
                          http::HttpResponder responder) {
  request_log_.Record(req);
  if (!absl::StartsWith(req.path, absl::StrCat(kApiRoot, "/"))) {
    responder.Send(http::HttpResponse::Text(404, "404 page not found\n"));
    return;
  }
  std::string rel = req.path.substr(sizeof(kApiRoot) - 1);
  const Route* route = nullptr;
  bool path_known = false;
  for (const auto& r : routes_) {
    if (r.path != rel) continue;
    path_known = true;
    if (r.method == req.method) route = &r;
  }
  if (!path_known) {
    responder.Send(http::HttpResponse::Text(404, "404 page not found\n"));
    return;
  }
  if (route == nullptr) {
    if (contract_.Covers(rel)) {
      std::lock_guard<std::mutex> lock(mu_);
      RecordViolationLocked(
          rel, absl::StrCat(rel, " must be called with ",
                            *contract_.MethodOf(rel), ", not ", req.method));
    }
    responder.Send(http::HttpResponse::Text(405, "405 method not allowed\n"));
    return;
  }

  std::string request_id;
  std::optional<FaultRule> fault;
  bool throttled = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    request_id = NewRequestId();
    ++calls_[rel].total;
    std::string app = "anonymous";
    auto token = req.headers.Get("Access-Token");
    if (token) {
      auto it = state_.tokens.find(*token);
      if (it != state_.tokens.end()) {
        app = it->second.app_id;
        ++it->second.calls;
      }
    } else if (auto app_id = req.QueryParam("app_id")) {
      app = *app_id;
    }
    int64_t second = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    throttled = !limiter_.Allow(app, route->is_ad_create, tier_, second);
    if (!throttled) fault = faults_.Pick(rel);
  }
  if (throttled) {
    responder.Send(JsonResponse(
        200, Envelope(kRateLimited,
                      "Too many requests: the app's QPS limit was exceeded",
                      request_id, Json::object())));
    return;
  }
  if (!fault) {
    responder.Send(JsonResponse(200, Process(*route, req, request_id)));
    return;
  }
  switch (fault->mode) {
    case FaultMode::kCode:
      responder.Send(JsonResponse(
          200,
          Envelope(fault->code,
                   absl::StrCat("Simulated error (fault rule ", fault->id, ")"),
                   request_id, Json::object())));
      return;
    case FaultMode::kHttpStatus:
      responder.Send(JsonResponse(
          fault->http_status, Envelope(kSystemError, "Simulated HTTP failure",
                                       request_id, Json::object())));
      return;
    case FaultMode::kDrop:
      responder.Close();
      return;
    case FaultMode::kLatency: {
      const Route* r = route;
      server_->RunAfter(
          std::chrono::milliseconds(fault->latency_ms),
          [this, r, req = std::move(req), request_id, responder]() mutable {
            responder.Send(JsonResponse(200, Process(*r, req, request_id)));
          });
      return;
    }
    case FaultMode::kApplyThenTimeout: {
      std::string body = Process(*route, req, request_id);
      if (fault->latency_ms == 0) {
        responder.Close();
        return;
      }
      server_->RunAfter(std::chrono::milliseconds(fault->latency_ms),
                        [responder, body = std::move(body)]() mutable {
                          responder.Send(JsonResponse(200, std::move(body)));
                        });
      return;
    }
  }
}

std::string TikTokSim::Process(const Route& route, const http::HttpRequest& req,
                               const std::string& request_id) {
  auto reply = [&](const ApiResult& r) {
    return Envelope(r.code, r.message, request_id, r.data);
  };
  ApiRequest api;
  api.method = req.method;
  api.path = route.path;
  ContractRequest contract_req;
  contract_req.method = req.method;
  contract_req.path = route.path;
  contract_req.encoding =
      req.query.empty() ? Encoding::kNone : Encoding::kQuery;
  for (const auto& [k, v] : req.query) {
    api.params[k] = v;
    contract_req.query[k] = v;
  }
  for (const auto& [name, value] : req.headers.entries()) {
    if (!value.empty()) contract_req.headers.push_back(name);
  }
  std::string content_type = req.headers.Get("Content-Type").value_or("");
  if (req.method != "POST" && !req.body.empty()) {
    contract_req.encoding =
        absl::StartsWithIgnoreCase(content_type, "application/json")
            ? Encoding::kJson
            : Encoding::kOther;
  }
  if (req.method == "POST" && !req.body.empty()) {
    if (absl::StartsWithIgnoreCase(content_type, "multipart/form-data")) {
      contract_req.encoding = Encoding::kMultipart;
      auto boundary = MultipartBoundary(content_type);
      if (!boundary.ok()) {
        return reply(
            Err(kInvalidParams, std::string(boundary.status().message())));
      }
      auto parts = ParseMultipart(req.body, *boundary);
      if (!parts.ok()) {
        return reply(
            Err(kInvalidParams, std::string(parts.status().message())));
      }
      for (auto& p : *parts) {
        if (p.is_file) {
          contract_req.file_parts.push_back(p.name);
          api.files[p.name] = std::move(p);
        } else {
          contract_req.body[p.name] = p.data;
          api.params[p.name] = p.data;
        }
      }
    } else {
      contract_req.encoding =
          absl::StartsWithIgnoreCase(content_type, "application/json")
              ? Encoding::kJson
              : Encoding::kOther;
      Json body = Json::parse(req.body, nullptr, false);
      if (body.is_discarded() || !body.is_object()) {
        return reply(Err(kInvalidParams, "request body must be a JSON object"));
      }
      for (auto& [k, v] : body.items()) {
        contract_req.body[k] = v;
        api.params[k] = v;
      }
    }
  }

  std::lock_guard<std::mutex> lock(mu_);
  // Every covered endpoint is checked against TikTok's contract first
  // (contract.h); a violation is answered the way TikTok answers it and
  // counted for the test that caused it.
  if (auto bad = contract_.Check(contract_req)) {
    RecordViolationLocked(route.path, bad->message);
    return reply(Err(bad->code, bad->message));
  }
  if (route.needs_token) {
    std::string token = req.headers.Get("Access-Token").value_or("");
    if (token.empty()) {
      return reply(Err(kTokenEmpty, "Access-Token header is empty"));
    }
    auto it = state_.tokens.find(token);
    if (it == state_.tokens.end() || it->second.revoked) {
      return reply(Err(kTokenInvalid, "Access token is invalid or revoked"));
    }
    api.access_token = token;
    api.app_id = it->second.app_id;
    api.token_advertisers = it->second.advertiser_ids;
    if (auto adv = ParamString(api.params, "advertiser_id")) {
      const auto& ids = api.token_advertisers;
      if (std::find(ids.begin(), ids.end(), *adv) == ids.end() ||
          !state_.HasAdvertiser(*adv)) {
        return reply(
            Err(kNoPermission,
                absl::StrCat("No permission to operate advertiser ", *adv)));
      }
    }
  }
  ApiResult result;
  try {
    result = route.handle(state_, api);
  } catch (const nlohmann::json::exception& e) {
    result = Err(kParamError, absl::StrCat("bad parameter: ", e.what()));
  } catch (const std::exception& e) {
    result = Err(kSystemError, absl::StrCat("internal error: ", e.what()));
  }
  if (result.code == kOk) ++calls_[route.path].ok;
  return reply(result);
}

}  // namespace ttads::tiktok_sim
