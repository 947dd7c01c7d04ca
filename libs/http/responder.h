#ifndef TTADS_LIBS_HTTP_RESPONDER_H_
#define TTADS_LIBS_HTTP_RESPONDER_H_

// A handler's handles on its exchange with the client (see HttpServer in
// server.h): HttpResponder answers the request, BodyReader reads a streamed
// request body.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "libs/http/message.h"

namespace ttads::http {

namespace internal {
class Connection;
class Exchange;
}  // namespace internal

// The body of a streamed request (see HttpServer::Options::stream_body), read
// piece by piece at the handler's pace: the server reads from the socket only
// while a Read is outstanding, so a slow consumer slows the client down
// instead of filling memory. Thread-safe; one Read at a time.
class BodyReader {
 public:
  using ReadDone = std::function<void(absl::StatusOr<std::string>)>;

  // Reads the body of exchange `exchange_id` of `connection` (made by the
  // server; does not keep the connection alive).
  BodyReader(std::weak_ptr<internal::Connection> connection,
             uint64_t exchange_id)
      : connection_(std::move(connection)), exchange_id_(exchange_id) {}

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
  std::weak_ptr<internal::Connection> connection_;
  uint64_t exchange_id_;
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

}  // namespace ttads::http

#endif  // TTADS_LIBS_HTTP_RESPONDER_H_
