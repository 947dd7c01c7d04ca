#ifndef TTADS_SERVICES_GATEWAY_GATEWAY_H_
#define TTADS_SERVICES_GATEWAY_GATEWAY_H_

// The gateway's HTTP handler: REST/JSON in, gRPC to the backends, JSON out.
// Everything route-specific comes from the RouteTable (google.api.http); this
// class only applies the rules every route shares:
//
// 1. Request id: `Idempotency-Key`, else `X-Request-Id`, else a random one;
//    sent as `x-request-id` metadata and returned in `X-Request-Id` on every
//    response.
// 2. Built-ins without auth: GET /healthz, /readyz, /metrics, /openapi.json.
// 3. Route match (404 / 405 with Allow otherwise).
// 4. Authentication: `Authorization: Bearer <key>` resolved by the team store;
//    missing/bad key → 401 with body exactly {"error": "Unauthorized"}. The
//    header is forwarded as `authorization` metadata (backends authorize).
//    Steps 4-6 run on the HTTP I/O thread while everything they need is in
//    memory (cached key, cached tier, a quota lease); when one needs Redis
//    the request moves to a small pool of blocking threads, so a slow Redis
//    never stalls other connections.
// 5. Transcoding (400 with field violations on bad JSON/query), before any
//    quota is spent. `Idempotency-Key` also fills `request_id` of the request
//    message (see SetRequestId) on mutating (non-GET) routes.
// 6. Quota: one unit per forwarded call; over the limit → 429, not forwarded.
//    `X-Quota-Used/-Limit/-Tier/-Period-End` on every routed response;
//    Adspirer tool routes (paths under /api/v1/tools/) also get
//    `data.quota` in the body and Adspirer's error shapes.
// 7. The backend call (async, deadline = X-Request-Timeout seconds or a
//    grpc-timeout value, capped by max_timeout) and the response mapping
//    (error_mapping.h). A unary call refused with UNAVAILABLE is retried
//    once when repeating it is safe: GET/HEAD or an Idempotency-Key
//    (unary_retry.h).
//
// Streaming: server streams answer chunked NDJSON (SSE with
// `Accept: text/event-stream`); client streams take NDJSON or CSV bodies,
// read from the socket and converted message by message as the backend
// accepts them (upload_source.h), up to the streamed-body limit.

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "absl/time/time.h"
#include "libs/auth/team_store.h"
#include "libs/http/server.h"
#include "libs/server/work_queue.h"
#include "nlohmann/json.hpp"
#include "prometheus/counter.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"
#include "services/gateway/backend_pool.h"
#include "services/gateway/quota.h"
#include "services/gateway/request_metrics.h"
#include "services/gateway/route_table.h"

namespace ttads::gateway {

// gRPC's default receive limit (GRPC_DEFAULT_MAX_RECV_MESSAGE_LENGTH), kept
// by every ttads backend (libs/server/server_runner.cc sets none): the
// gateway's default body limit and message limit, so both sides agree.
inline constexpr size_t kBackendMaxMessageBytes = 4 * 1024 * 1024;

struct GatewayOptions {
  // Cap (and default) for the backend deadline.
  std::chrono::milliseconds max_timeout{30000};
  // Paths starting with this are Adspirer-style tool routes.
  std::string tool_path_prefix = "/api/v1/tools/";
  // CSV rows per streamed message.
  int csv_batch_rows = 1000;
  // How long a team's tier is cached.
  absl::Duration tier_cache_ttl = absl::Seconds(30);
  // Deadline of each backend health check in /readyz.
  std::chrono::milliseconds ready_timeout{1000};
  // Threads for the steps that wait on Redis (a key, tier or quota lease
  // not known in memory), so HTTP I/O threads never block.
  int blocking_threads = 4;
  // The largest request message the backends take: their gRPC receive limit
  // (gRPC's default, which libs/server keeps). A larger one is refused with
  // 413 before quota is spent.
  size_t max_backend_message_bytes = kBackendMaxMessageBytes;
};

class Gateway {
 public:
  Gateway(const RouteTable& routes, BackendPool& backends,
          auth::TeamStore& teams, QuotaCounter& quota, GatewayOptions options);

  // The http::Handler.
  void Handle(http::HttpRequest request, http::HttpResponder responder);
  // http::HttpServer::Options::stream_body: the bodies of client-streaming
  // routes (uploads) are converted while they arrive, never held whole.
  bool StreamsBody(const http::HttpRequest& head) const;

  const std::string& openapi_json() const { return openapi_json_; }
  prometheus::Registry& registry() { return *registry_; }

  // Parses "2.5" (X-Request-Timeout, seconds) or "500m"/"2S" (grpc-timeout
  // units H M S m u n). nullopt for a malformed value.
  static std::optional<std::chrono::milliseconds> ParseTimeout(
      absl::string_view value, bool grpc_format);

 private:
  struct Exchange;

  void Builtin(const std::shared_ptr<Exchange>& ex);
  void Route(const std::shared_ptr<Exchange>& ex);
  // Authentication, deadline + transcoding, tier and quota, then Forward.
  // Every step that may need Redis is first tried from memory; with
  // `may_block` false, returns false (having answered nothing) as soon as a
  // step needs I/O, and the caller re-runs it on a blocking thread, where
  // the steps already done are skipped. Returns true once the exchange is
  // answered or forwarded.
  bool Admit(const std::shared_ptr<Exchange>& ex, bool may_block);
  // Deadline header and transcoding; false after answering an error.
  bool Prepare(const std::shared_ptr<Exchange>& ex);
  // The 429 when `usage` refuses, else the backend call.
  void Forward(const std::shared_ptr<Exchange>& ex, const QuotaUsage& usage);
  std::optional<std::string> CachedTier(const std::string& team_id);
  absl::StatusOr<std::string> TierOf(const std::string& team_id);
  void CallUnary(const std::shared_ptr<Exchange>& ex,
                 std::unique_ptr<google::protobuf::Message> request);
  void CallServerStream(const std::shared_ptr<Exchange>& ex,
                        std::unique_ptr<google::protobuf::Message> request);
  void CallClientStream(const std::shared_ptr<Exchange>& ex);
  void SendSuccess(const std::shared_ptr<Exchange>& ex,
                   const std::string& response_bytes);
  void SendGrpcError(const std::shared_ptr<Exchange>& ex,
                     const grpc::Status& status);
  // An upload body that could not be read: 413 over the limit, 408 too slow,
  // else 400.
  void SendBodyError(const std::shared_ptr<Exchange>& ex,
                     const absl::Status& error);
  void SendJson(const std::shared_ptr<Exchange>& ex, int status,
                const std::string& body,
                std::vector<std::pair<std::string, std::string>> headers = {});
  void Record(const Exchange& ex, int status);

  const RouteTable& routes_;
  BackendPool& backends_;
  auth::TeamStore& teams_;
  QuotaCounter& quota_;
  GatewayOptions options_;
  std::string openapi_json_;

  std::mutex tier_mu_;
  std::map<std::string, std::pair<std::string, absl::Time>> tier_cache_;

  std::shared_ptr<prometheus::Registry> registry_;
  std::unique_ptr<RequestMetrics> request_metrics_;
  prometheus::Family<prometheus::Counter>* quota_rejections_;
  prometheus::Family<prometheus::Counter>* backend_retries_;

  // Last: destroyed (drained and joined) before anything its work uses.
  std::unique_ptr<server::WorkQueue> blocking_;
};

}  // namespace ttads::gateway

#endif  // TTADS_SERVICES_GATEWAY_GATEWAY_H_
