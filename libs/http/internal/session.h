#ifndef TTADS_LIBS_HTTP_INTERNAL_SESSION_H_
#define TTADS_LIBS_HTTP_INTERNAL_SESSION_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "boost/asio/io_context.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/beast/core/error.hpp"
#include "boost/beast/core/flat_buffer.hpp"
#include "boost/beast/http/buffer_body.hpp"
#include "boost/beast/http/parser.hpp"
#include "boost/beast/http/string_body.hpp"
#include "libs/http/internal/connection.h"
#include "libs/http/internal/deadline.h"
#include "libs/http/internal/server_core.h"
#include "libs/http/message.h"

namespace ttads::http::internal {

// Every connection belongs to one io_context, run by one thread: its handlers
// never run concurrently, so no strand is needed, and the concrete executor
// type spares Asio's type-erased executor on every operation.
using Executor = boost::asio::io_context::executor_type;
using Socket = boost::asio::basic_stream_socket<boost::asio::ip::tcp, Executor>;

// One TCP connection of HttpServer: reads its requests one at a time, hands
// each to the handler as an Exchange (exchange.h), writes the answers, and
// closes it. It implements the server guarantees of server.h that concern
// one connection:
// - Requests are parsed from what is buffered first (most arrive whole in
//   one read) and by async reads otherwise; pipelined requests are answered
//   in order, the next one read only after the previous answer is written.
// - Keep-alive as the request asks (Beast's keep_alive()); a response
//   written while a streamed body is unread, or after a read error of it,
//   says "Connection: close".
// - Limits: Options::max_body_bytes (413), max_header_bytes (431),
//   max_streamed_body_bytes (RESOURCE_EXHAUSTED to the BodyReader); what
//   the parser or RFC 9112 refuses gets 400 (request_head.h). After any of
//   these answers the connection closes.
// - Deadlines (deadline.h), acted on by OnDeadline when the server's sweeper
//   finds them due: idle_timeout for the first byte of a request and for a
//   stalled write, read_timeout from a request's first byte to its end (408)
//   and for each streamed body piece (DEADLINE_EXCEEDED), 2 s for the
//   lingering close.
// - "Expect: 100-continue" gets its interim answer before the body is read
//   (for a streamed body: before the first Read).
// - Closing after an answer is a lingering close: half-close, then discard
//   what the client still sends until EOF or 2 s, so the kernel does not
//   answer unread data with a reset that could destroy the answer.
//
// Threads: all state is touched on the session's thread (the one running its
// io_context), except while the session is parked: the handler has returned
// without answering and nothing is pending on the socket. The first thread
// that then calls Send takes the session (under direct_mu_), writes the
// answer itself and arms the read of the next request: no hand-off to an
// I/O thread, which costs a wake-up per request. Everything else from other
// threads is posted to the session's thread.
class Session : public Connection,
                public std::enable_shared_from_this<Session> {
 public:
  // `socket` is connected and belongs to one of the server's io_contexts.
  // The caller registers the session in core->sessions; the destructor
  // removes it.
  Session(Socket socket, std::shared_ptr<ServerCore> core)
      : socket_(std::move(socket)), core_(std::move(core)) {}
  ~Session() override;

  // Starts reading the first request (on the session's thread).
  void Start();

  // For the server's sweeper, from any thread: whether the deadline is due
  // at `now` (Deadline::Now()).
  bool DeadlineDue(int64_t now) const { return deadline_.Due(now); }
  // From any thread: acts on a due deadline on the session's thread. A read
  // waiting for a request's bytes is cancelled and reports a timeout (408,
  // or DEADLINE_EXCEEDED to a body reader); otherwise (idle, a stalled
  // write, the lingering close) the connection closes. Nothing happens if
  // the deadline moved on meanwhile.
  void CheckDeadline();
  // From any thread (HttpServer::Stop): closes the connection on its own
  // thread, then calls `closed` there.
  void Shutdown(std::function<void()> closed);

  // Connection (connection.h), from any thread.
  void Send(uint64_t id, HttpResponse response) override;
  void Close(uint64_t id) override;
  void StartChunked(uint64_t id, int status, Headers headers) override;
  void WriteChunk(uint64_t id, std::string data) override;
  void FinishChunked(uint64_t id) override;
  void ReadBody(uint64_t id, ReadDone done) override;

 private:
  // The current exchange: none yet (reading a request), waiting for its
  // answer, streaming a chunked answer, or answered.
  enum class State { kIdle, kPending, kChunked, kDone };
  static constexpr size_t kBodyPieceBytes = 64 * 1024;

  template <typename F>
  void Post(F&& f);

  // --- Reading requests ---
  void ReadNext();
  void ParseBufferedHeader();
  void ReadHeader();
  void AfterHeader();
  void ReadWholeBody();
  void OnReadError(boost::beast::error_code ec);
  void Reject(int status, std::string_view code, std::string_view message);
  // --- Handing requests to the handler ---
  void Dispatch();
  void DispatchStreamed(bool wants_continue);
  void CallHandler(HttpRequest req);
  // --- Streamed bodies ---
  bool BodyUnread() const;
  void OnBodyRead(uint64_t id, ReadDone done);
  void ReadBodyPiece(ReadDone done);
  void AfterBodyPiece(boost::beast::error_code ec, ReadDone done);
  // --- Answers (on the session's thread) ---
  bool TrySendDirect(uint64_t id, const HttpResponse& response);
  void OnSend(uint64_t id, HttpResponse response);
  void OnClose(uint64_t id);
  void OnStartChunked(uint64_t id, int status, Headers headers);
  void OnChunk(uint64_t id, std::string data);
  void OnFinishChunked(uint64_t id);
  std::string Format(const HttpResponse& response);
  // --- Writing, closing ---
  void Enqueue(std::string bytes);
  void DoWrite();
  void AfterResponse();
  void LingeringClose();
  void Drain();
  void CloseNow();
  // --- Deadlines ---
  void OnDeadline();
  void SetDeadline(Deadline::Kind kind, Deadline::Clock::duration after);
  boost::beast::error_code TimeoutAware(boost::beast::error_code ec);
  // Ends parking: everything posted to the session's thread from outside
  // calls it first, so the session never touches the socket while another
  // thread writes directly.
  void Unpark();

  Socket socket_;
  const std::shared_ptr<ServerCore> core_;
  Deadline deadline_;
  // OnDeadline cancelled a read: its operation_aborted is a timeout.
  bool timed_out_ = false;
  boost::beast::flat_buffer buffer_;
  std::optional<
      boost::beast::http::request_parser<boost::beast::http::string_body>>
      parser_;
  // The head, when Options::stream_body was asked about it.
  std::optional<HttpRequest> head_request_;
  // Streamed body of the current exchange (Options::stream_body).
  std::optional<
      boost::beast::http::request_parser<boost::beast::http::buffer_body>>
      body_parser_;
  std::string body_piece_;
  bool body_read_pending_ = false;
  bool need_continue_ = false;
  // Content-Length over max_streamed_body_bytes: every read fails.
  bool body_too_large_ = false;
  // The response was written while a body read was pending: close once the
  // read returns.
  bool close_after_body_read_ = false;
  // Parked (see the class comment): the first thread to take parked_ (under
  // direct_mu_) owns the session until it has armed the next read.
  std::mutex direct_mu_;
  bool parked_ = false;
  std::deque<std::string> out_;
  std::string drain_buf_;
  std::string remote_;
  bool writing_ = false;
  bool closed_ = false;
  bool keep_alive_ = true;
  bool head_ = false;
  State state_ = State::kIdle;
  uint64_t exchange_id_ = 0;
};

}  // namespace ttads::http::internal

#endif  // TTADS_LIBS_HTTP_INTERNAL_SESSION_H_
