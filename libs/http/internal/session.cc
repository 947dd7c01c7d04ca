#include "libs/http/internal/session.h"

#include <sys/socket.h>

#include <cerrno>
#include <exception>
#include <limits>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "boost/asio/dispatch.hpp"
#include "boost/asio/post.hpp"
#include "boost/asio/write.hpp"
#include "boost/beast/core/error.hpp"
#include "boost/beast/http/error.hpp"
#include "boost/beast/http/read.hpp"
#include "libs/http/internal/exchange.h"
#include "libs/http/internal/request_head.h"
#include "libs/http/internal/response_format.h"
#include "libs/http/responder.h"

namespace ttads::http::internal {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

Session::~Session() {
  std::lock_guard<std::mutex> lock(core_->mu);
  core_->sessions.erase(this);
}

template <typename F>
void Session::Post(F&& f) {
  net::post(socket_.get_executor(), std::forward<F>(f));
}

void Session::Start() {
  beast::error_code ec;
  auto ep = socket_.remote_endpoint(ec);
  if (!ec) {
    remote_ = absl::StrCat(ep.address().to_string(), ":", ep.port());
  }
  net::dispatch(socket_.get_executor(),
                [self = shared_from_this()] { self->ReadNext(); });
}

void Session::CheckDeadline() {
  Post([self = shared_from_this()] { self->OnDeadline(); });
}

void Session::Shutdown(std::function<void()> closed) {
  Post([self = shared_from_this(), closed = std::move(closed)] {
    self->Unpark();
    self->CloseNow();
    closed();
  });
}

// ---------------------------------------------------------------------------
// Connection: the exchange's calls, from any thread.

void Session::Send(uint64_t id, HttpResponse response) {
  if (core_->stopped.load()) return;
  if (TrySendDirect(id, response)) return;
  if (core_->stopped.load()) return;
  Post([self = shared_from_this(), id, r = std::move(response)]() mutable {
    self->OnSend(id, std::move(r));
  });
}

void Session::Close(uint64_t id) {
  if (core_->stopped.load()) return;
  Post([self = shared_from_this(), id] { self->OnClose(id); });
}

void Session::StartChunked(uint64_t id, int status, Headers headers) {
  if (core_->stopped.load()) return;
  Post([self = shared_from_this(), id, status,
        h = std::move(headers)]() mutable {
    self->OnStartChunked(id, status, std::move(h));
  });
}

void Session::WriteChunk(uint64_t id, std::string data) {
  if (core_->stopped.load()) return;
  Post([self = shared_from_this(), id, d = std::move(data)]() mutable {
    self->OnChunk(id, std::move(d));
  });
}

void Session::FinishChunked(uint64_t id) {
  if (core_->stopped.load()) return;
  Post([self = shared_from_this(), id] { self->OnFinishChunked(id); });
}

void Session::ReadBody(uint64_t id, ReadDone done) {
  Post([self = shared_from_this(), id, done = std::move(done)]() mutable {
    self->OnBodyRead(id, std::move(done));
  });
}

// ---------------------------------------------------------------------------
// Reading requests.

void Session::ReadNext() {
  if (closed_) return;
  state_ = State::kIdle;
  body_parser_.reset();
  head_request_.reset();
  need_continue_ = false;
  body_too_large_ = false;
  close_after_body_read_ = false;
  parser_.emplace();
  // With streamed bodies possible, the limit is known only once the head
  // says which kind this request is (AfterHeader).
  parser_->body_limit(core_->options.stream_body
                          ? std::numeric_limits<std::uint64_t>::max()
                          : core_->options.max_body_bytes);
  parser_->header_limit(
      static_cast<std::uint32_t>(core_->options.max_header_bytes));
  if (buffer_.size() > 0) {
    SetDeadline(Deadline::Kind::kRead, core_->options.read_timeout);
    return ParseBufferedHeader();
  }
  // Wait (idle timeout) for the first byte of the next request; from
  // there the whole request is due within read_timeout.
  SetDeadline(Deadline::Kind::kIdle, core_->options.idle_timeout);
  socket_.async_read_some(buffer_.prepare(4096), [self = shared_from_this()](
                                                     beast::error_code ec,
                                                     size_t n) {
    if (ec) return self->CloseNow();
    self->SetDeadline(Deadline::Kind::kRead, self->core_->options.read_timeout);
    self->buffer_.commit(n);
    self->ParseBufferedHeader();
  });
}

// Most requests arrive whole in one read. Parsing what is buffered here,
// rather than through Beast's async read (which posts its completion even
// when it needs no I/O: a hand-off to another I/O thread per request),
// keeps the request on this thread; an incomplete head falls back to the
// async read.
void Session::ParseBufferedHeader() {
  beast::error_code ec;
  buffer_.consume(parser_->put(buffer_.data(), ec));
  if (ec == bhttp::error::need_more || (!ec && !parser_->is_header_done())) {
    return ReadHeader();
  }
  if (ec) return OnReadError(ec);
  AfterHeader();
}

// The read_timeout deadline set when the request's first bytes arrived
// still runs.
void Session::ReadHeader() {
  bhttp::async_read_header(
      socket_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, size_t) {
        ec = self->TimeoutAware(ec);
        if (ec) return self->OnReadError(ec);
        self->AfterHeader();
      });
}

