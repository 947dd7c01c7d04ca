#ifndef TTADS_BENCH_NULL_PROXY_H2_UNARY_CHANNEL_H_
#define TTADS_BENCH_NULL_PROXY_H2_UNARY_CHANNEL_H_

// A gRPC client for unary calls only, speaking HTTP/2 (nghttp2) over one TCP
// connection driven by one Asio event loop, the caller's. It is the null
// proxy's --h2 mode, an experiment of the benchmark and not a product
// library: with grpc++ each backend call is handed to gRPC's own threads;
// here the thread that parsed the HTTP request writes the call (calls
// started in one turn of the loop share one write) and completes the answer.
// Measured side by side it costs the same per request as grpc++
// (bench/README.md, "The floor"), so the gateway keeps grpc++.
//
// Contract:
// - Every method, and `done`, runs on the loop's thread; create the channel
//   there or before the loop runs. Destroy it before the io_context.
// - Call() never blocks. The connection is made on first use and again after
//   it breaks or the server sends GOAWAY (existing calls finish on the old
//   connection). After a failed connect, calls fail at once with UNAVAILABLE
//   for `reconnect_backoff`.
// - Results are those of a grpc++ client: the status, message and
//   google.rpc details from grpc-status / grpc-message /
//   grpc-status-details-bin (trailers or trailers-only); a stream the server
//   refused or a connection lost -> UNAVAILABLE; no answer by the deadline ->
//   DEADLINE_EXCEEDED (the stream is reset; the server also gets
//   grpc-timeout); an HTTP answer that is not gRPC -> the code gRPC maps that
//   HTTP status to; a compressed or oversized (> max_response_bytes) response
//   -> INTERNAL / RESOURCE_EXHAUSTED.
// - Deadlines are checked every `tick` while calls are outstanding, so a call
//   may end up to one tick late.
// - `done` is called exactly once per Call(), except when the channel is
//   destroyed first (then it is dropped uncalled).

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "grpcpp/support/status.h"

namespace boost::asio {
class io_context;
}  // namespace boost::asio

namespace ttads::null_proxy {

class Connection;

class UnaryChannel {
 public:
  struct Options {
    std::string host = "127.0.0.1";
    uint16_t port = 0;
    std::chrono::milliseconds connect_timeout{2000};
    std::chrono::milliseconds reconnect_backoff{250};
    std::chrono::milliseconds tick{10};
    size_t max_response_bytes = 64 * 1024 * 1024;
  };
  using Metadata = std::vector<std::pair<std::string, std::string>>;
  using Done = std::function<void(grpc::Status, std::string response)>;

  UnaryChannel(boost::asio::io_context& loop, Options options);
  ~UnaryChannel();
  UnaryChannel(const UnaryChannel&) = delete;
  UnaryChannel& operator=(const UnaryChannel&) = delete;

  // Calls `path` ("/package.Service/Method") with the serialized request.
  // Metadata names must be lowercase; values of "-bin" keys are sent as
  // given (the caller base64-encodes them).
  void Call(std::string_view path, const Metadata& metadata,
            std::string request, std::chrono::system_clock::time_point deadline,
            Done done);

  // Connections made so far (for tests and metrics).
  int connections_made() const { return connections_made_; }

 private:
  boost::asio::io_context& loop_;
  Options options_;
  std::shared_ptr<Connection> current_;
  std::vector<std::weak_ptr<Connection>> retiring_;
  std::chrono::steady_clock::time_point failed_until_{};
  int connections_made_ = 0;
};

}  // namespace ttads::null_proxy

#endif  // TTADS_BENCH_NULL_PROXY_H2_UNARY_CHANNEL_H_
