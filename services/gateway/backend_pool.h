#ifndef TTADS_SERVICES_GATEWAY_BACKEND_POOL_H_
#define TTADS_SERVICES_GATEWAY_BACKEND_POOL_H_

// The gateway's gRPC client side: one channel per backend address, calls made
// with the generic stub on serialized messages, so no code is specific to a
// service or method. Every call is asynchronous (gRPC callback API): a call
// waiting on a slow backend holds no thread; callbacks run on gRPC's threads.
// gRPC's own retries are off on these channels (not even transparent ones):
// a failed call is reported as it is; the gateway's retry rule is in
// unary_retry.h.
//
// Streaming calls use the generic bidirectional reactor (on the wire a
// client- or server-streaming call is the same HTTP/2 stream):
// - ServerStream writes one request, half-closes, and hands each response
//   message to `on_message` as it arrives;
// - ClientStream pulls request messages from `next` one at a time (the next
//   is produced only when the previous write completed), half-closes, and
//   returns the single response. An error from `next` cancels the call and
//   is what `done` reports.

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "grpcpp/generic/generic_stub.h"

namespace ttads::gateway {

class BackendPool {
 public:
  // `addresses`: service full name -> "host:port". Services sharing an
  // address share its channels. Each address gets `channels_per_address`
  // channels, each its own HTTP/2 connection, and calls take them in turn:
  // a gRPC server reads one connection on one thread at a time, so a single
  // connection would serialize the gateway's whole load on one backend
  // core (and, behind a Kubernetes Service, on one pod).
  explicit BackendPool(const std::map<std::string, std::string>& addresses,
                       int channels_per_address = 4);
  ~BackendPool();

  // Whether `service` has a backend.
  bool Has(absl::string_view service) const;
  // service -> address.
  const std::map<std::string, std::string>& addresses() const {
    return service_address_;
  }

  using UnaryDone = std::function<void(grpc::Status, std::string response)>;
  void Unary(absl::string_view service, const std::string& grpc_path,
             std::unique_ptr<grpc::ClientContext> context, std::string request,
             UnaryDone done);

  using OnMessage = std::function<void(std::string message)>;
  using StreamDone = std::function<void(grpc::Status)>;
  void ServerStream(absl::string_view service, const std::string& grpc_path,
                    std::unique_ptr<grpc::ClientContext> context,
                    std::string request, OnMessage on_message, StreamDone done);

  // Produces the next serialized message, nullopt at the end, or an error,
  // by calling the given callback once, now or later from any thread (e.g.
  // once more of an upload body has arrived). Asked for one message at a
  // time: the next only after the backend took the previous one, so a slow
  // backend slows the source down.
  using MessageReady =
      std::function<void(absl::StatusOr<std::optional<std::string>>)>;
  using NextMessage = std::function<void(MessageReady)>;
  // `done` gets the gRPC status (or the source's error as INVALID_ARGUMENT
  // etc., already converted by the caller) and the response bytes.
  using ClientStreamDone = std::function<void(
      grpc::Status, absl::Status source_error, std::string response)>;
  void ClientStream(absl::string_view service, const std::string& grpc_path,
                    std::unique_ptr<grpc::ClientContext> context,
                    NextMessage next, ClientStreamDone done);

  // grpc.health.v1.Health/Check("") on every distinct address, in parallel,
  // each within `timeout`. `done` gets address -> "" when SERVING, else why
  // not ("NOT_SERVING", "UNAVAILABLE: ...").
  void CheckHealth(
      std::chrono::milliseconds timeout,
      std::function<void(std::map<std::string, std::string>)> done);

 private:
  struct Backend {
    std::vector<std::shared_ptr<grpc::Channel>> channels;
    std::vector<std::unique_ptr<grpc::GenericStub>> stubs;
    std::atomic<uint32_t> next{0};
    // The next stub in turn.
    grpc::GenericStub& stub() {
      return *stubs[next.fetch_add(1, std::memory_order_relaxed) %
                    stubs.size()];
    }
  };
  Backend* Find(absl::string_view service);

  std::map<std::string, std::string> service_address_;
  std::map<std::string, std::unique_ptr<Backend>> by_address_;
};

}  // namespace ttads::gateway

#endif  // TTADS_SERVICES_GATEWAY_BACKEND_POOL_H_