void Session::AfterHeader() {
  if (std::string refused = RefusedHead(parser_->get(), parser_->chunked());
      !refused.empty()) {
    return Reject(400, "INVALID_ARGUMENT", refused);
  }
  if (parser_->is_done()) return Dispatch();
  const bool wants_continue = WantsContinue(parser_->get());
  if (core_->options.stream_body) {
    head_request_.emplace(RequestHead(parser_->get(), remote_));
    if (core_->options.stream_body(*head_request_)) {
      return DispatchStreamed(wants_continue);
    }
    if (parser_->content_length().value_or(0) > core_->options.max_body_bytes) {
      return Reject(413, "RESOURCE_EXHAUSTED",
                    absl::StrCat("the request body is over ",
                                 core_->options.max_body_bytes, " bytes"));
    }
    parser_->body_limit(core_->options.max_body_bytes);  // Chunked bodies.
  }
  if (wants_continue) {
    net::async_write(socket_, net::buffer(kContinue.data(), kContinue.size()),
                     [self = shared_from_this()](beast::error_code ec, size_t) {
                       if (ec) return self->CloseNow();
                       self->ReadWholeBody();
                     });
    return;
  }
  ReadWholeBody();
}

void Session::ReadWholeBody() {
  // Body bytes that came with the head are parsed here (see
  // ParseBufferedHeader); the async read waits for the rest.
  parser_->eager(true);
  while (buffer_.size() > 0 && !parser_->is_done()) {
    beast::error_code ec;
    const size_t used = parser_->put(buffer_.data(), ec);
    buffer_.consume(used);
    if (ec == bhttp::error::need_more) break;
    if (ec) return OnReadError(ec);
    if (used == 0) break;
  }
  if (parser_->is_done()) return Dispatch();
  bhttp::async_read(socket_, buffer_, *parser_,
                    [self = shared_from_this()](beast::error_code ec, size_t) {
                      ec = self->TimeoutAware(ec);
                      if (ec) return self->OnReadError(ec);
                      self->Dispatch();
                    });
}

// A request that could not be read: answered (request_head.h) and closed,
// or closed without an answer when the peer is gone.
void Session::OnReadError(beast::error_code ec) {
  if (std::optional<Rejection> r = RejectionFor(ec, core_->options)) {
    return Reject(r->status, r->code, r->message);
  }
  CloseNow();
}

// Answers with the JSON error shape, without calling the handler, and
// closes afterwards.
void Session::Reject(int status, std::string_view code,
                     std::string_view message) {
  ++exchange_id_;
  keep_alive_ = false;
  head_ = false;
  state_ = State::kPending;
  OnSend(exchange_id_, HttpResponse::JsonError(status, code, message));
}

// ---------------------------------------------------------------------------
// Handing requests to the handler.

void Session::Dispatch() {
  deadline_.Clear();
  auto msg = parser_->release();
  parser_.reset();
  keep_alive_ = msg.keep_alive();
  head_ = msg.method() == bhttp::verb::head;
  HttpRequest req = head_request_.has_value() ? std::move(*head_request_)
                                              : RequestHead(msg, remote_);
  head_request_.reset();
  req.body = std::move(msg.body());
  CallHandler(std::move(req));
}

void Session::DispatchStreamed(bool wants_continue) {
  deadline_.Clear();
  keep_alive_ = parser_->get().keep_alive();
  head_ = false;
  // Same parser state (the head is parsed), now delivering the body into
  // caller-provided buffers.
  body_parser_.emplace(std::move(*parser_));
  parser_.reset();
  body_parser_->body_limit(core_->options.max_streamed_body_bytes);
  body_too_large_ = body_parser_->content_length().value_or(0) >
                    core_->options.max_streamed_body_bytes;
  need_continue_ = wants_continue;
  HttpRequest req = std::move(*head_request_);
  head_request_.reset();
  // The id CallHandler is about to give this exchange.
  req.body_reader = std::make_shared<BodyReader>(
      std::weak_ptr<Connection>(shared_from_this()), exchange_id_ + 1);
  CallHandler(std::move(req));
}

