#include "services/gateway/gateway.h"

#include <cmath>
#include <optional>
#include <set>
#include <vector>

#include "absl/random/random.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "libs/auth/api_key.h"
#include "libs/status/status.h"
#include "prometheus/text_serializer.h"
#include "services/gateway/error_mapping.h"
#include "services/gateway/json_dump.h"
#include "services/gateway/openapi.h"
#include "services/gateway/transcoder.h"
#include "services/gateway/unary_retry.h"
#include "services/gateway/upload_source.h"

namespace ttads::gateway {

static_assert(kBackendMaxMessageBytes == GRPC_DEFAULT_MAX_RECV_MESSAGE_LENGTH,
              "the gateway's limits must equal the backends' receive limit");

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using ordered_json = nlohmann::ordered_json;

struct Gateway::Exchange {
  http::HttpRequest request;
  http::HttpResponder responder;
  std::string request_id;
  absl::Time start;
  std::string metric_method = "unmatched";
  const ttads::gateway::Route* route = nullptr;
  PathTemplate::Bindings bindings;
  std::string api_key;
  std::optional<QuotaUsage> quota;
  bool tool = false;
  std::string tool_name;
  std::chrono::milliseconds timeout{0};
  std::optional<std::string> idempotency_key;
  // Filled in by Admit's steps, so a step finished on the I/O thread is not
  // redone on a worker thread.
  std::optional<auth::Principal> principal;
  bool prepared = false;
  std::unique_ptr<Message> message;  // Unary and server-streaming calls.

  Exchange(http::HttpRequest r, http::HttpResponder p)
      : request(std::move(r)), responder(std::move(p)) {}

