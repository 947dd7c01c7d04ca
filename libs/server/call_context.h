#ifndef TTADS_LIBS_SERVER_CALL_CONTEXT_H_
#define TTADS_LIBS_SERVER_CALL_CONTEXT_H_

#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/client_context.h"
#include "grpcpp/server_context.h"
#include "libs/trace/trace_context.h"

namespace ttads::server {

// Metadata keys the suite uses.
inline constexpr char kAuthorizationHeader[] = "authorization";
inline constexpr char kRequestIdHeader[] = "x-request-id";

// Who is calling: always derived from the API key, never from the request.
struct Caller {
  std::string team_id;
  std::string member_id;
  // "owner", "manager" or "mediabuyer".
  std::string role;
  std::string key_id;
  // The presented key, kept only to forward it on internal calls.
  std::string api_key;
};

// Resolves an API key to its caller. UNAUTHENTICATED for a missing, unknown
// or revoked key.
class Authenticator {
 public:
  virtual ~Authenticator() = default;
  virtual absl::StatusOr<Caller> Authenticate(std::string_view api_key) = 0;
  // The answer when it is known without I/O (e.g. a cache that revocations
  // invalidate), else nullopt. Must not block. Default: never known.
  virtual std::optional<Caller> TryAuthenticateFromMemory(
      std::string_view /*api_key*/) {
    return std::nullopt;
  }
};

// What a handler knows about the call it serves.
struct CallContext {
  std::string request_id;
  Caller caller;
  // The caller's deadline (absl::InfiniteFuture() when none was set).
  absl::Time deadline = absl::InfiniteFuture();
  // This call's span of the W3C trace: the caller's `traceparent` continued
  // (or a new trace), with a span id of its own (libs/trace).
  trace::TraceContext trace;
  // The caller's address as gRPC reports it ("ipv4:127.0.0.1:5555").
  std::string peer;
};

// The call the current thread is serving (set by the unary and stream
// helpers around domain code), or null. Lets libraries attribute work to
// the caller's team without threading it through every signature (e.g. the
// TikTok client's budget, service_kit).
const CallContext* CurrentCall();

// Makes `call` the current thread's CurrentCall(), and its span the
// current trace (trace::Current(): log lines, TikTok calls), while it lives.
class ScopedCurrentCall {
 public:
  explicit ScopedCurrentCall(const CallContext* call);
  ~ScopedCurrentCall();
  ScopedCurrentCall(const ScopedCurrentCall&) = delete;
  ScopedCurrentCall& operator=(const ScopedCurrentCall&) = delete;

 private:
  const CallContext* outer_;
  trace::ScopedTrace trace_;
};

// Extracts `x-request-id` from client metadata, or makes a new one.
std::string RequestIdFrom(const grpc::ServerContextBase& context);

// This call's span: `traceparent`/`tracestate` from client metadata
// continued, or a new trace when they are missing or malformed.
trace::TraceContext TraceFrom(const grpc::ServerContextBase& context);

// The initial metadata every answer of the pipeline carries: `x-request-id`
// and `traceresponse` (the trace id and this call's span id).
void AddResponseMetadata(const CallContext& call,
                         grpc::ServerContextBase* context);

// Extracts the key from `authorization: Bearer <key>`; empty when absent.
std::string BearerKeyFrom(const grpc::ServerContextBase& context);

// Prepares an outbound call to another ttads service on behalf of `call`:
// forwards the caller's key and request id, the trace (`traceparent` naming
// this call's span as the parent, and `tracestate`), and sets the remaining
// deadline (capped by `max_timeout`).
void PrepareOutbound(const CallContext& call, grpc::ClientContext* client,
                     absl::Duration max_timeout = absl::Seconds(30));

}  // namespace ttads::server

#endif  // TTADS_LIBS_SERVER_CALL_CONTEXT_H_