void Session::CallHandler(HttpRequest req) {
  ++exchange_id_;
  state_ = State::kPending;
  auto exchange = std::make_shared<Exchange>(shared_from_this(), exchange_id_);
  try {
    core_->handler(std::move(req), HttpResponder(std::move(exchange)));
  } catch (const std::exception& e) {
    // The responder copy owned by the handler is gone; if it had not
    // answered, its destructor already queued a 500.
  }
  if (state_ == State::kPending && !closed_ && !body_parser_.has_value() &&
      !writing_ && out_.empty()) {
    std::lock_guard<std::mutex> lock(direct_mu_);
    parked_ = true;
  }
}

// ---------------------------------------------------------------------------
// Streamed bodies.

// True while a streamed body has bytes the handler has not read.
bool Session::BodyUnread() const {
  return body_parser_.has_value() && !body_parser_->is_done();
}

void Session::OnBodyRead(uint64_t id, ReadDone done) {
  if (closed_ || id != exchange_id_ || !body_parser_.has_value()) {
    return done(absl::UnavailableError("the connection is closed"));
  }
  if (state_ == State::kDone) {
    return done(absl::FailedPreconditionError(
        "the response is complete; the rest of the body is discarded"));
  }
  if (body_read_pending_) {
    return done(
        absl::FailedPreconditionError("another body read is outstanding"));
  }
  if (body_too_large_) {
    keep_alive_ = false;
    return done(absl::ResourceExhaustedError(
        absl::StrCat("the request body is over ",
                     core_->options.max_streamed_body_bytes, " bytes")));
  }
  if (body_parser_->is_done()) return done(std::string());
  if (need_continue_) {
    need_continue_ = false;
    Enqueue(std::string(kContinue));
  }
  body_read_pending_ = true;
  ReadBodyPiece(std::move(done));
}

void Session::ReadBodyPiece(ReadDone done) {
  body_piece_.resize(kBodyPieceBytes);
  auto& body = body_parser_->get().body();
  body.data = body_piece_.data();
  body.size = body_piece_.size();
  body.more = true;
  SetDeadline(Deadline::Kind::kRead, core_->options.read_timeout);
  bhttp::async_read_some(socket_, buffer_, *body_parser_,
                         [self = shared_from_this(), done = std::move(done)](
                             beast::error_code ec, size_t) mutable {
                           self->AfterBodyPiece(self->TimeoutAware(ec),
                                                std::move(done));
                         });
}

void Session::AfterBodyPiece(beast::error_code ec, ReadDone done) {
  if (ec == bhttp::error::need_buffer) ec = {};
  const size_t got = body_piece_.size() - body_parser_->get().body().size;
  if (!ec && !closed_ && got == 0 && !body_parser_->is_done()) {
    return ReadBodyPiece(std::move(done));  // Chunk framing only.
  }
  body_read_pending_ = false;
  if (!writing_) deadline_.Clear();
  if (close_after_body_read_) {
    // The response went out while this read was pending.
    LingeringClose();
    return done(absl::FailedPreconditionError(
        "the response is complete; the rest of the body is discarded"));
  }
  if (closed_) return done(absl::UnavailableError("the connection is closed"));
  if (ec == bhttp::error::body_limit) {
    keep_alive_ = false;
    return done(absl::ResourceExhaustedError(
        absl::StrCat("the request body is over ",
                     core_->options.max_streamed_body_bytes, " bytes")));
  }
  if (ec == beast::error::timeout) {
    keep_alive_ = false;
    return done(absl::DeadlineExceededError(
        absl::StrCat("the client sent no body bytes for ",
                     core_->options.read_timeout.count(), " s")));
  }
  if (ec) {
    keep_alive_ = false;
    return done(absl::UnavailableError(
        absl::StrCat("reading the request body: ", ec.message())));
  }
  done(body_piece_.substr(0, got));
}

// ---------------------------------------------------------------------------
// Answers. `id` guards against stale responders.