  // X-Request-Id, and the quota headers once the call was counted.
  void AddCommonHeaders(http::Headers& h) const {
    h.Add("X-Request-Id", request_id);
    if (quota.has_value()) {
      h.Add("X-Quota-Used", absl::StrCat(quota->used));
      h.Add("X-Quota-Limit", quota->limit == 0 ? std::string("unlimited")
                                               : absl::StrCat(quota->limit));
      h.Add("X-Quota-Tier", quota->tier);
      h.Add("X-Quota-Period-End", quota->period_end);
    }
  }
};

namespace {

// 24 hex digits. Request ids are for correlation, not secrets: a
// per-thread generator seeded from the OS is enough and costs no lock.
std::string NewRequestId() {
  thread_local absl::BitGen gen;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(24, '0');
  for (int half = 0; half < 2; ++half) {
    uint64_t bits = absl::Uniform<uint64_t>(gen);
    for (int i = 0; i < 12; ++i) {
      out[half * 12 + i] = kHex[bits & 15];
      bits >>= 4;
    }
  }
  return out;
}

bool SafeHeaderValue(absl::string_view v) {
  if (v.empty() || v.size() > 128) return false;
  for (char c : v) {
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

}  // namespace

Gateway::Gateway(const RouteTable& routes, BackendPool& backends,
                 auth::TeamStore& teams, QuotaCounter& quota,
                 GatewayOptions options)
    : routes_(routes),
      backends_(backends),
      teams_(teams),
      quota_(quota),
      options_(std::move(options)),
      openapi_json_(BuildOpenApi(routes).dump(2)),
      registry_(std::make_shared<prometheus::Registry>()),
      blocking_(std::make_unique<server::WorkQueue>(
          std::max(1, options_.blocking_threads))) {
  request_metrics_ = std::make_unique<RequestMetrics>(*registry_);
  quota_rejections_ = &prometheus::BuildCounter()
                           .Name("ttads_gateway_quota_rejections_total")
                           .Help(
                               "Calls refused because the team's monthly "
                               "quota was used up, by tier")
                           .Register(*registry_);
  backend_retries_ =
      &prometheus::BuildCounter()
           .Name("ttads_gateway_backend_retries_total")
           .Help(
               "Unary backend calls made a second time after UNAVAILABLE "
               "(docs/gateway.md, Backend retries), by gRPC method")
           .Register(*registry_);
}

std::optional<std::chrono::milliseconds> Gateway::ParseTimeout(
    absl::string_view value, bool grpc_format) {
  value = absl::StripAsciiWhitespace(value);
  if (value.empty()) return std::nullopt;
  if (!grpc_format) {
    double seconds;
    if (!absl::SimpleAtod(value, &seconds) || !(seconds > 0) || seconds > 1e7) {
      return std::nullopt;
    }
    return std::chrono::milliseconds(
        std::max<int64_t>(1, std::llround(seconds * 1000)));
  }
  char unit = value.back();
  int64_t n;
  if (!absl::SimpleAtoi(value.substr(0, value.size() - 1), &n) || n <= 0 ||
      value.size() > 9) {
    return std::nullopt;
  }
  double ms;
  switch (unit) {
    case 'H':
      ms = n * 3600e3;
      break;
    case 'M':
      ms = n * 60e3;
      break;
    case 'S':
      ms = n * 1e3;
      break;
    case 'm':
      ms = n;
      break;
    case 'u':
      ms = n / 1e3;
      break;
    case 'n':
      ms = n / 1e6;
      break;
    default:
      return std::nullopt;
  }
  return std::chrono::milliseconds(std::max<int64_t>(1, std::llround(ms)));
}

void Gateway::Record(const Exchange& ex, int status) {
  request_metrics_->Record(ex.metric_method, status, absl::Now() - ex.start);
}

void Gateway::SendJson(
    const std::shared_ptr<Exchange>& ex, int status, const std::string& body,
    std::vector<std::pair<std::string, std::string>> headers) {
  http::HttpResponse response = http::HttpResponse::Json(status, body);
  ex->AddCommonHeaders(response.headers);
  for (auto& [name, value] : headers) response.headers.Add(name, value);
  Record(*ex, status);
  ex->responder.Send(std::move(response));
}

void Gateway::Handle(http::HttpRequest request, http::HttpResponder responder) {
  auto ex =
      std::make_shared<Exchange>(std::move(request), std::move(responder));
  ex->start = absl::Now();
  ex->idempotency_key = ex->request.headers.Get("Idempotency-Key");
  std::optional<std::string> given = ex->request.headers.Get("X-Request-Id");
  for (const auto& [name, value] :
       {std::pair{"Idempotency-Key", &ex->idempotency_key},
        std::pair{"X-Request-Id", &given}}) {
    if (value->has_value() && !SafeHeaderValue(**value)) {
      ex->request_id = NewRequestId();
      SendJson(ex, 400,
               DumpJson(ErrorFromAbsl(
                            status::InvalidArgument(
                                absl::StrCat(name,
                                             " must be 1-128 visible ASCII "
                                             "characters"),
                                {{name, "bad header value"}}))
                            .body));
      return;
    }
  }
  if (ex->idempotency_key.has_value()) {
    ex->request_id = *ex->idempotency_key;
  } else if (given.has_value()) {
    ex->request_id = *given;
  } else {
    ex->request_id = NewRequestId();
  }
  std::string_view raw_path, raw_query;
  http::SplitTarget(ex->request.target, &raw_path, &raw_query);
  if (ex->request.method == "GET" &&
      (raw_path == "/healthz" || raw_path == "/readyz" ||
       raw_path == "/metrics" || raw_path == "/openapi.json")) {
    ex->metric_method = std::string(raw_path);
    Builtin(ex);
    return;
  }
  Route(ex);
}

void Gateway::Builtin(const std::shared_ptr<Exchange>& ex) {
  const std::string& path = ex->metric_method;
  if (path == "/healthz") {
    SendJson(ex, 200, R"({"status":"ok"})");
  } else if (path == "/openapi.json") {
    SendJson(ex, 200, openapi_json_);
  } else if (path == "/metrics") {
    std::string text =
        prometheus::TextSerializer().Serialize(registry_->Collect());
    http::HttpResponse response = http::HttpResponse::Text(200, text);
    response.headers.Add("Content-Type", "text/plain; version=0.0.4");
    response.headers.Add("X-Request-Id", ex->request_id);
    Record(*ex, 200);
    ex->responder.Send(std::move(response));
  } else {
    std::map<std::string, std::vector<std::string>> services_at;
    for (const auto& [service, address] : backends_.addresses()) {
      services_at[address].push_back(service);
    }
    backends_.CheckHealth(
        options_.ready_timeout,
        [this, ex, services_at](std::map<std::string, std::string> results) {
          bool ready = true;
          nlohmann::json backends = nlohmann::json::array();
          for (const auto& [address, verdict] : results) {
            ready = ready && verdict.empty();
            auto it = services_at.find(address);
            backends.push_back(
                {{"address", address},
                 {"services", it == services_at.end()
                                  ? std::vector<std::string>()
                                  : it->second},
                 {"status", verdict.empty() ? "SERVING" : verdict}});
          }
          SendJson(ex, ready ? 200 : 503,
                   DumpJson(nlohmann::json{{"ready", ready},
                                           {"backends", backends}}));
        });
  }
}

std::optional<std::string> Gateway::CachedTier(const std::string& team_id) {
  std::lock_guard<std::mutex> lock(tier_mu_);
  auto it = tier_cache_.find(team_id);
  if (it != tier_cache_.end() && it->second.second > absl::Now()) {
    return it->second.first;
  }
  return std::nullopt;
}

absl::StatusOr<std::string> Gateway::TierOf(const std::string& team_id) {
  if (auto tier = CachedTier(team_id)) return *tier;
  auto team = teams_.GetTeam(team_id);
  if (!team.ok()) return team.status();
  std::lock_guard<std::mutex> lock(tier_mu_);
  if (tier_cache_.size() > 100000) tier_cache_.clear();
  tier_cache_[team_id] = {team->tier, absl::Now() + options_.tier_cache_ttl};
  return team->tier;
}

void Gateway::Route(const std::shared_ptr<Exchange>& ex) {
  std::string_view raw_path_std, raw_query;
  http::SplitTarget(ex->request.target, &raw_path_std, &raw_query);
  absl::string_view raw_path(raw_path_std.data(), raw_path_std.size());
  auto match = routes_.Match(ex->request.method, raw_path);
  if (!match.has_value()) {
    std::vector<std::string> allowed = routes_.AllowedMethods(raw_path);
    if (!allowed.empty()) {
      HttpError e = ErrorFromAbsl(absl::UnimplementedError(absl::StrCat(
          "method ", ex->request.method, " is not allowed on ", raw_path)));
      SendJson(ex, 405, DumpJson(e.body),
               {{"Allow", absl::StrJoin(allowed, ", ")}});
    } else {
      SendJson(ex, 404,
               DumpJson(ErrorFromAbsl(absl::NotFoundError(absl::StrCat(
                                          "no route for ", ex->request.method,
                                          " ", raw_path)))
                            .body));
    }
    return;
  }
  ex->route = match->route;
  ex->bindings = std::move(match->bindings);
  ex->metric_method = ex->route->method->full_name();
  ex->tool = absl::StartsWith(raw_path, options_.tool_path_prefix);
  if (ex->tool) {
    absl::string_view rest = raw_path.substr(options_.tool_path_prefix.size());
    ex->tool_name = std::string(rest.substr(0, rest.find('/')));
  }

  // Authentication: the exact Zernio 401 for any missing/bad key.
  std::optional<std::string> authorization =
      ex->request.headers.Get("Authorization");
  std::optional<std::string_view> key;
  if (authorization.has_value()) key = auth::BearerToken(*authorization);
  if (!key.has_value() || key->empty()) {
    SendJson(ex, 401, R"({"error": "Unauthorized"})");
    return;
  }
  ex->api_key = std::string(*key);
  if (!Admit(ex, /*may_block=*/false)) {
    blocking_->Post([this, ex] { Admit(ex, /*may_block=*/true); });
  }
}

bool Gateway::Admit(const std::shared_ptr<Exchange>& ex, bool may_block) {
  if (!ex->principal.has_value()) {
    std::optional<auth::Principal> known =
        teams_.AuthenticateWithoutIo(ex->api_key);
    if (!known.has_value()) {
      if (!may_block) return false;
      auto principal = teams_.Authenticate(ex->api_key);
      if (!principal.ok()) {
        if (principal.status().code() == absl::StatusCode::kUnauthenticated) {
          SendJson(ex, 401, R"({"error": "Unauthorized"})");
        } else {
          HttpError e = ErrorFromAbsl(principal.status());
          SendJson(ex, e.status, DumpJson(e.body), e.headers);
        }
        return true;
      }
      known = *std::move(principal);
    }
    ex->principal = std::move(known);
  }
  if (!ex->prepared) {
    // Reading a body is CPU work that grows with its size: never on an HTTP
    // I/O thread, where it would hold up every connection of that thread.
    if (!may_block && !ex->request.body.empty()) return false;
    if (!Prepare(ex)) return true;  // Answered with the error.
    ex->prepared = true;
  }
  const std::string& team_id = ex->principal->team_id;
  std::optional<std::string> tier = CachedTier(team_id);
  if (!tier.has_value()) {
    if (!may_block) return false;
    auto fetched = TierOf(team_id);
    if (!fetched.ok()) {
      HttpError e = ErrorFromAbsl(fetched.status());
      SendJson(ex, e.status, DumpJson(e.body));
      return true;
    }
    tier = *std::move(fetched);
  }
  absl::Time now = absl::Now();
  std::optional<QuotaUsage> usage =
      quota_.TryChargeFromLease(team_id, *tier, now);
  if (!usage.has_value()) {
    if (!may_block) return false;
    auto charged = quota_.Charge(team_id, *tier, now);
    if (!charged.ok()) {
      HttpError e = ErrorFromAbsl(absl::UnavailableError(absl::StrCat(
          "quota store unavailable: ", charged.status().message())));
      SendJson(ex, e.status, DumpJson(e.body));
      return true;
    }
    usage = *std::move(charged);
  }
  Forward(ex, *usage);
  return true;
}

bool Gateway::Prepare(const std::shared_ptr<Exchange>& ex) {
  // Deadline.
  ex->timeout = options_.max_timeout;
  std::optional<std::string> timeout_header =
      ex->request.headers.Get("X-Request-Timeout");
  bool grpc_format = false;
  if (!timeout_header.has_value()) {
    timeout_header = ex->request.headers.Get("grpc-timeout");
    grpc_format = true;
  }
  if (timeout_header.has_value()) {
    auto t = ParseTimeout(*timeout_header, grpc_format);
    if (!t.has_value()) {
      HttpError e = ErrorFromAbsl(status::InvalidArgument(
          "bad request timeout header",
          {{grpc_format ? "grpc-timeout" : "X-Request-Timeout",
            "seconds (X-Request-Timeout: 2.5) or a gRPC timeout (grpc-timeout: "
            "500m)"}}));
      SendJson(ex, e.status, DumpJson(e.body));
      return false;
    }
    ex->timeout = std::min(*t, options_.max_timeout);
  }

  // Transcode before spending quota: a bad request costs nothing.
  absl::Status built;
  if (ex->route->client_streaming()) {
    // The body is converted as it streams; the path and query, which every
    // message gets, are checked now.
    auto probe = NewMessage(ex->route->method->input_type());
    std::set<std::string> bound;
    built = ApplyBindings(ex->bindings, probe.get(), &bound);
    if (built.ok()) built = ApplyQuery(ex->request.query, bound, probe.get());
  } else {
    const bool mutating = ex->request.method != "GET";
    ex->message = NewMessage(ex->route->method->input_type());
    built = BuildRequest(*ex->route, ex->bindings, ex->request.query,
                         ex->request.body, ex->message.get());
    if (built.ok() && mutating && ex->idempotency_key.has_value()) {
      built = SetRequestId(ex->message.get(), *ex->idempotency_key).status();
    }
    if (built.ok() &&
        ex->message->ByteSizeLong() > options_.max_backend_message_bytes) {
      // JSON can encode to a larger message than itself (a Struct spends
      // several bytes per element): the backend would refuse it.
      std::string description = absl::StrCat("encodes to more than ",
                                             options_.max_backend_message_bytes,
                                             " bytes, the backends' limit");
      built =
          status::WithFieldViolations(absl::ResourceExhaustedError(absl::StrCat(
                                          "the request ", description)),
                                      {{"body", description}});
    }
  }
  if (built.ok()) return true;
  HttpError e = ErrorFromAbsl(built);
  if (ex->tool) {
    ordered_json body = {
        {"success", false},       {"error", e.body["error"]},
        {"is_error", true},       {"tool", ex->tool_name},
        {"code", e.body["code"]}, {"details", e.body["details"]}};
    SendJson(ex, e.status, DumpJson(body));
  } else {
    SendJson(ex, e.status, DumpJson(e.body));
  }
  return false;
}

void Gateway::Forward(const std::shared_ptr<Exchange>& ex,
                      const QuotaUsage& usage) {
  ex->quota = usage;
  if (!usage.allowed) {
    // Over the limit: answered here, never forwarded.
    quota_rejections_->Add({{"tier", usage.tier}}).Increment();
    const std::string& url = quota_.config().upgrade_url;
    std::string message =
        LimitReachedMessage(usage, ex->tool ? "tool calls" : "API calls", url);
    int64_t retry_after = std::max<int64_t>(
        1, absl::ToInt64Seconds(QuotaCounter::PeriodEnd(absl::Now()) -
                                absl::Now()));
    std::vector<std::pair<std::string, std::string>> headers = {
        {"Retry-After", absl::StrCat(retry_after)}};
    if (ex->tool) {
      ordered_json body = {{"success", false},
                           {"error", message},
                           {"is_error", true},
                           {"tool", ex->tool_name},
                           {"quota", QuotaJson(usage, true, url)}};
      SendJson(ex, 429, DumpJson(body), headers);
    } else {
      HttpError e = ErrorFromAbsl(status::QuotaExceeded(
          message, absl::StrCat("team:", ex->principal->team_id),
          absl::StrCat("monthly API calls on the ", usage.tier, " tier")));
      e.body["quota"] = QuotaJson(usage, true, url);
      SendJson(ex, 429, DumpJson(e.body), headers);
    }
    return;
  }

  if (ex->route->client_streaming()) {
    CallClientStream(ex);
  } else if (ex->route->server_streaming()) {
    CallServerStream(ex, std::move(ex->message));
  } else {
    CallUnary(ex, std::move(ex->message));
  }
}

namespace {

std::unique_ptr<grpc::ClientContext> MakeContext(
    const std::string& api_key, const std::string& request_id,
    std::chrono::system_clock::time_point deadline) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(deadline);
  context->AddMetadata("authorization", absl::StrCat("Bearer ", api_key));
  context->AddMetadata("x-request-id", request_id);
  return context;
}

std::chrono::system_clock::time_point DeadlineIn(
    std::chrono::milliseconds timeout) {
  return std::chrono::system_clock::now() + timeout;
}

}  // namespace

void Gateway::CallUnary(const std::shared_ptr<Exchange>& ex,
                        std::unique_ptr<Message> request) {
  UnaryRetryCall call;
  call.service = ex->route->service_name();
  call.grpc_path = ex->route->grpc_path;
  call.request = request->SerializeAsString();
  call.deadline = DeadlineIn(ex->timeout);
  call.make_context = [ex](std::chrono::system_clock::time_point deadline) {
    return MakeContext(ex->api_key, ex->request_id, deadline);
  };
  call.may_retry =
      RetrySafe(ex->request.method, ex->idempotency_key.has_value());
  call.on_retry = [this, ex]() {
    backend_retries_->Add({{"method", ex->metric_method}}).Increment();
  };
  UnaryWithRetry(backends_, std::move(call),
                 [this, ex](grpc::Status status, std::string response) {
                   if (status.ok()) {
                     SendSuccess(ex, response);
                   } else {
                     SendGrpcError(ex, status);
                   }
                 });
}

void Gateway::SendSuccess(const std::shared_ptr<Exchange>& ex,
                          const std::string& response_bytes) {
  auto response = NewMessage(ex->route->method->output_type());
  if (!response->ParseFromString(response_bytes)) {
    SendGrpcError(ex, grpc::Status(grpc::StatusCode::INTERNAL,
                                   "backend sent an unparsable response"));
    return;
  }
  auto json = ToJson(*response, ex->tool ? JsonStyle::kTool : JsonStyle::kApi);
  if (!json.ok()) {
    SendGrpcError(ex, grpc::Status(grpc::StatusCode::INTERNAL,
                                   std::string(json.status().message())));
    return;
  }
  std::string body = *std::move(json);
  if (!ex->route->response_body.empty()) {
    const FieldDescriptor* f =
        response->GetDescriptor()->FindFieldByName(ex->route->response_body);
    ordered_json all = ordered_json::parse(body, nullptr, false);
    std::string key = ex->tool ? f->name() : f->json_name();
    body = all.contains(key) ? DumpJson(all[key]) : "null";
  }
  if (ex->tool && ex->quota.has_value()) {
    ordered_json all = ordered_json::parse(body, nullptr, false);
    if (!all.is_object()) all = ordered_json::object();
    if (!all.contains("data") || !all["data"].is_object()) {
      all["data"] = ordered_json::object();
    }
    all["data"]["quota"] = QuotaJson(*ex->quota, false, "");
    body = DumpJson(all);
  }
  SendJson(ex, 200, body);
}

void Gateway::SendGrpcError(const std::shared_ptr<Exchange>& ex,
                            const grpc::Status& status) {
  HttpError e = ErrorFromGrpc(status);
  if (ex->tool) {
    ordered_json body = {
        {"success", false},       {"error", e.body["error"]},
        {"is_error", true},       {"tool", ex->tool_name},
        {"code", e.body["code"]}, {"details", e.body["details"]}};
    if (ex->quota.has_value()) {
      body["quota"] = QuotaJson(*ex->quota, false, "");
    }
    SendJson(ex, e.status, DumpJson(body), e.headers);
    return;
  }
  SendJson(ex, e.status, DumpJson(e.body), e.headers);
}

void Gateway::CallServerStream(const std::shared_ptr<Exchange>& ex,
                               std::unique_ptr<Message> request) {
  struct Stream {
    std::mutex mu;
    bool started = false;
    bool sse = false;
    grpc::ClientContext* context = nullptr;
  };
  auto stream = std::make_shared<Stream>();
  std::optional<std::string> accept = ex->request.headers.Get("Accept");
  stream->sse =
      accept.has_value() &&
      absl::StrContains(absl::AsciiStrToLower(*accept), "text/event-stream");
  auto start = [this, ex, stream]() {
    if (stream->started) return;
    stream->started = true;
    http::Headers headers;
    headers.Add("Content-Type",
                stream->sse ? "text/event-stream" : "application/x-ndjson");
    headers.Add("Cache-Control", "no-cache");
    ex->AddCommonHeaders(headers);
    Record(*ex, 200);
    ex->responder.StartChunked(200, std::move(headers));
  };
  auto context =
      MakeContext(ex->api_key, ex->request_id, DeadlineIn(ex->timeout));
  stream->context = context.get();
  const Descriptor* output = ex->route->method->output_type();
  backends_.ServerStream(
      ex->route->service_name(), ex->route->grpc_path, std::move(context),
      request->SerializeAsString(),
      [ex, stream, start, output](std::string bytes) {
        auto message = NewMessage(output);
        std::string line;
        if (message->ParseFromString(bytes)) {
          auto json = ToJson(*message, JsonStyle::kApi);
          line = json.ok() ? *json : R"({"error":"unrenderable message"})";
        }
        std::lock_guard<std::mutex> lock(stream->mu);
        start();
        std::string chunk = stream->sse ? absl::StrCat("data: ", line, "\n\n")
                                        : absl::StrCat(line, "\n");
        if (!ex->responder.WriteChunk(std::move(chunk))) {
          stream->context->TryCancel();  // The client went away.
        }
      },
      [this, ex, stream, start](grpc::Status status) {
        std::lock_guard<std::mutex> lock(stream->mu);
        if (!stream->started && !status.ok()) {
          SendGrpcError(ex, status);
          return;
        }
        start();
        if (!status.ok()) {
          // Headers are gone: the last line says why the stream stopped.
          std::string error =
              DumpJson(nlohmann::json{{"error", ErrorFromGrpc(status).body}});
          ex->responder.WriteChunk(
              stream->sse ? absl::StrCat("event: error\ndata: ", error, "\n\n")
                          : absl::StrCat(error, "\n"));
        }
        ex->responder.FinishChunked();
      });
}

void Gateway::CallClientStream(const std::shared_ptr<Exchange>& ex) {
  std::string content_type = absl::AsciiStrToLower(
      ex->request.headers.Get("Content-Type").value_or(""));
  UploadSource::Options source_options;
  source_options.message_type = ex->route->method->input_type();
  if (absl::StartsWith(content_type, "text/csv")) {
    source_options.csv = FindCsvShape(source_options.message_type);
    if (!source_options.csv.has_value()) {
      HttpError e = ErrorFromAbsl(status::InvalidArgument(
          "this route does not accept CSV; send NDJSON (application/x-ndjson)",
          {{"Content-Type", "text/csv is not supported here"}}));
      SendJson(ex, 415, DumpJson(e.body));
      return;
    }
  }
  source_options.bindings = ex->bindings;
  source_options.query = ex->request.query;
  source_options.request_id = ex->idempotency_key;
  source_options.batch_rows = options_.csv_batch_rows;
  UploadSource::ReadMore read_more;
  if (ex->request.body_reader != nullptr) {
    // A piece arrives on an HTTP I/O thread; what it completes (JSON or
    // CSV conversion) runs on the blocking pool.
    read_more = [this, reader = ex->request.body_reader](
                    std::function<void(absl::StatusOr<std::string>)> done) {
      reader->Read(
          [this, done = std::move(done)](absl::StatusOr<std::string> piece) {
            blocking_->Post([done, piece = std::move(piece)] { done(piece); });
          });
    };
  }
  auto source = std::make_shared<UploadSource>(std::move(source_options),
                                               std::move(ex->request.body),
                                               std::move(read_more));
  backends_.ClientStream(
      ex->route->service_name(), ex->route->grpc_path,
      MakeContext(ex->api_key, ex->request_id, DeadlineIn(ex->timeout)),
      [this, source](BackendPool::MessageReady ready) {
        blocking_->Post([source, ready] { source->Next(ready); });
      },
      [this, ex, source](grpc::Status status, absl::Status source_error,
                         std::string response) {
        if (!source_error.ok() && source->body_failed()) {
          SendBodyError(ex, source_error);
        } else if (!source_error.ok()) {
          HttpError e = ErrorFromAbsl(source_error);
          SendJson(ex, e.status, DumpJson(e.body), e.headers);
        } else if (!status.ok()) {
          SendGrpcError(ex, status);
        } else {
          SendSuccess(ex, response);
        }
      });
}

void Gateway::SendBodyError(const std::shared_ptr<Exchange>& ex,
                            const absl::Status& error) {
  int http_status = 400;
  std::string field_description = "the request body could not be read";
  switch (error.code()) {
    case absl::StatusCode::kResourceExhausted:
      http_status = 413;
      field_description = "too large";
      break;
    case absl::StatusCode::kDeadlineExceeded:
      http_status = 408;
      field_description = "sent too slowly";
      break;
    default:
      break;
  }
  absl::Status status =
      http_status == 413
          ? status::WithFieldViolations(
                absl::ResourceExhaustedError(error.message()),
                {{"body", field_description}})
          : status::InvalidArgument(std::string(error.message()),
                                    {{"body", field_description}});
  HttpError e = ErrorFromAbsl(status);
  SendJson(ex, http_status, DumpJson(e.body), e.headers);
}

bool Gateway::StreamsBody(const http::HttpRequest& head) const {
  std::string_view raw_path, raw_query;
  http::SplitTarget(head.target, &raw_path, &raw_query);
  std::optional<RouteMatch> match = routes_.Match(
      head.method, absl::string_view(raw_path.data(), raw_path.size()));
  return match.has_value() && match->route->client_streaming();
}

}  // namespace ttads::gateway
