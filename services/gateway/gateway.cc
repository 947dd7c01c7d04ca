#include "services/gateway/gateway.h"

#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "libs/auth/api_key.h"
#include "libs/idempotency/retry_safe.h"
#include "libs/status/status.h"
#include "libs/status/status_macros.h"
#include "services/gateway/request_id.h"
#include "services/gateway/transcoding.h"
#include "services/gateway/unary_retry.h"
#include "services/gateway/upload_source.h"

namespace ttads::gateway {

static_assert(kBackendMaxMessageBytes == GRPC_DEFAULT_MAX_RECV_MESSAGE_LENGTH,
              "the gateway's limits must equal the backends' receive limit");

Gateway::Gateway(const RouteTable& routes, BackendPool& backends,
                 auth::TeamStore& teams, QuotaCounter& quota,
                 GatewayOptions options, const Dialects& dialects)
    : routes_(routes),
      dialects_(dialects),
      options_(std::move(options)),
      registry_(std::make_shared<prometheus::Registry>()),
      request_metrics_(*registry_),
      quota_rejections_(&prometheus::BuildCounter()
                             .Name("ttads_gateway_quota_rejections_total")
                             .Help("Calls refused because the team's monthly "
                                   "quota was used up, by tier")
                             .Register(*registry_)),
      admission_(teams, quota, options_.tier_cache_ttl),
      answering_(request_metrics_),
      builtins_(routes, backends, *registry_, answering_,
                options_.ready_timeout),
      blocking_(std::make_unique<server::WorkQueue>(
          std::max(1, options_.blocking_threads))),
      forwarder_(backends, *blocking_, *registry_) {}

Gateway::~Gateway() { blocking_.reset(); }

void Gateway::Handle(http::HttpRequest request, http::HttpResponder responder) {
  auto ex =
      std::make_shared<Exchange>(std::move(request), std::move(responder));
  ex->start = absl::Now();
  ex->trace = trace::ContinueOrStart(
      ex->request.headers.Get(trace::kTraceparentHeader).value_or(""),
      ex->request.headers.Get(trace::kTracestateHeader).value_or(""));
  std::string_view raw_path_std, raw_query;
  http::SplitTarget(ex->request.target, &raw_path_std, &raw_query);
  absl::string_view raw_path(raw_path_std.data(), raw_path_std.size());
  ex->dialect = &dialects_.For(raw_path);
  ex->tool = dialects_.ToolName(raw_path);

  absl::StatusOr<RequestIds> ids = ReadRequestIds(ex->request.headers);
  if (!ids.ok()) {
    ex->request_id = NewRequestId();
    answering_.Error(*ex, ids.status());
    return;
  }
  ex->request_id = std::move(ids->request_id);
  ex->idempotency_key = std::move(ids->idempotency_key);

  if (Builtins::Serves(ex->request.method, raw_path)) {
    ex->metric_method = std::string(raw_path);
    builtins_.Serve(ex);
    return;
  }
  Route(ex, raw_path);
}

void Gateway::Route(const std::shared_ptr<Exchange>& ex,
                    absl::string_view raw_path) {
  std::optional<RouteMatch> match = routes_.Match(ex->request.method, raw_path);
  if (!match.has_value()) {
    std::vector<std::string> allowed = routes_.AllowedMethods(raw_path);
    if (!allowed.empty()) {
      Answer answer = ex->dialect->Error(
          absl::UnimplementedError(absl::StrCat(
              "method ", ex->request.method, " is not allowed on ", raw_path)),
          ex->context());
      answer.status = 405;
      answer.headers.emplace_back("Allow", absl::StrJoin(allowed, ", "));
      answering_.Send(*ex, std::move(answer));
    } else {
      Answer answer = ex->dialect->Error(
          absl::NotFoundError(
              absl::StrCat("no route for ", ex->request.method, " ", raw_path)),
          ex->context());
      answering_.Send(*ex, std::move(answer));
    }
    return;
  }
  ex->route = match->route;
  ex->bindings = std::move(match->bindings);
  ex->metric_method = ex->route->method->full_name();

  std::optional<std::string> authorization =
      ex->request.headers.Get("Authorization");
  std::optional<std::string_view> key;
  if (authorization.has_value()) key = auth::BearerToken(*authorization);
  if (!key.has_value() || key->empty()) {
    answering_.Send(*ex, ex->dialect->Unauthorized());
    return;
  }
  ex->api_key = std::string(*key);
  if (!Admit(ex, /*may_block=*/false)) {
    blocking_->Post([this, ex] { Admit(ex, /*may_block=*/true); });
  }
}

bool Gateway::Admit(const std::shared_ptr<Exchange>& ex, bool may_block) {
  if (!ex->principal.has_value()) {
    Attempt<auth::Principal> principal =
        admission_.Authenticate(ex->api_key, may_block);
    if (!principal.has_value()) return false;
    if (!principal->ok()) {
      if (principal->status().code() == absl::StatusCode::kUnauthenticated) {
        answering_.Send(*ex, ex->dialect->Unauthorized());
      } else {
        answering_.Error(*ex, principal->status());
      }
      return true;
    }
    ex->principal = **std::move(principal);
  }
  if (!ex->transcoded) {
    // Reading a body is CPU work that grows with its size: never on an HTTP
    // I/O thread, where it would hold up every connection of that thread.
    if (!may_block && !ex->request.body.empty()) return false;
    if (absl::Status s = Transcode(*ex); !s.ok()) {
      if (IsUnsupportedMediaType(s)) {
        Answer answer = ex->dialect->Error(s, ex->context());
        answer.status = 415;
        answering_.Send(*ex, std::move(answer));
      } else {
        answering_.Error(*ex, s);
      }
      return true;
    }
    ex->transcoded = true;
  }
  Attempt<QuotaUsage> usage =
      admission_.Charge(ex->principal->team_id, may_block);
  if (!usage.has_value()) return false;
  if (!usage->ok()) {
    answering_.Error(*ex, usage->status());
    return true;
  }
  ex->quota = **std::move(usage);
  if (!ex->quota->allowed) {
    // Over the limit: answered here, never forwarded.
    quota_rejections_->Add({{"tier", ex->quota->tier}}).Increment();
    absl::Time now = absl::Now();
    int64_t retry_after = std::max<int64_t>(
        1, absl::ToInt64Seconds(QuotaCounter::PeriodEnd(now) - now));
    answering_.Send(
        *ex,
        ex->dialect->QuotaRefused(
            *ex->quota, absl::StrCat("team:", ex->principal->team_id),
            admission_.quota_config().upgrade_url, retry_after, ex->context()));
    return true;
  }
  Forward(ex);
  return true;
}

absl::Status Gateway::Transcode(Exchange& ex) {
  TTADS_ASSIGN_OR_RETURN(ex.call.timeout, RequestTimeout(ex.request.headers,
                                                         options_.max_timeout));
  if (ex.route->client_streaming()) {
    TTADS_ASSIGN_OR_RETURN(
        ex.upload,
        TranscodeUploadHead(
            *ex.route, ex.bindings, ex.request,
            {.idempotency_key = ex.idempotency_key,
             .csv_batch_rows = options_.csv_batch_rows,
             .max_raw_bytes = options_.max_raw_upload_bytes,
             .max_message_bytes = options_.max_backend_message_bytes}));
    return absl::OkStatus();
  }
  TTADS_ASSIGN_OR_RETURN(
      ex.message, TranscodeRequest(*ex.route, ex.bindings, ex.request,
                                   {.idempotency_key = ex.idempotency_key,
                                    .max_message_bytes =
                                        options_.max_backend_message_bytes}));
  return ex.dialect->CheckRequest(*ex.message);
}

void Gateway::Forward(const std::shared_ptr<Exchange>& ex) {
  BackendCall& call = ex->call;
  call.route = ex->route;
  call.api_key = &ex->api_key;
  call.request_id = &ex->request_id;
  call.trace = &ex->trace;
  call.metric_method = &ex->metric_method;
  if (ex->route->client_streaming()) {
    forwarder_.ClientStream(
        call, *std::move(ex->upload), std::move(ex->request.body),
        ex->request.body_reader,
        [this, ex](grpc::Status status, absl::Status source_error,
                   bool body_failed, std::string response) {
          if (!source_error.ok() && body_failed) {
            answering_.BodyError(*ex, source_error);
          } else if (!source_error.ok()) {
            answering_.Error(*ex, source_error);
          } else if (!status.ok()) {
            answering_.Error(*ex, status);
          } else {
            answering_.Success(*ex, response);
          }
        });
  } else if (ex->route->server_streaming()) {
    auto stream = std::make_shared<Answering::Stream>(answering_, ex);
    forwarder_.ServerStream(
        call, *ex->message,
        [stream](std::string bytes) { return stream->Message(bytes); },
        [stream](grpc::Status status) { stream->Finish(status); });
    ex->message.reset();  // Sent: free it on this thread, as it was made.
  } else {
    // A key makes a retry safe only where the method honours its request id
    // (the contracts' honours_request_id option); elsewhere it may apply
    // twice.
    call.may_retry =
        RetrySafe(ex->request.method,
                  ex->idempotency_key.has_value() &&
                      idempotency::HonoursRequestId(ex->route->grpc_path));
    forwarder_.Unary(call, *ex->message,
                     [this, ex](grpc::Status status, std::string response) {
                       if (status.ok()) {
                         answering_.Success(*ex, response);
                       } else {
                         answering_.Error(*ex, status);
                       }
                     });
    ex->message.reset();  // Sent: free it on this thread, as it was made.
  }
}

bool Gateway::StreamsBody(const http::HttpRequest& head) const {
  std::string_view raw_path, raw_query;
  http::SplitTarget(head.target, &raw_path, &raw_query);
  std::optional<RouteMatch> match = routes_.Match(
      head.method, absl::string_view(raw_path.data(), raw_path.size()));
  return match.has_value() && match->route->client_streaming();
}

}  // namespace ttads::gateway
