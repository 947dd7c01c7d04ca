#ifndef TTADS_LIBS_HTTP_SERVER_H_
#define TTADS_LIBS_HTTP_SERVER_H_

// A small asynchronous HTTP/1.1 server (Boost.Beast/Asio underneath, kept out
// of this header).
//
// Guarantees:
// - No thread is tied to a connection or to a pending request: a handler may
//   keep its HttpResponder and complete it later from any thread (after a
//   timer, another RPC, ...). Thousands of slow requests need no extra threads.
// - Keep-alive (HTTP/1.1 default, HTTP/1.0 with "Connection: keep-alive");
//   requests on one connection are answered in order, one at a time.
// - Limits: a body over `max_body_bytes` gets 413, headers over
//   `max_header_bytes` get 431 (both then close the connection). A client that
//   does not deliver a whole request within `read_timeout` of its first byte
//   gets 408 and is disconnected; an idle keep-alive connection is closed
//   after `idle_timeout`. "Expect: 100-continue" is honoured.
// - Malformed requests (whatever Beast's parser refuses: control bytes or
//   NUL in a header, a header line without a colon, a bad, negative,
//   overflowing or conflicting Content-Length, Content-Length together with
//   Transfer-Encoding, a bad chunk size, a truncated request) and what RFC
//   9112 refuses beyond it (an HTTP version other than 1.0/1.1, a
//   Transfer-Encoding that is not exactly "chunked") get 400. Every answer
//   the server writes itself (400/408/413/431, and 500 for a dropped
//   responder) has the JSON error shape {"error", "code", "details": []};
//   after 400/408/413/431 the connection closes. Only a peer that vanished
//   (a reset, or EOF before a request's first byte) gets no answer.
// - Streamed bodies: a request that Options::stream_body picks reaches the
//   handler as soon as its head is in, with a BodyReader in place of the
//   body; `read_timeout` then applies to each piece. If the response is
//   complete before the body has been read to its end, the connection closes
//   after the response.
// - Threads: Options::threads workers, each running its own event loop;
//   connections are dealt out to them in turn and stay with one, so an I/O
//   event is handled by the thread that polled it. Timeouts are enforced
//   within a quarter of the shorter timeout (at most 1 s late).
// - Stop() closes the listener and every connection, cancels pending timers
//   and joins the worker threads. Responders completed after Stop() are
//   ignored.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "libs/http/query.h"

namespace ttads::http {

// Header list with case-insensitive lookup; keeps arrival order and
// duplicates.
class Headers {
 public:
  void Add(std::string name, std::string value);
  // First value of `name` (case-insensitive), or nullopt.
  std::optional<std::string> Get(std::string_view name) const;
  bool Has(std::string_view name) const { return Get(name).has_value(); }
  const std::vector<std::pair<std::string, std::string>>& entries() const {
    return entries_;
  }

 private:
  std::vector<std::pair<std::string, std::string>> entries_;
};

namespace internal {
class Exchange;
class Session;
}  // namespace internal

// The body of a streamed request (see HttpServer::Options::stream_body), read
// piece by piece at the handler's pace: the server reads from the socket only
// while a Read is outstanding, so a slow consumer slows the client down
// instead of filling memory. Thread-safe; one Read at a time.
class BodyReader {
 public:
  using ReadDone = std::function<void(absl::StatusOr<std::string>)>;

  BodyReader(std::weak_ptr<internal::Session> session, uint64_t exchange_id)
      : session_(std::move(session)), exchange_id_(exchange_id) {}

  // Calls `done` on a server thread with the next piece of the body (1 to
  // 64 KiB), with "" once the body is complete, or with an error:
  // RESOURCE_EXHAUSTED past Options::max_streamed_body_bytes,
  // DEADLINE_EXCEEDED when the client sends nothing for read_timeout,
  // UNAVAILABLE when the connection is gone, FAILED_PRECONDITION while
  // another Read is outstanding or once the response is complete (the rest of
  // the body is then discarded and the connection closed after the response).
  // `done` is dropped uncalled only when the server stops.
  void Read(ReadDone done);

