#include "libs/tiktok/client.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/notification.h"
#include "libs/tiktok/limiter_worker.h"
#include "libs/tiktok/query.h"
#include "libs/trace/trace_context.h"

namespace ttads::tiktok {

HttpCall HttpCall::Get(std::string path, nlohmann::json params,
                       std::string access_token) {
  HttpCall call;
  call.method = HttpMethod::kGet;
  call.path = std::move(path);
  call.params = std::move(params);
  call.access_token = std::move(access_token);
  return call;
}

HttpCall HttpCall::Post(std::string path, nlohmann::json body,
                        std::string access_token) {
  HttpCall call;
  call.method = HttpMethod::kPost;
  call.path = std::move(path);
  call.body = std::move(body);
  call.access_token = std::move(access_token);
  return call;
}

HttpCall HttpCall::Upload(std::string path, MultipartForm form,
                          std::string access_token) {
  HttpCall call;
  call.method = HttpMethod::kPost;
  call.path = std::move(path);
  call.multipart = std::make_shared<const MultipartForm>(std::move(form));
  call.access_token = std::move(access_token);
  return call;
}

// Everything one call needs across attempts, plus the current attempt's
// libcurl objects.
struct Client::CallState {
  HttpCall call;
  absl::Time deadline;
  absl::Time sent_at;
  Done done;
  std::string url;
  std::string json_body;
  int attempts = 0;
  bool finished = false;
  absl::Status last_error;
  BudgetTag tag;
  std::shared_ptr<BudgetUsage> usage;  // of the sender's BudgetScope
  absl::Time queued_at;                // when this attempt asked for a slot

  CURL* easy = nullptr;
  curl_slist* headers = nullptr;
  curl_mime* mime = nullptr;
  std::string response;
  char error[CURL_ERROR_SIZE] = {};
  bool limited_by_deadline = false;
  bool response_too_large = false;
  int64_t max_response_bytes = 0;

  ~CallState() { ReleaseTransfer(); }

