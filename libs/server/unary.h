#ifndef TTADS_LIBS_SERVER_UNARY_H_
#define TTADS_LIBS_SERVER_UNARY_H_

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/time/clock.h"
#include "google/protobuf/message.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/server_callback.h"
#include "libs/server/call_context.h"
#include "libs/server/metrics.h"
#include "libs/server/work_queue.h"
#include "libs/status/grpc_status.h"
#include "libs/validate/validate.h"

namespace ttads::server {

// What every handler of a service shares.
struct ServiceEnv {
  std::string service_name;
  Authenticator* authenticator = nullptr;  // nullptr: calls need no key
  WorkQueue* work = nullptr;               // where blocking domain work runs
  Metrics* metrics = nullptr;  // optional; calls are recorded by its
                               // interceptor (Metrics::ServerInterceptor)
  // Applied to every failed status before it is mapped (e.g. to turn a
  // TikTok error payload into google.rpc details); optional.
  std::function<absl::Status(absl::Status)> decorate_error;
};

// The access log line of one finished call, a JSON line: server (the
// ServiceEnv's name), method, code, request id, trace_id / span_id /
// parent_span_id (W3C, this call's span), peer, team, member, latency in ms
// and the error message. Successful calls at info, sampled at
// TTADS_ACCESS_LOG_SAMPLE_PERCENT (log::SampleAccess); failures always, at
// warn (error for INTERNAL/UNKNOWN/DATA_LOSS). Never logs request bodies or
// keys.
void LogCall(const ServiceEnv& env, std::string_view method,
             const CallContext& call, const absl::Status& status,
             absl::Duration elapsed);

// Resolves the caller of `context` into `call` (request id, key → caller,
// deadline). Errors: UNAUTHENTICATED without a valid key.
absl::Status BeginCall(const ServiceEnv& env,
                       const grpc::CallbackServerContext& context,
                       CallContext* call);

// As above, then checks `request` against its contract (libs/validate: UTF-8,
// enum ranges, Timestamps, REQUIRED fields, paging): INVALID_ARGUMENT with
// field violations before any domain code runs. Authentication comes first,
// so a caller without a key learns nothing from the checks.
absl::Status BeginCall(const ServiceEnv& env,
                       const grpc::CallbackServerContext& context,
                       const google::protobuf::Message& request,
                       CallContext* call);

// The bookkeeping every call ends with, whatever its kind: decorates a
// failed status (env.decorate_error: e.g. TikTok's error as google.rpc
// details), writes the access log line (the call's metrics are recorded by
// the server's metrics interceptor, metrics.h), and returns the status mapped
// to gRPC (the one mapping, libs/status) for the reactor to finish with.
grpc::Status EndCall(const ServiceEnv& env, std::string_view method,
                     const CallContext& call, absl::Status status,
                     absl::Time start);

// Ends a call: decorates and maps the status, logs, and finishes the
// reactor (with `x-request-id` and `traceresponse` in the initial metadata).
void FinishCall(const ServiceEnv& env, grpc::CallbackServerContext* context,
                grpc::ServerUnaryReactor* reactor, std::string_view method,
                const CallContext& call, absl::Status status, absl::Time start);

// Resolves the call from memory only (request id, deadline, and the caller
// when the authenticator knows the key without I/O). False when the caller
// is not known that way.
bool BeginCallFromMemory(const ServiceEnv& env,
                         const grpc::CallbackServerContext& context,
                         CallContext* call);

// Serves one unary call with the suite's pipeline: request id (echoed in
// `x-request-id` initial metadata), authentication, the request's contract
// checks (BeginCall with the request), the domain function on
// the work queue, the one status mapping (libs/status), metrics and an access
// log line. `handle` runs on a work-queue thread and may block.
template <typename Request, typename Response>
grpc::ServerUnaryReactor* HandleUnary(
    const ServiceEnv& env, grpc::CallbackServerContext* context,
    const Request* request, Response* response, std::string_view method,
    std::function<absl::Status(const CallContext&, const Request&, Response*)>
        handle) {
  return HandleUnary<Request, Response>(env, context, request, response, method,
                                        nullptr, std::move(handle));
}

// As above, with a fast path: when the caller is known from memory, `fast`
// runs first on gRPC's own thread and must not block; it answers (returns a
// status) when it can do so from memory, or returns nullopt to let `handle`
// run on the work queue. Hot, cacheable reads use it to skip the thread hop.
template <typename Request, typename Response>
grpc::ServerUnaryReactor* HandleUnary(
    const ServiceEnv& env, grpc::CallbackServerContext* context,
    const Request* request, Response* response, std::string_view method,
    std::function<std::optional<absl::Status>(const CallContext&,
                                              const Request&, Response*)>
        fast,
    std::function<absl::Status(const CallContext&, const Request&, Response*)>
        handle) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  const absl::Time start = absl::Now();
  if (fast) {
    CallContext call;
    if (BeginCallFromMemory(env, *context, &call)) {
      if (absl::Status invalid = validate::Validate(*request); !invalid.ok()) {
        FinishCall(env, context, reactor, method, call, std::move(invalid),
                   start);
        return reactor;
      }
      trace::ScopedTrace traced(&call.trace);
      if (std::optional<absl::Status> answered =
              fast(call, *request, response)) {
        FinishCall(env, context, reactor, method, call, *std::move(answered),
                   start);
        return reactor;
      }
    }
  }
  env.work->Post([&env, context, request, response, reactor, start,
                  method = std::string(method), handle = std::move(handle)] {
    CallContext call;
    absl::Status status = BeginCall(env, *context, *request, &call);
    if (status.ok()) {
      ScopedCurrentCall current(&call);
      status = handle(call, *request, response);
    }
    FinishCall(env, context, reactor, method, call, std::move(status), start);
  });
  return reactor;
}

}  // namespace ttads::server

#endif  // TTADS_LIBS_SERVER_UNARY_H_
