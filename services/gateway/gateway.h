#ifndef TTADS_SERVICES_GATEWAY_GATEWAY_H_
#define TTADS_SERVICES_GATEWAY_GATEWAY_H_

// The gateway's HTTP handler: REST/JSON in, gRPC to the backends, JSON out.
// Everything route-specific comes from the RouteTable (google.api.http) and
// everything product-specific from the request's dialect (dialect.h); this
// class only runs the steps every request takes, in order:
//
// 1. Request id (request_id.h) and dialect (by path).
// 2. Built-ins without auth: GET /healthz, /readyz, /metrics, /openapi.json
//    (builtins.h).
// 3. Route match: 404, or 405 with Allow.
// 4. Admission, authentication (admission.h): `Authorization: Bearer <key>`
//    resolved by the team store; a missing or bad key is the dialect's 401.
// 5. Transcoding (transcoding.h): deadline and request message, then the
//    dialect's request policy; a bad request is refused before it costs
//    quota.
// 6. Admission, quota (admission.h): one unit per forwarded call; over the
//    limit is the dialect's 429, not forwarded.
// 7. Forwarding (forwarding.h): the backend call of the route's kind.
// 8. Answering (answering.h): the backend's answer in the dialect's shape.
//
// Steps 4-6 run on the HTTP I/O thread while everything they need is in
// memory (cached key, cached tier, a quota lease) and the request has no
// body to parse; otherwise the request moves to a small pool of blocking
// threads, where the steps already done are skipped, so a slow Redis or a
// large body never stalls other connections.

#include <chrono>
#include <memory>
#include <string>

#include "absl/time/time.h"
#include "libs/auth/team_store.h"
#include "libs/http/server.h"
#include "libs/server/work_queue.h"
#include "prometheus/counter.h"
#include "prometheus/registry.h"
#include "services/gateway/admission.h"
#include "services/gateway/answering.h"
#include "services/gateway/backend_pool.h"
#include "services/gateway/builtins.h"
#include "services/gateway/dialect.h"
#include "services/gateway/exchange.h"
#include "services/gateway/forwarding.h"
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
  // CSV rows per streamed message.
  int csv_batch_rows = 1000;
  // How long a team's tier is cached.
  absl::Duration tier_cache_ttl = absl::Seconds(30);
  // Deadline of each backend health check in /readyz.
  std::chrono::milliseconds ready_timeout{1000};
  // Threads for the steps that wait on Redis (a key, tier or quota lease
  // not known in memory) and for parsing bodies, so HTTP I/O threads never
  // block.
  int blocking_threads = 4;
  // The largest request message the backends take: their gRPC receive limit
  // (gRPC's default, which libs/server keeps). A larger one is refused with
  // 413 before quota is spent.
  size_t max_backend_message_bytes = kBackendMaxMessageBytes;
  // The largest raw upload body (e.g. audio/mpeg into UploadSound); larger
  // → 413, refused as soon as it is seen (0: only the HTTP upload limit).
  size_t max_raw_upload_bytes = 50'000'000;
};

class Gateway {
 public:
  Gateway(const RouteTable& routes, BackendPool& backends,
          auth::TeamStore& teams, QuotaCounter& quota, GatewayOptions options,
          const Dialects& dialects = Dialects::Products());
  // Drains and joins the blocking pool before anything its work uses.
  ~Gateway();

  // The http::Handler.
  void Handle(http::HttpRequest request, http::HttpResponder responder);
  // http::HttpServer::Options::stream_body: the bodies of client-streaming
  // routes (uploads) are converted while they arrive, never held whole.
  bool StreamsBody(const http::HttpRequest& head) const;

  const std::string& openapi_json() const { return builtins_.openapi_json(); }
  prometheus::Registry& registry() { return *registry_; }

 private:
  void Route(const std::shared_ptr<Exchange>& ex, absl::string_view raw_path);
  // Admission and transcoding, then Forward. With `may_block` false,
  // returns false (having answered nothing) as soon as a step needs I/O or
  // a body must be parsed; the caller re-runs it on a blocking thread, where
  // the steps already done are skipped. True once the exchange is answered
  // or forwarded.
  bool Admit(const std::shared_ptr<Exchange>& ex, bool may_block);
  absl::Status Transcode(Exchange& ex);
  void Forward(const std::shared_ptr<Exchange>& ex);

  const RouteTable& routes_;
  const Dialects& dialects_;
  GatewayOptions options_;
  std::shared_ptr<prometheus::Registry> registry_;
  RequestMetrics request_metrics_;
  prometheus::Family<prometheus::Counter>* quota_rejections_;
  Admission admission_;
  Answering answering_;
  Builtins builtins_;
  std::unique_ptr<server::WorkQueue> blocking_;
  Forwarder forwarder_;
};

}  // namespace ttads::gateway

#endif  // TTADS_SERVICES_GATEWAY_GATEWAY_H_
