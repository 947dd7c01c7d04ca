#ifndef TTADS_LIBS_SERVER_CALL_CONTEXT_H_
#define TTADS_LIBS_SERVER_CALL_CONTEXT_H_

#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/client_context.h"
#include "grpcpp/server_context.h"

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
};

// The call the current thread is serving (set by the unary and stream
// helpers around domain code), or null. Lets libraries attribute work to
// the caller's team without threading it through every signature (e.g. the
// TikTok client's budget, service_kit).
const CallContext* CurrentCall();

// Makes `call` the current thread's CurrentCall() while it lives.
class ScopedCurrentCall {
 public:
  explicit ScopedCurrentCall(const CallContext* call);
  ~ScopedCurrentCall();
  ScopedCurrentCall(const ScopedCurrentCall&) = delete;
  ScopedCurrentCall& operator=(const ScopedCurrentCall&) = delete;

 private:
  const CallContext* outer_;
};

// Extracts `x-request-id` from client metadata, or makes a new one.
std::string RequestIdFrom(const grpc::ServerContextBase& context);

// Extracts the key from `authorization: Bearer <key>`; empty when absent.
std::string BearerKeyFrom(const grpc::ServerContextBase& context);

// Prepares an outbound call to another ttads service on behalf of `call`:
// forwards the caller's key and request id and sets the remaining deadline
// (capped by `max_timeout`).
void PrepareOutbound(const CallContext& call, grpc::ClientContext* client,
                     absl::Duration max_timeout = absl::Seconds(30));

}  // namespace ttads::server

#endif  // TTADS_LIBS_SERVER_CALL_CONTEXT_H_