 private:
  std::weak_ptr<internal::Session> session_;
  uint64_t exchange_id_;
};

struct HttpRequest {
  std::string method;  // "GET", "POST", ... as sent.
  std::string target;  // Raw request target: path + "?" + raw query.
  std::string path;    // Percent-decoded path, without the query.
  QueryParams query;   // Decoded query parameters.
  Headers headers;
  std::string body;  // Empty when body_reader is set.
  // Set instead of `body` when Options::stream_body chose to stream it.
  std::shared_ptr<BodyReader> body_reader;
  std::string remote_address;  // "ip:port" of the peer.

  // First query value of `name`, or nullopt.
  std::optional<std::string> QueryParam(std::string_view name) const;
};

struct HttpResponse {
  int status = 200;
  Headers headers;  // Content-Length / Connection are set by the server.
  std::string body;

  static HttpResponse Json(int status, std::string body);
  static HttpResponse Text(int status, std::string body);
  // {"error": message, "code": code, "details": []}: the error shape of
  // the gateway (services/gateway/error_mapping.h), for the server's own
  // answers. Non-ASCII bytes of `message` become '?'.
  static HttpResponse JsonError(int status, std::string_view code,
                                std::string_view message);
};

// The way to answer one request. Cheap to copy; all copies refer to the same
// exchange. Exactly one outcome wins: the first Send(), Close() or
// StartChunked(); later calls are ignored (and return false). If every copy
// is destroyed without an answer, the client gets a 500.
// Thread-safe: any method may be called from any thread. A Send() from
// another thread after the handler has returned writes the response on that
// thread when the connection is otherwise idle (no hand-off to an I/O
// thread). A responder must not outlive its HttpServer object (completing it
// after Stop() is fine).
class HttpResponder {
 public:
  explicit HttpResponder(std::shared_ptr<internal::Exchange> exchange);

  // Sends a complete response.
  bool Send(HttpResponse response);
  // Drops the connection without answering (the client sees a reset/EOF).
  bool Close();
  // Starts a "Transfer-Encoding: chunked" response. Follow with WriteChunk()
  // calls and one FinishChunked(). Chunks are written in call order.
  bool StartChunked(int status, Headers headers);
  // Queues one chunk (empty data is skipped: it would end the stream).
  bool WriteChunk(std::string data);
  // Writes the terminating chunk; the connection may then serve the next
  // request.
  bool FinishChunked();

 private:
  std::shared_ptr<internal::Exchange> exchange_;
};

using Handler = std::function<void(HttpRequest, HttpResponder)>;

class HttpServer {
 public:
  struct Options {
    std::string address = "127.0.0.1";
    int port = 0;  // 0 = ephemeral; see port() after Start().
    int threads = 2;
    // 4 MiB: what a ttads backend takes (gRPC's default receive limit).
    size_t max_body_bytes = 4 * 1024 * 1024;
    // Decides, once a request's head has arrived (everything but `body`),
    // whether its body goes to the handler as a BodyReader instead of being
    // read whole first. Runs on an I/O thread: must not block. Asked only
    // for requests that have a body.
    std::function<bool(const HttpRequest& head)> stream_body;
    // The limit for streamed bodies (max_body_bytes is for the others).
    uint64_t max_streamed_body_bytes = uint64_t{1} << 30;
    size_t max_header_bytes = 16 * 1024;
    std::chrono::seconds idle_timeout{30};
    std::chrono::seconds read_timeout{15};
  };

  HttpServer(Options options, Handler handler);
  ~HttpServer();  // Calls Stop().
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds, listens and starts the worker threads. Fails with UNAVAILABLE
  // when the address cannot be bound.
  absl::Status Start();
  // Idempotent.
  void Stop();
  // The bound port (valid after a successful Start()).
  int port() const;

  // Runs `fn` on a worker thread after `delay`, using an Asio timer (no
  // thread sleeps). Dropped if the server has not started or stops first.
  void RunAfter(std::chrono::milliseconds delay, std::function<void()> fn);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ttads::http

#endif  // TTADS_LIBS_HTTP_SERVER_H_