  void ReleaseTransfer() {
    if (easy != nullptr) curl_easy_cleanup(easy);
    if (mime != nullptr) curl_mime_free(mime);
    if (headers != nullptr) curl_slist_free_all(headers);
    easy = nullptr;
    mime = nullptr;
    headers = nullptr;
  }
};

namespace {

absl::Status DeadlineError(const absl::Status& last_error) {
  if (!last_error.ok()) return last_error;
  TikTokErrorInfo info;
  info.message = "deadline exceeded before the request was sent";
  return MakeTikTokError(absl::StatusCode::kDeadlineExceeded,
                         "deadline exceeded before calling TikTok", info);
}

}  // namespace

absl::StatusOr<std::unique_ptr<Client>> Client::Create(ClientOptions options) {
  if (!absl::StartsWith(options.base_url, "http://") &&
      !absl::StartsWith(options.base_url, "https://")) {
    return absl::InvalidArgumentError(
        absl::StrCat("TTADS_TIKTOK_BASE_URL: must be an http(s) URL, got \"",
                     options.base_url, "\""));
  }
  if (!absl::EndsWith(options.base_url, "/")) options.base_url += "/";
  if (options.rate_limiter != nullptr && options.app_id.empty()) {
    return absl::InvalidArgumentError(
        "TTADS_TIKTOK_APP_ID: required to share a rate limiter");
  }
  options.max_attempts = std::max(options.max_attempts, 1);
  return std::unique_ptr<Client>(new Client(std::move(options)));
}

Client::Client(ClientOptions options)
    : options_(std::move(options)),
      loop_(std::make_unique<CurlLoop>(options_.loop)),
      limiter_worker_(options_.rate_limiter != nullptr
                          ? std::make_unique<LimiterWorker>()
                          : nullptr) {}

Client::~Client() {
  shutting_down_.store(true);
  if (limiter_worker_ != nullptr) limiter_worker_->Stop();
  loop_->Shutdown();
}

Client::Stats Client::stats() const {
  Stats stats;
  stats.calls = calls_.load();
  stats.attempts = attempts_.load();
  stats.retries = retries_.load();
  stats.ambiguous = ambiguous_.load();
  stats.limiter_waits = limiter_waits_.load();
  stats.limiter_rejects = limiter_rejects_.load();
  stats.limiter_errors = limiter_errors_.load();
  stats.limiter_deferrals = limiter_deferrals_.load();
  stats.in_flight = loop_->active_transfers();
  return stats;
}

void Client::Send(HttpCall call, absl::Time deadline, Done done) {
  calls_.fetch_add(1);
  auto state = std::make_shared<CallState>();
  state->deadline = deadline;
  state->sent_at = absl::Now();
  state->done = std::move(done);
  state->max_response_bytes = options_.max_response_bytes;
  absl::string_view path = call.path;
  absl::ConsumePrefix(&path, "/");
  state->url = absl::StrCat(options_.base_url, path);
  if (call.multipart != nullptr) call.method = HttpMethod::kPost;
  if (call.method == HttpMethod::kGet) {
    std::string query = EncodeQuery(call.params);
    if (!query.empty()) absl::StrAppend(&state->url, "?", query);
  } else if (call.multipart == nullptr) {
    if (call.body.is_null()) call.body = nlohmann::json::object();
    state->json_body = call.body.dump(-1, ' ', false,
                                      nlohmann::json::error_handler_t::replace);
  }
  if (call.advertiser_id.empty()) {
    const nlohmann::json& source =
        call.method == HttpMethod::kGet ? call.params : call.body;
    if (call.multipart != nullptr) {
      call.advertiser_id = call.multipart->TextValue("advertiser_id");
    } else if (source.is_object() && source.contains("advertiser_id") &&
               source["advertiser_id"].is_string()) {
      call.advertiser_id = source["advertiser_id"].get<std::string>();
    }
  }
  if (call.budget.has_value()) {
    state->tag = *call.budget;
  } else if (const BudgetScope* scope = BudgetScope::Current()) {
    state->tag = scope->tag();
    state->usage = scope->usage();
  } else if (options_.ambient_budget != nullptr) {
    state->tag = options_.ambient_budget();
  }
  if (call.traceparent.empty()) {
    if (const trace::TraceContext* span = trace::Current()) {
      call.traceparent = span->Traceparent();
      call.tracestate = span->tracestate;
    }
  }
  state->call = std::move(call);
  if (path.empty()) {
    Finish(std::move(state),
           absl::InvalidArgumentError("TikTok call without an endpoint path"));
    return;
  }
  StartAttempt(std::move(state));
}

absl::StatusOr<Envelope> Client::Call(HttpCall call, absl::Time deadline) {
  if (loop_->InLoopThread()) {
    return absl::FailedPreconditionError(
        "Client::Call from the client's own loop thread would deadlock");
  }
  absl::Notification done;
  absl::StatusOr<Envelope> result;
  Send(std::move(call), deadline, [&](absl::StatusOr<Envelope> r) {
    result = std::move(r);
    done.Notify();
  });
  done.WaitForNotification();
  return result;
}

void Client::StartAttempt(std::shared_ptr<CallState> state) {
  if (shutting_down_.load()) {
    Finish(std::move(state),
           absl::CancelledError("TikTok client shutting down"));
    return;
  }
  if (absl::Now() + options_.min_attempt_time > state->deadline) {
    absl::Status error = DeadlineError(state->last_error);
    Finish(std::move(state), error);
    return;
  }
  if (options_.rate_limiter == nullptr) {
    Transmit(std::move(state));
    return;
  }
  state->queued_at = absl::Now();
  const WorkClass work_class = state->tag.work_class;
  const std::string team = state->tag.team_id;
  limiter_worker_->Submit(
      work_class, team,
      [this, state](
          bool cancelled) mutable -> std::optional<LimiterWorker::Deferred> {
        if (cancelled) {
          Finish(std::move(state),
                 absl::CancelledError("TikTok client shutting down"));
          return std::nullopt;
        }
        absl::Time now = absl::Now();
        if (now < absl::FromUnixMicros(limiter_bypass_until_us_.load())) {
          Transmit(std::move(state));  // limiter recently unreachable
          return std::nullopt;
        }
        BudgetTag& tag = state->tag;
        if (tag.weight <= 0) {
          tag.weight = options_.team_weight != nullptr
                           ? options_.team_weight(tag.team_id)
                           : 1.0;
          if (tag.weight <= 0) tag.weight = 1.0;
        }
        absl::Duration left = state->deadline - now - options_.min_attempt_time;
        absl::Duration max_wait = std::min(options_.max_rate_limit_wait, left);
        RateLimitRequest request{
            options_.app_id, state->call.path, state->call.advertiser_id,
            tag.work_class,  tag.team_id,      tag.weight};
        absl::StatusOr<Reservation> reservation =
            options_.rate_limiter->Reserve(request, max_wait);
        if (!reservation.ok()) {
          limiter_errors_.fetch_add(1);
          limiter_bypass_until_us_.store(
              absl::ToUnixMicros(absl::Now() + options_.limiter_error_bypass));
          Transmit(std::move(state));
          return std::nullopt;
        }
        if (!reservation->granted && reservation->deferral != Deferral::kNone) {
          limiter_deferrals_.fetch_add(1);
          if (state->usage != nullptr) state->usage->RecordDeferral();
          if (options_.budget_observer != nullptr) {
            options_.budget_observer->OnDeferred(tag, reservation->deferral);
          }
          if (reservation->wait < left) {
            return LimiterWorker::Deferred{
                reservation->wait,
                reservation->deferral == Deferral::kLaneBusy};
          }
        }
        if (!reservation->granted) {
          limiter_rejects_.fetch_add(1);
          if (options_.budget_observer != nullptr) {
            options_.budget_observer->OnRejected(tag);
          }
          absl::Status error = state->last_error;
          if (error.ok()) {
            TikTokErrorInfo info;
            info.retryable = true;
            info.retry_delay = reservation->wait;
            info.message = "shared rate limit: no slot before the deadline";
            error = MakeTikTokError(
                absl::StatusCode::kResourceExhausted,
                absl::StrCat("TikTok app rate limit: next slot in ",
                             absl::FormatDuration(reservation->wait),
                             ", beyond the deadline"),
                info);
          }
          Finish(std::move(state), error);
          return std::nullopt;
        }
        absl::Duration waited =
            (absl::Now() - state->queued_at) + reservation->wait;
        if (state->usage != nullptr) state->usage->RecordGranted(waited);
        if (options_.budget_observer != nullptr) {
          options_.budget_observer->OnGranted(tag, waited);
        }
        if (reservation->wait <= absl::ZeroDuration()) {
          Transmit(std::move(state));
          return std::nullopt;
        }
        limiter_waits_.fetch_add(1);
        loop_->RunAt(absl::Now() + reservation->wait,
                     [this, state]() mutable { Transmit(std::move(state)); });
        return std::nullopt;
      });
}

void Client::Transmit(std::shared_ptr<CallState> state) {
  absl::Duration remaining = state->deadline - absl::Now();
  if (shutting_down_.load()) {
    Finish(std::move(state),
           absl::CancelledError("TikTok client shutting down"));
    return;
  }
  if (remaining <= absl::ZeroDuration()) {
    absl::Status error = DeadlineError(state->last_error);
    Finish(std::move(state), error);
    return;
  }
  attempts_.fetch_add(1);
  state->attempts++;
  state->response.clear();
  state->error[0] = '\0';
  state->response_too_large = false;
  state->limited_by_deadline = remaining <= options_.attempt_timeout;
  absl::Duration timeout = std::min(remaining, options_.attempt_timeout);
  int64_t timeout_ms = std::max<int64_t>(
      1, absl::ToInt64Milliseconds(absl::Ceil(timeout, absl::Milliseconds(1))));
  int64_t connect_ms = std::max<int64_t>(
      1, std::min(timeout_ms,
                  absl::ToInt64Milliseconds(options_.connect_timeout)));

  CURL* easy = curl_easy_init();
  state->easy = easy;
  curl_easy_setopt(easy, CURLOPT_URL, state->url.c_str());
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_ms));
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(connect_ms));
  curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1);
  curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(easy, CURLOPT_USERAGENT, options_.user_agent.c_str());
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, state->error);
  curl_easy_setopt(
      easy, CURLOPT_WRITEFUNCTION,
      +[](char* data, size_t size, size_t count, void* user) -> size_t {
        auto* s = static_cast<CallState*>(user);
        size_t n = size * count;
        if (static_cast<int64_t>(s->response.size() + n) >
            s->max_response_bytes) {
          s->response_too_large = true;
          return 0;
        }
        s->response.append(data, n);
        return n;
      });
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, state.get());

  curl_slist* headers = curl_slist_append(nullptr, "Accept: application/json");
  headers = curl_slist_append(headers, "Expect:");
  if (!state->call.access_token.empty()) {
    headers = curl_slist_append(
        headers,
        absl::StrCat("Access-Token: ", state->call.access_token).c_str());
  }
  if (!state->call.traceparent.empty()) {
    headers = curl_slist_append(
        headers,
        absl::StrCat("traceparent: ", state->call.traceparent).c_str());
    if (!state->call.tracestate.empty()) {
      headers = curl_slist_append(
          headers,
          absl::StrCat("tracestate: ", state->call.tracestate).c_str());
    }
  }
  for (const auto& [name, value] : state->call.extra_headers) {
    headers =
        curl_slist_append(headers, absl::StrCat(name, ": ", value).c_str());
  }
  if (state->call.method == HttpMethod::kGet) {
    curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
  } else if (state->call.multipart != nullptr) {
    absl::StatusOr<curl_mime*> mime = state->call.multipart->BuildMime(easy);
    if (!mime.ok()) {
      curl_slist_free_all(headers);
      state->ReleaseTransfer();
      Finish(std::move(state), mime.status());
      return;
    }
    state->mime = *mime;
    curl_easy_setopt(easy, CURLOPT_MIMEPOST, state->mime);
  } else {
    headers = curl_slist_append(headers, "Content-Type: application/json");
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(state->json_body.size()));
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, state->json_body.data());
    const char* verb = state->call.method == HttpMethod::kPut      ? "PUT"
                       : state->call.method == HttpMethod::kPatch  ? "PATCH"
                       : state->call.method == HttpMethod::kDelete ? "DELETE"
                                                                   : nullptr;
    if (verb != nullptr) curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, verb);
  }
  state->headers = headers;
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
  // On a reused keep-alive connection that turns out dead, libcurl silently
  // sends the request again on a new one. For a call that must not run twice
  // (e.g. /ad/create/) that would be an invisible duplicate, so such calls
  // always take a fresh connection, where curl never re-sends.
  curl_easy_setopt(easy, CURLOPT_FRESH_CONNECT,
                   state->call.is_idempotent() ? 0L : 1L);

  loop_->Add(easy, [this, state](CURLcode result) mutable {
    OnTransferDone(std::move(state), result);
  });
}

