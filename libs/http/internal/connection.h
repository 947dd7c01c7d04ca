#ifndef TTADS_LIBS_HTTP_INTERNAL_CONNECTION_H_
#define TTADS_LIBS_HTTP_INTERNAL_CONNECTION_H_

#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "libs/http/message.h"

namespace ttads::http::internal {

// What one request/response exchange (exchange.h, and the BodyReader of a
// streamed request) may ask of the connection it arrived on. Session
// (session.h) is the implementation; tests use fakes.
//
// The contract:
// - Every call names its exchange by the id the connection gave it when it
//   created the Exchange. A call whose id is not the connection's current
//   exchange (a stale responder), or that arrives after the connection
//   closed or the server stopped, is ignored (ReadBody: answered with
//   UNAVAILABLE).
// - Callable from any thread, without blocking on I/O. The connection
//   serialises the work on its own thread; calls made one after the other
//   (from one thread, or under one lock) take effect in that order.
// - The connection does not police the sequence of one exchange's calls
//   beyond that: Exchange guarantees there is exactly one outcome (Send, or
//   Close, or StartChunked followed by WriteChunk... and FinishChunked or
//   Close), and that nothing follows it.
class Connection {
 public:
  using ReadDone = std::function<void(absl::StatusOr<std::string>)>;

  virtual ~Connection() = default;

  // Writes `response` as the complete answer (head and, unless the request
  // was HEAD, body with Content-Length). May write on the calling thread
  // when the connection is idle; otherwise it is queued.
  virtual void Send(uint64_t id, HttpResponse response) = 0;
  // Drops the connection without (further) answer.
  virtual void Close(uint64_t id) = 0;
  // Writes the head of a "Transfer-Encoding: chunked" answer.
  virtual void StartChunked(uint64_t id, int status, Headers headers) = 0;
  // Writes one chunk of a started chunked answer (empty data: nothing).
  virtual void WriteChunk(uint64_t id, std::string data) = 0;
  // Writes the terminating chunk; the answer is then complete.
  virtual void FinishChunked(uint64_t id) = 0;
  // Reads the next piece of a streamed request body and calls `done` with it
  // on the connection's thread (see BodyReader::Read for the outcomes).
  virtual void ReadBody(uint64_t id, ReadDone done) = 0;
};

}  // namespace ttads::http::internal

#endif  // TTADS_LIBS_HTTP_INTERNAL_CONNECTION_H_
