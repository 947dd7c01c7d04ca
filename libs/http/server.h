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
#include <string>

#include "absl/status/status.h"
#include "libs/http/message.h"    // IWYU pragma: export
#include "libs/http/responder.h"  // IWYU pragma: export

namespace ttads::http {

// Called on an I/O thread for every request (a handler that blocks stalls
// that thread's connections); it may answer later, from any thread, through
// the responder.
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
