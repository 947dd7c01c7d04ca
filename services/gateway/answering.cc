#include "services/gateway/answering.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "libs/status/status.h"
#include "services/gateway/access_log.h"
#include "services/gateway/transcoder.h"

namespace ttads::gateway {

void Answering::Record(const Exchange& ex, int status) {
  // A matched route is labelled by its template; a built-in by its path;
  // anything else is "unmatched" (exchange.h).
  metrics_.Record(
      ex.request.method,
      ex.route != nullptr ? ex.route->path.text() : ex.metric_method, status,
      absl::Now() - ex.start);
}

void Answering::Log(const Exchange& ex, int status, size_t bytes) {
  LogAccess(
      {.http_method = ex.request.method,
       .route = ex.route != nullptr ? ex.route->path.text() : ex.metric_method,
       .status = status,
       .duration = absl::Now() - ex.start,
       .bytes = bytes,
       .request_id = ex.request_id,
       .trace = &ex.trace,
       .peer = ex.request.remote_address,
       .team_id = ex.principal.has_value() ? ex.principal->team_id
                                           : std::string_view()});
}

void Answering::Send(Exchange& ex, Answer answer) {
  http::HttpResponse response =
      http::HttpResponse::Json(answer.status, std::move(answer.body));
  ex.AddCommonHeaders(response.headers);
  for (auto& [name, value] : answer.headers) {
    response.headers.Add(std::move(name), std::move(value));
  }
  Record(ex, answer.status);
  Log(ex, answer.status, response.body.size());
  ex.responder.Send(std::move(response));
}

void Answering::SendText(
    Exchange& ex, int status, std::string content_type, std::string body,
    std::vector<std::pair<std::string, std::string>> headers) {
  // One Content-Type: HttpResponse::Text would add text/plain before it.
  http::HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  response.headers.Add("Content-Type", std::move(content_type));
  response.headers.Add("X-Request-Id", ex.request_id);
  if (!ex.trace.empty()) {
    response.headers.Add("traceresponse", ex.trace.Traceparent());
  }
  for (auto& [name, value] : headers) {
    response.headers.Add(std::move(name), std::move(value));
  }
  Record(ex, status);
  Log(ex, status, response.body.size());
  ex.responder.Send(std::move(response));
}

void Answering::Error(Exchange& ex, const absl::Status& status) {
  Send(ex, ex.dialect->Error(status, ex.context()));
}

void Answering::Error(Exchange& ex, const grpc::Status& status) {
  Send(ex, ex.dialect->Error(status, ex.context()));
}

void Answering::Success(Exchange& ex, const std::string& response_bytes) {
  std::unique_ptr<google::protobuf::Message> response =
      NewMessage(ex.route->method->output_type());
  if (!response->ParseFromString(response_bytes)) {
    Error(ex, grpc::Status(grpc::StatusCode::INTERNAL,
                           "backend sent an unparsable response"));
    return;
  }
  absl::StatusOr<std::string> body =
      ex.dialect->SuccessBody(*response, *ex.route, ex.context());
  if (!body.ok()) {
    Error(ex, grpc::Status(grpc::StatusCode::INTERNAL,
                           std::string(body.status().message())));
    return;
  }
  Send(ex, {200, *std::move(body), {}});
}

void Answering::BodyError(Exchange& ex, const absl::Status& error) {
  int http_status = 400;
  std::string description = "the request body could not be read";
  switch (error.code()) {
    case absl::StatusCode::kResourceExhausted:
      http_status = 413;
      description = "too large";
      break;
    case absl::StatusCode::kDeadlineExceeded:
      http_status = 408;
      description = "sent too slowly";
      break;
    default:
      break;
  }
  absl::Status status =
      http_status == 413 ? status::WithFieldViolations(
                               absl::ResourceExhaustedError(error.message()),
                               {{"body", description}})
                         : status::InvalidArgument(std::string(error.message()),
                                                   {{"body", description}});
  Answer answer = ex.dialect->Error(status, ex.context());
  answer.status = http_status;
  Send(ex, std::move(answer));
}

Answering::Stream::Stream(Answering& answering, std::shared_ptr<Exchange> ex)
    : answering_(answering), ex_(std::move(ex)) {
  std::optional<std::string> accept = ex_->request.headers.Get("Accept");
  sse_ = accept.has_value() &&
         absl::StrContains(absl::AsciiStrToLower(*accept), "text/event-stream");
}

void Answering::Stream::StartLocked() {
  if (started_) return;
  started_ = true;
  http::Headers headers;
  headers.Add("Content-Type",
              sse_ ? "text/event-stream" : "application/x-ndjson");
  headers.Add("Cache-Control", "no-cache");
  ex_->AddCommonHeaders(headers);
  answering_.Record(*ex_, 200);
  ex_->responder.StartChunked(200, std::move(headers));
}

bool Answering::Stream::Message(const std::string& bytes) {
  std::unique_ptr<google::protobuf::Message> message =
      NewMessage(ex_->route->method->output_type());
  std::string line;
  if (message->ParseFromString(bytes)) {
    line = ex_->dialect->StreamMessage(*message);
  }
  std::lock_guard<std::mutex> lock(mu_);
  StartLocked();
  std::string chunk =
      sse_ ? absl::StrCat("data: ", line, "\n\n") : absl::StrCat(line, "\n");
  bytes_ += chunk.size();
  return ex_->responder.WriteChunk(std::move(chunk));
}

void Answering::Stream::Finish(const grpc::Status& status) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!started_ && !status.ok()) {
    answering_.Error(*ex_, status);
    return;
  }
  StartLocked();
  if (!status.ok()) {
    std::string error = ex_->dialect->StreamError(status);
    std::string chunk =
        sse_ ? absl::StrCat("event: error\ndata: ", error, "\n\n")
             : absl::StrCat(error, "\n");
    bytes_ += chunk.size();
    ex_->responder.WriteChunk(std::move(chunk));
  }
  answering_.Log(*ex_, 200, bytes_);
  ex_->responder.FinishChunked();
}

}  // namespace ttads::gateway