void Client::OnTransferDone(std::shared_ptr<CallState> state, CURLcode result) {
  long http_status = 0;
  curl_easy_getinfo(state->easy, CURLINFO_RESPONSE_CODE, &http_status);
  if (result == CURLE_OK) {
    state->ReleaseTransfer();
    absl::StatusOr<Envelope> envelope = ResultFromResponse(
        static_cast<int>(http_status), state->response, absl::Now());
    state->response.clear();
    if (envelope.ok()) {
      Finish(std::move(state), std::move(envelope));
    } else {
      OnAttemptFailed(std::move(state), envelope.status());
    }
    return;
  }
  long request_size = 0;
  curl_off_t uploaded = 0;
  curl_off_t upload_length = -1;
  curl_easy_getinfo(state->easy, CURLINFO_REQUEST_SIZE, &request_size);
  curl_easy_getinfo(state->easy, CURLINFO_SIZE_UPLOAD_T, &uploaded);
  curl_easy_getinfo(state->easy, CURLINFO_CONTENT_LENGTH_UPLOAD_T,
                    &upload_length);
  TransportFailure failure;
  failure.curl_code = result;
  failure.detail = state->error;
  failure.request_sent =
      request_size > 0 && (upload_length < 0 || uploaded >= upload_length);
  failure.deadline_expired =
      result == CURLE_OPERATION_TIMEDOUT && state->limited_by_deadline;
  bool too_large = state->response_too_large;
  state->ReleaseTransfer();
  state->response.clear();
  if (too_large) {
    TikTokErrorInfo info;
    info.http_status = static_cast<int>(http_status);
    info.ambiguous = true;
    info.message = "response too large";
    OnAttemptFailed(
        std::move(state),
        MakeTikTokError(absl::StatusCode::kInternal,
                        absl::StrCat("TikTok response exceeds ",
                                     options_.max_response_bytes, " bytes"),
                        info));
    return;
  }
  OnAttemptFailed(std::move(state), StatusFromTransport(failure));
}