// Send from any thread, while the session may be parked: see the class
// comment. Returns false when it did nothing (the caller then posts OnSend).
bool Session::TrySendDirect(uint64_t id, const HttpResponse& response) {
  std::lock_guard<std::mutex> lock(direct_mu_);
  if (!parked_) return false;
  parked_ = false;
  if (closed_ || core_->stopped.load() || id != exchange_id_ ||
      state_ != State::kPending) {
    return false;
  }
  state_ = State::kDone;
  std::string out = Format(response);
  size_t sent = 0;
  const int fd = socket_.native_handle();
  while (sent < out.size()) {
    ssize_t n = ::send(fd, out.data() + sent, out.size() - sent,
                       MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      sent += static_cast<size_t>(n);
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else {
      break;  // Buffer full, or an error the async write will report.
    }
  }
  if (sent < out.size()) {
    out.erase(0, sent);
    Post([self = shared_from_this(), out = std::move(out)]() mutable {
      self->Enqueue(std::move(out));
    });
  } else if (keep_alive_ && buffer_.size() == 0) {
    ReadNext();  // Only arms the read; the next request runs on the strand.
  } else {
    // Pipelined bytes (their handler must run on an I/O thread) or a close.
    Post([self = shared_from_this()] { self->AfterResponse(); });
  }
  return true;
}

void Session::OnSend(uint64_t id, HttpResponse response) {
  Unpark();
  if (closed_ || id != exchange_id_ || state_ != State::kPending) return;
  state_ = State::kDone;
  Enqueue(Format(response));
}

void Session::OnClose(uint64_t id) {
  Unpark();
  if (closed_ || id != exchange_id_) return;
  if (state_ != State::kPending && state_ != State::kChunked) return;
  state_ = State::kDone;
  CloseNow();
}

void Session::OnStartChunked(uint64_t id, int status, Headers headers) {
  Unpark();
  if (closed_ || id != exchange_id_ || state_ != State::kPending) return;
  state_ = State::kChunked;
  if (BodyUnread()) keep_alive_ = false;
  Enqueue(FormatChunkedHead(status, headers, keep_alive_));
}

void Session::OnChunk(uint64_t id, std::string data) {
  if (closed_ || id != exchange_id_ || state_ != State::kChunked) return;
  if (data.empty() || head_) return;
  Enqueue(FormatChunk(data));
}

void Session::OnFinishChunked(uint64_t id) {
  if (closed_ || id != exchange_id_ || state_ != State::kChunked) return;
  state_ = State::kDone;
  Enqueue(std::string(kLastChunk));
}

// Head and body of a complete response (state_ is kDone).
std::string Session::Format(const HttpResponse& response) {
  if (BodyUnread()) keep_alive_ = false;
  return FormatResponse(response, keep_alive_, head_);
}

// ---------------------------------------------------------------------------
// Writing, closing.

void Session::Enqueue(std::string bytes) {
  out_.push_back(std::move(bytes));
  if (!writing_) DoWrite();
}

void Session::DoWrite() {
  writing_ = true;
  // A client that stops reading the response is dropped after
  // idle_timeout (a pending body read keeps its own deadline).
  if (!body_read_pending_) {
    SetDeadline(Deadline::Kind::kIdle, core_->options.idle_timeout);
  }
  net::async_write(socket_, net::buffer(out_.front()),
                   [self = shared_from_this()](beast::error_code ec, size_t) {
                     self->writing_ = false;
                     if (ec) return self->CloseNow();
                     self->out_.pop_front();
                     if (!self->out_.empty()) return self->DoWrite();
                     if (!self->body_read_pending_) self->deadline_.Clear();
                     if (self->state_ == State::kDone) self->AfterResponse();
                   });
}

// The whole response is written: next request, or close.
void Session::AfterResponse() {
  if (body_read_pending_) {
    close_after_body_read_ = true;
  } else if (keep_alive_) {
    ReadNext();
  } else {
    LingeringClose();
  }
}

// Half-closes, then discards what the client still sends (briefly) so the
// kernel does not answer unread data with a reset that could destroy the
// response we just wrote.
void Session::LingeringClose() {
  if (closed_) return;
  beast::error_code ec;
  socket_.shutdown(tcp::socket::shutdown_send, ec);
  SetDeadline(Deadline::Kind::kLinger, std::chrono::seconds(2));
  Drain();
}

void Session::Drain() {
  drain_buf_.resize(16 * 1024);
  socket_.async_read_some(
      net::buffer(drain_buf_),
      [self = shared_from_this()](beast::error_code ec, size_t) {
        if (ec) return self->CloseNow();
        self->Drain();
      });
}

void Session::CloseNow() {
  if (closed_) return;
  closed_ = true;
  deadline_.Clear();
  beast::error_code ec;
  socket_.shutdown(tcp::socket::shutdown_both, ec);
  socket_.close(ec);
}

// ---------------------------------------------------------------------------
// Deadlines.

void Session::OnDeadline() {
  Unpark();
  if (closed_ || !deadline_.Due(Deadline::Now())) return;
  const Deadline::Kind kind = deadline_.kind();
  deadline_.Clear();
  if (kind == Deadline::Kind::kRead) {
    timed_out_ = true;
    beast::error_code ec;
    socket_.cancel(ec);
    return;
  }
  CloseNow();
}

void Session::SetDeadline(Deadline::Kind kind,
                          Deadline::Clock::duration after) {
  deadline_.Set(kind, after);
  timed_out_ = false;
}

// A read cancelled by OnDeadline reports operation_aborted: that is the
// timeout.
beast::error_code Session::TimeoutAware(beast::error_code ec) {
  if (timed_out_ && ec == net::error::operation_aborted) {
    timed_out_ = false;
    return beast::error::timeout;
  }
  return ec;
}

void Session::Unpark() {
  std::lock_guard<std::mutex> lock(direct_mu_);
  parked_ = false;
}

}  // namespace ttads::http::internal
