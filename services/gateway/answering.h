#ifndef TTADS_SERVICES_GATEWAY_ANSWERING_H_
#define TTADS_SERVICES_GATEWAY_ANSWERING_H_

// Answering, the gateway's last step: writes the HTTP answer of an exchange
// in its dialect's shape (dialect.h), with `X-Request-Id`, `traceresponse`
// and, once the call was counted, the `X-Quota-*` headers, records it in
// http_requests_total / http_request_duration_seconds and writes its access
// log line (access_log.h).
//
// - Success: the backend's response bytes rendered by the dialect; bytes
//   that do not parse, or a message that cannot be rendered, are INTERNAL.
// - Errors: a gateway status or a backend's gRPC status, mapped per
//   error_mapping.h and shaped by the dialect.
// - Body errors of an upload: 413 over the limit, 408 too slow, else 400.
// - Server streams: chunked NDJSON, or SSE with `Accept:
//   text/event-stream`; the head goes out with the first message, so an
//   immediate error is an ordinary error answer, and a later one is the
//   stream's last line ({"error": {...}}; SSE `event: error`).

#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "grpcpp/support/status.h"
#include "services/gateway/dialect.h"
#include "services/gateway/exchange.h"
#include "services/gateway/request_metrics.h"

namespace ttads::gateway {

class Answering {
 public:
  explicit Answering(RequestMetrics& metrics) : metrics_(metrics) {}

  void Send(Exchange& ex, Answer answer);
  // A text answer (/metrics, /docs) with X-Request-Id and `headers`.
  void SendText(Exchange& ex, int status, std::string content_type,
                std::string body,
                std::vector<std::pair<std::string, std::string>> headers = {});
  void Error(Exchange& ex, const absl::Status& status);
  void Error(Exchange& ex, const grpc::Status& status);
  void Success(Exchange& ex, const std::string& response_bytes);
  void BodyError(Exchange& ex, const absl::Status& error);

  // The answer of one server stream. Thread-safe.
  class Stream {
   public:
    Stream(Answering& answering, std::shared_ptr<Exchange> ex);
    // One response message; false once the client is gone.
    bool Message(const std::string& bytes);
    // The end of the stream: an error answer if nothing was sent yet.
    void Finish(const grpc::Status& status);

   private:
    void StartLocked();

    Answering& answering_;
    std::shared_ptr<Exchange> ex_;
    std::mutex mu_;
    bool started_ = false;
    bool sse_ = false;
    size_t bytes_ = 0;
  };

 private:
  void Record(const Exchange& ex, int status);
  // The access log line of an answer of `bytes` body bytes.
  void Log(const Exchange& ex, int status, size_t bytes);

  RequestMetrics& metrics_;
};

}  // namespace ttads::gateway

#endif  // TTADS_SERVICES_GATEWAY_ANSWERING_H_
