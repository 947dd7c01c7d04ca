#ifndef TTADS_LIBS_SERVER_UNARY_H_
#define TTADS_LIBS_SERVER_UNARY_H_

#include <functional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/time/clock.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/server_callback.h"
#include "libs/server/call_context.h"
#include "libs/server/metrics.h"
#include "libs/server/work_queue.h"
#include "libs/status/grpc_status.h"

namespace ttads::server {

// What every handler of a service shares.
struct ServiceEnv {
  std::string service_name;
  Authenticator* authenticator = nullptr;  // nullptr: calls need no key
  WorkQueue* work = nullptr;               // where blocking domain work runs
  Metrics* metrics = nullptr;              // optional
  // Applied to every failed status before it is mapped (e.g. to turn a
  // TikTok error payload into google.rpc details); optional.
  std::function<absl::Status(absl::Status)> decorate_error;
};

// Logs one finished call as a JSON line (method, code, request id, team,
// latency): successful calls at debug level (the hot path stays cheap),
// failures at warn (error for INTERNAL/UNKNOWN/DATA_LOSS). Never logs
// request bodies or keys.
void LogCall(const ServiceEnv& env, std::string_view method,
             const CallContext& call, const absl::Status& status,
             absl::Duration elapsed);

// Resolves the caller of `context` into `call` (request id, key → caller,
// deadline). Errors: UNAUTHENTICATED without a valid key.
absl::Status BeginCall(const ServiceEnv& env,
                       const grpc::CallbackServerContext& context,
                       CallContext* call);

// Serves one unary call with the suite's pipeline: request id (echoed in
// `x-request-id` initial metadata), authentication, the domain function on
// the work queue, the one status mapping (libs/status), metrics and an access
// log line. `handle` runs on a work-queue thread and may block.
template <typename Request, typename Response>
grpc::ServerUnaryReactor* HandleUnary(
    const ServiceEnv& env, grpc::CallbackServerContext* context,
    const Request* request, Response* response, std::string_view method,
    std::function<absl::Status(const CallContext&, const Request&, Response*)>
        handle) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  const absl::Time start = absl::Now();
  env.work->Post([&env, context, request, response, reactor, start,
                  method = std::string(method), handle = std::move(handle)] {
    CallContext call;
    absl::Status status = BeginCall(env, *context, &call);
    context->AddInitialMetadata(kRequestIdHeader, call.request_id);
    if (status.ok()) status = handle(call, *request, response);
    if (!status.ok() && env.decorate_error) {
      status = env.decorate_error(std::move(status));
    }
    const absl::Duration elapsed = absl::Now() - start;
    if (env.metrics) env.metrics->RecordCall(method, status.code(), elapsed);
    LogCall(env, method, call, status, elapsed);
    reactor->Finish(status::ToGrpcStatus(status));
  });
  return reactor;
}

}  // namespace ttads::server

#endif  // TTADS_LIBS_SERVER_UNARY_H_