void Client::OnAttemptFailed(std::shared_ptr<CallState> state,
                             absl::Status status) {
  state->last_error = status;
  std::optional<TikTokErrorInfo> info = GetTikTokErrorInfo(status);
  bool can_retry = state->call.retry && info.has_value() && info->retryable &&
                   state->attempts < options_.max_attempts &&
                   (!info->ambiguous || state->call.is_idempotent()) &&
                   !shutting_down_.load();
  if (!can_retry) {
    Finish(std::move(state), std::move(status));
    return;
  }
  absl::Duration delay =
      BackoffDelay(options_.backoff, state->attempts, info->retry_delay, gen_);
  absl::Time at = absl::Now() + delay;
  if (at + options_.min_attempt_time > state->deadline) {
    Finish(std::move(state), std::move(status));
    return;
  }
  retries_.fetch_add(1);
  loop_->RunAt(at, [this, state]() mutable { StartAttempt(std::move(state)); });
}

void Client::Finish(std::shared_ptr<CallState> state,
                    absl::StatusOr<Envelope> result) {
  if (state->finished) return;
  state->finished = true;
  if (!result.ok()) {
    absl::Status status = result.status();
    TikTokErrorInfo info =
        GetTikTokErrorInfo(status).value_or(TikTokErrorInfo{});
    if (info.message.empty()) info.message = std::string(status.message());
    info.attempts = state->attempts;
    SetTikTokErrorInfo(status, info);
    if (info.ambiguous) ambiguous_.fetch_add(1);
    result = std::move(status);
  }
  if (options_.on_finish) {
    absl::string_view endpoint = state->call.path;
    absl::ConsumePrefix(&endpoint, "/");
    options_.on_finish(CallOutcome{.endpoint = endpoint,
                                   .status = &result.status(),
                                   .elapsed = absl::Now() - state->sent_at});
  }
  auto deliver = [state, result = std::move(result)]() mutable {
    Done done = std::move(state->done);
    state.reset();
    done(std::move(result));
  };
  if (loop_->InLoopThread()) {
    deliver();
  } else {
    loop_->Post(std::move(deliver));
  }
}

}  // namespace ttads::tiktok
