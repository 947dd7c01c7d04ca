// The sim-only control API under /_sim/ (plain JSON, not the TikTok
// envelope): reset, auth codes, tokens, faults, stats, contract violations,
// state dumps, tier.

#include "absl/strings/str_cat.h"
#include "tools/tiktok_sim/sim.h"

namespace ttads::tiktok_sim {
namespace {

http::HttpResponse Reply(int status, const Json& j) {
  return http::HttpResponse::Json(status, j.dump());
}

http::HttpResponse BadRequest(const std::string& message) {
  return Reply(400, {{"error", message}});
}

std::optional<std::vector<std::string>> StringList(const Json& body,
                                                   const char* key) {
  if (!body.contains(key)) return std::vector<std::string>{};
  if (!body[key].is_array()) return std::nullopt;
  std::vector<std::string> out;
  for (const auto& v : body[key]) {
    if (!v.is_string()) return std::nullopt;
    out.push_back(v.get<std::string>());
  }
  return out;
}

}  // namespace

void TikTokSim::HandleControl(const http::HttpRequest& req,
                              http::HttpResponder responder) {
  Json body = Json::object();
  if (!req.body.empty()) {
    body = Json::parse(req.body, nullptr, false);
    if (body.is_discarded() || !body.is_object()) {
      responder.Send(BadRequest("body must be a JSON object"));
      return;
    }
  }
  const std::string& p = req.path;
  const std::string& m = req.method;
  try {
    if (p == "/_sim/reset" && m == "POST") {
      std::string seed = body.value("seed", "empty");
      absl::Status st = Reset(seed);
      responder.Send(st.ok() ? Reply(200, {{"ok", true}, {"seed", seed}})
                             : BadRequest(std::string(st.message())));
    } else if (p == "/_sim/auth_codes" && m == "POST") {
      auto ids = StringList(body, "advertiser_ids");
      if (!ids) {
        responder.Send(BadRequest("advertiser_ids: array of strings"));
        return;
      }
      std::vector<int> scopes = body.value("scopes", std::vector<int>{});
      int ttl = body.value("ttl_seconds", 600);
      std::string code =
          MintAuthCode(*ids, std::chrono::seconds(ttl), std::move(scopes));
      responder.Send(Reply(200, {{"auth_code", code}, {"expires_in", ttl}}));
    } else if (p == "/_sim/access_tokens" && m == "POST") {
      auto ids = StringList(body, "advertiser_ids");
      if (!ids) {
        responder.Send(BadRequest("advertiser_ids: array of strings"));
        return;
      }
      responder.Send(Reply(200, {{"access_token", IssueAccessToken(*ids)}}));
    } else if (p == "/_sim/faults" && m == "POST") {
      auto rule = ParseFaultRule(body);
      if (!rule.ok()) {
        responder.Send(BadRequest(std::string(rule.status().message())));
        return;
      }
      responder.Send(Reply(200, {{"id", AddFault(*rule)}}));
    } else if (p == "/_sim/faults" && m == "GET") {
      std::lock_guard<std::mutex> lock(mu_);
      responder.Send(Reply(200, {{"faults", faults_.ToJson()}}));
    } else if (p == "/_sim/faults" && m == "DELETE") {
      ClearFaults();
      responder.Send(Reply(200, {{"ok", true}}));
    } else if (p == "/_sim/stats" && m == "GET") {
      responder.Send(Reply(200, stats().ToJson()));
    } else if (p == "/_sim/violations" && m == "GET") {
      std::lock_guard<std::mutex> lock(mu_);
      responder.Send(Reply(200, {{"total", violations_total_},
                                 {"expected", violations_expected_},
                                 {"by_path", violations_},
                                 {"log", violation_log_}}));
    } else if (p == "/_sim/violations/expect" && m == "POST") {
      if (!body.contains("count") || !body["count"].is_number_integer()) {
        responder.Send(BadRequest("count: integer"));
        return;
      }
      ExpectViolations(body["count"].get<int64_t>());
      responder.Send(Reply(200, {{"ok", true}}));
    } else if (p == "/_sim/state" && m == "GET") {
      std::string adv = req.QueryParam("advertiser_id").value_or("");
      Json dump = DumpAdvertiser(adv);
      responder.Send(dump.is_null()
                         ? Reply(404, {{"error", "unknown advertiser_id"}})
                         : Reply(200, dump));
    } else if (p == "/_sim/tier" && m == "POST") {
      auto tier = ParseTier(body.value("tier", ""));
      if (!tier) {
        responder.Send(
            BadRequest("tier: basic|advanced|premium|ultimate|unlimited"));
        return;
      }
      SetTier(*tier);
      responder.Send(Reply(200, {{"tier", TierName(*tier)}}));
    } else if (p == "/_sim/requests" && m == "GET") {
      http::HttpResponse r{.status = 200, .body = request_log_.JsonLines()};
      r.headers.Add("Content-Type", "application/x-ndjson");
      responder.Send(std::move(r));
    } else if (p == "/_sim/requests" && m == "DELETE") {
      request_log_.Clear();
      responder.Send(Reply(200, {{"ok", true}}));
    } else if (p == "/_sim/tiktok/posts" && m == "POST") {
      auto post = PublishVideoPost(body.value("open_id", ""),
                                   body.value("title", "New post"));
      if (!post.ok()) {
        responder.Send(BadRequest(std::string(post.status().message())));
        return;
      }
      responder.Send(Reply(200, {{"id", post->id},
                                 {"open_id", post->open_id},
                                 {"create_time", post->create_time}}));
    } else if (p == "/_sim/tiktok/access_tokens" && m == "POST") {
      std::vector<std::string> scopes =
          body.value("scopes", std::vector<std::string>{"video.list"});
      responder.Send(Reply(
          200, {{"access_token",
                 IssueUserAccessToken(body.value("open_id", ""), scopes)}}));
    } else if (p == "/_sim/tier" && m == "GET") {
      responder.Send(Reply(200, {{"tier", TierName(tier())}}));
    } else {
      responder.Send(Reply(404, {{"error", "unknown control endpoint"}}));
    }
  } catch (const nlohmann::json::exception& e) {
    responder.Send(BadRequest(e.what()));
  }
}

}  // namespace ttads::tiktok_sim
