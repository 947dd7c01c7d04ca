#include "libs/http/server.h"

#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <deque>
#include <limits>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "boost/asio.hpp"
#include "boost/beast/core.hpp"
#include "boost/beast/http.hpp"

namespace ttads::http {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
// Every connection belongs to one io_context, run by one thread: its handlers
// never run concurrently, so no strand is needed, and the concrete executor
// type spares Asio's type-erased executor on every operation.
using Executor = net::io_context::executor_type;
using Socket = net::basic_stream_socket<tcp, Executor>;
using Clock = std::chrono::steady_clock;

namespace {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (absl::ascii_tolower(static_cast<unsigned char>(a[i])) !=
        absl::ascii_tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

}  // namespace

void Headers::Add(std::string name, std::string value) {
  entries_.emplace_back(std::move(name), std::move(value));
}

std::optional<std::string> Headers::Get(std::string_view name) const {
  for (const auto& [k, v] : entries_) {
    if (EqualsIgnoreCase(k, name)) return v;
  }
  return std::nullopt;
}

std::optional<std::string> HttpRequest::QueryParam(
    std::string_view name) const {
  auto it = query.find(std::string(name));
  if (it == query.end()) return std::nullopt;
  return it->second;
}

HttpResponse HttpResponse::Json(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.headers.Add("Content-Type", "application/json");
  r.body = std::move(body);
  return r;
}

HttpResponse HttpResponse::JsonError(int status, std::string_view code,
                                     std::string_view message) {
  std::string body = "{\"error\":\"";
  for (char c : message) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      body.push_back('\\');
      body.push_back(c);
    } else if (u < 0x20 || u >= 0x7f) {
      body.push_back('?');  // Messages are ASCII; anything else is dropped.
    } else {
      body.push_back(c);
    }
  }
  body += "\",\"code\":\"";
  body.append(code.data(), code.size());
  body += "\",\"details\":[]}";
  return Json(status, std::move(body));
}

HttpResponse HttpResponse::Text(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.headers.Add("Content-Type", "text/plain; charset=utf-8");
  r.body = std::move(body);
  return r;
}

namespace internal {

using ::ttads::http::EqualsIgnoreCase;

class Session;

// State shared by the server, its sessions and outstanding responders.
struct ServerCore {
  HttpServer::Options options;
  Handler handler;
  std::atomic<bool> stopped{false};
  std::mutex mu;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions;
};

std::string StatusLine(int status) {
  auto reason = bhttp::obsolete_reason(static_cast<bhttp::status>(status));
  return absl::StrCat(
      "HTTP/1.1 ", status, " ",
      reason.empty() ? "Unknown" : std::string(reason.data(), reason.size()),
      "\r\n");
}

bool IsManagedHeader(const std::string& name) {
  return EqualsIgnoreCase(name, "Content-Length") ||
         EqualsIgnoreCase(name, "Transfer-Encoding") ||
         EqualsIgnoreCase(name, "Connection");
}

// One TCP connection. All members are touched only on the session's thread
// (the one running its io_context), or by a thread that took it while it was
// parked (see TrySendDirect).
//
// Timeouts are deadlines, not timers: arming a timer per request (schedule,
// cancel, and the cancelled wait's completion) cost more than the request's
// own I/O. A deadline is a clock value stored with each state change; the
// server's sweeper (HttpServer::Impl::Sweep) checks every session a few times
// per timeout period and calls OnDeadline on the session's thread for those
// that are due.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(Socket socket, std::shared_ptr<ServerCore> core)
      : socket_(std::move(socket)), core_(std::move(core)) {}

  ~Session() {
    std::lock_guard<std::mutex> lock(core_->mu);
    core_->sessions.erase(this);
  }

  void Start() {
    beast::error_code ec;
    auto ep = socket_.remote_endpoint(ec);
    if (!ec) {
      remote_ = absl::StrCat(ep.address().to_string(), ":", ep.port());
    }
    net::dispatch(socket_.get_executor(),
                  [self = shared_from_this()] { self->ReadNext(); });
  }

  template <typename F>
  void Post(F&& f) {
    net::post(socket_.get_executor(), std::forward<F>(f));
  }

  void CloseNow() {
    if (closed_) return;
    closed_ = true;
    ClearDeadline();
    beast::error_code ec;
    socket_.shutdown(tcp::socket::shutdown_both, ec);
    socket_.close(ec);
  }

  // From the sweeper, on any thread: whether the current deadline is due.
  bool DeadlineDue(int64_t now) const {
    const int64_t due = deadline_.load(std::memory_order_relaxed);
    return due != kNoDeadline && now >= due;
  }

  // The sweeper found the deadline due (on the session's thread). Waiting
  // for a request's bytes: the pending read is cancelled and reports a
  // timeout (408, or DEADLINE_EXCEEDED to a body reader); otherwise (idle,
  // a stalled write, the lingering close) the connection closes.
  void OnDeadline() {
    Unpark();
    if (closed_ || !DeadlineDue(Now())) return;
    const DeadlineKind kind = deadline_kind_;
    ClearDeadline();
    if (kind == DeadlineKind::kRead) {
      timed_out_ = true;
      beast::error_code ec;
      socket_.cancel(ec);
      return;
    }
    CloseNow();
  }

  static int64_t Now() { return Clock::now().time_since_epoch().count(); }

  // Ends parking (see CallHandler): every handler posted to the strand from
  // outside calls it first, so it never touches the socket while another
  // thread writes directly.
  void Unpark() {
    std::lock_guard<std::mutex> lock(direct_mu_);
    parked_ = false;
  }

  // Exchange::Send from any thread. While the session is parked, i.e. the
  // handler has returned and nothing is pending on the socket, the calling
  // thread (typically a gRPC completion thread) writes the response itself
  // and arms the read of the next request: no hand-off to an I/O thread,
  // which costs a wake-up per request. Returns false when it did nothing
  // (the caller then posts OnSend).
  bool TrySendDirect(uint64_t id, const HttpResponse& response) {
    std::lock_guard<std::mutex> lock(direct_mu_);
    if (!parked_) return false;
    parked_ = false;
    if (closed_ || core_->stopped.load() || id != exchange_id_ ||
        state_ != State::kPending) {
      return false;
    }
    state_ = State::kDone;
    std::string out = FormatResponse(response);
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

  // Exchange callbacks (on the strand). `id` guards against stale responders.
  void OnSend(uint64_t id, HttpResponse response) {
    Unpark();
    if (closed_ || id != exchange_id_ || state_ != State::kPending) return;
    state_ = State::kDone;
    Enqueue(FormatResponse(response));
  }

  void OnClose(uint64_t id) {
    Unpark();
    if (closed_ || id != exchange_id_) return;
    if (state_ != State::kPending && state_ != State::kChunked) return;
    state_ = State::kDone;
    CloseNow();
  }

  void OnStartChunked(uint64_t id, int status, Headers headers) {
    Unpark();
    if (closed_ || id != exchange_id_ || state_ != State::kPending) return;
    state_ = State::kChunked;
    if (BodyUnread()) keep_alive_ = false;
    std::string out = StatusLine(status);
    for (const auto& [k, v] : headers.entries()) {
      if (!IsManagedHeader(k)) absl::StrAppend(&out, k, ": ", v, "\r\n");
    }
    out += "Transfer-Encoding: chunked\r\n";
    if (!keep_alive_) out += "Connection: close\r\n";
    out += "\r\n";
    Enqueue(std::move(out));
  }

  void OnChunk(uint64_t id, std::string data) {
    if (closed_ || id != exchange_id_ || state_ != State::kChunked) return;
    if (data.empty() || head_) return;
    std::string out = absl::StrCat(absl::Hex(data.size()), "\r\n");
    out += data;
    out += "\r\n";
    Enqueue(std::move(out));
  }

  void OnFinishChunked(uint64_t id) {
    if (closed_ || id != exchange_id_ || state_ != State::kChunked) return;
    state_ = State::kDone;
    Enqueue("0\r\n\r\n");
  }

  // BodyReader::Read, on the strand.
  void OnBodyRead(uint64_t id, BodyReader::ReadDone done) {
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

 private:
  enum class State { kIdle, kPending, kChunked, kDone };
  // What a due deadline means (OnDeadline).
  enum class DeadlineKind { kIdle, kRead, kLinger };
  static constexpr int64_t kNoDeadline = std::numeric_limits<int64_t>::max();

  void SetDeadline(DeadlineKind kind, Clock::duration after) {
    deadline_kind_ = kind;
    timed_out_ = false;
    deadline_.store((Clock::now() + after).time_since_epoch().count(),
                    std::memory_order_relaxed);
  }
  void ClearDeadline() {
    deadline_.store(kNoDeadline, std::memory_order_relaxed);
  }
  // A read cancelled by OnDeadline reports operation_aborted: that is the
  // timeout.
  beast::error_code TimeoutAware(beast::error_code ec) {
    if (timed_out_ && ec == net::error::operation_aborted) {
      timed_out_ = false;
      return beast::error::timeout;
    }
    return ec;
  }
  static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
  static constexpr size_t kBodyPieceBytes = 64 * 1024;

  // Head and body of a complete response (state_ is kDone).
  std::string FormatResponse(const HttpResponse& response) {
    if (BodyUnread()) keep_alive_ = false;
    std::string out = StatusLine(response.status);
    for (const auto& [k, v] : response.headers.entries()) {
      if (!IsManagedHeader(k)) absl::StrAppend(&out, k, ": ", v, "\r\n");
    }
    absl::StrAppend(&out, "Content-Length: ", response.body.size(), "\r\n");
    if (!keep_alive_) out += "Connection: close\r\n";
    out += "\r\n";
    if (!head_) out += response.body;
    return out;
  }

  // The whole response is written: next request, or close.
  void AfterResponse() {
    if (body_read_pending_) {
      close_after_body_read_ = true;
    } else if (keep_alive_) {
      ReadNext();
    } else {
      LingeringClose();
    }
  }

  // True while a streamed body has bytes the handler has not read.
  bool BodyUnread() const {
    return body_parser_.has_value() && !body_parser_->is_done();
  }

  void ReadBodyPiece(BodyReader::ReadDone done) {
    body_piece_.resize(kBodyPieceBytes);
    auto& body = body_parser_->get().body();
    body.data = body_piece_.data();
    body.size = body_piece_.size();
    body.more = true;
    SetDeadline(DeadlineKind::kRead, core_->options.read_timeout);
    bhttp::async_read_some(socket_, buffer_, *body_parser_,
                           [self = shared_from_this(), done = std::move(done)](
                               beast::error_code ec, size_t) mutable {
                             self->AfterBodyPiece(self->TimeoutAware(ec),
                                                  std::move(done));
                           });
  }

  void AfterBodyPiece(beast::error_code ec, BodyReader::ReadDone done) {
    if (ec == bhttp::error::need_buffer) ec = {};
    const size_t got = body_piece_.size() - body_parser_->get().body().size;
    if (!ec && !closed_ && got == 0 && !body_parser_->is_done()) {
      return ReadBodyPiece(std::move(done));  // Chunk framing only.
    }
    body_read_pending_ = false;
    if (!writing_) ClearDeadline();
    if (close_after_body_read_) {
      // The response went out while this read was pending.
      LingeringClose();
      return done(absl::FailedPreconditionError(
          "the response is complete; the rest of the body is discarded"));
    }
    if (closed_)
      return done(absl::UnavailableError("the connection is closed"));
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

  void ReadNext() {
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
      SetDeadline(DeadlineKind::kRead, core_->options.read_timeout);
      return ParseBufferedHeader();
    }
    // Wait (idle timeout) for the first byte of the next request; from
    // there the whole request is due within read_timeout.
    SetDeadline(DeadlineKind::kIdle, core_->options.idle_timeout);
    socket_.async_read_some(buffer_.prepare(4096), [self = shared_from_this()](
                                                       beast::error_code ec,
                                                       size_t n) {
      if (ec) return self->CloseNow();
      self->SetDeadline(DeadlineKind::kRead, self->core_->options.read_timeout);
      self->buffer_.commit(n);
      self->ParseBufferedHeader();
    });
  }

  // Most requests arrive whole in one read. Parsing what is buffered here,
  // rather than through Beast's async read (which posts its completion even
  // when it needs no I/O: a hand-off to another I/O thread per request),
  // keeps the request on this thread; an incomplete head falls back to the
  // async read.
  void ParseBufferedHeader() {
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
  void ReadHeader() {
    bhttp::async_read_header(
        socket_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) {
          ec = self->TimeoutAware(ec);
          if (ec) return self->OnReadError(ec);
          self->AfterHeader();
        });
  }

  void AfterHeader() {
    if (std::string refused = RefusedHead(parser_->get()); !refused.empty()) {
      return Reject(400, "INVALID_ARGUMENT", refused);
    }
    if (parser_->is_done()) return Dispatch();
    const auto& msg = parser_->get();
    auto expect = msg.find(bhttp::field::expect);
    const bool wants_continue =
        expect != msg.end() &&
        EqualsIgnoreCase(
            std::string_view(expect->value().data(), expect->value().size()),
            "100-continue");
    if (core_->options.stream_body) {
      head_request_.emplace(HeadOf(msg));
      if (core_->options.stream_body(*head_request_)) {
        return DispatchStreamed(wants_continue);
      }
      if (parser_->content_length().value_or(0) >
          core_->options.max_body_bytes) {
        return Reject(413, "RESOURCE_EXHAUSTED",
                      absl::StrCat("the request body is over ",
                                   core_->options.max_body_bytes, " bytes"));
      }
      parser_->body_limit(core_->options.max_body_bytes);  // Chunked bodies.
    }
    if (wants_continue) {
      net::async_write(
          socket_, net::buffer(kContinue.data(), kContinue.size()),
          [self = shared_from_this()](beast::error_code ec, size_t) {
            if (ec) return self->CloseNow();
            self->ReadBody();
          });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
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
    bhttp::async_read(
        socket_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) {
          ec = self->TimeoutAware(ec);
          if (ec) return self->OnReadError(ec);
          self->Dispatch();
        });
  }

  // A request that could not be read. Anything the parser refuses gets a
  // 400 (RFC 9112 section 2.2, 6.3: the framing is then unknown, so the
  // connection closes after the answer); only a connection error or a
  // client gone before its first byte closes without one.
  void OnReadError(beast::error_code ec) {
    const HttpServer::Options& o = core_->options;
    if (ec == bhttp::error::body_limit) {
      return Reject(413, "RESOURCE_EXHAUSTED",
                    absl::StrCat("the request body is over ", o.max_body_bytes,
                                 " bytes"));
    }
    if (ec == bhttp::error::header_limit) {
      return Reject(431, "RESOURCE_EXHAUSTED",
                    absl::StrCat("the request head is over ",
                                 o.max_header_bytes, " bytes"));
    }
    if (ec == beast::error::timeout) {
      return Reject(408, "DEADLINE_EXCEEDED",
                    absl::StrCat("the request did not arrive within ",
                                 o.read_timeout.count(), " s"));
    }
    if (ec.category() ==
            bhttp::make_error_code(bhttp::error::bad_method).category() &&
        ec != bhttp::error::end_of_stream) {
      return Reject(400, "INVALID_ARGUMENT",
                    absl::StrCat("malformed HTTP request: ", ec.message()));
    }
    CloseNow();
  }

  // What Beast's parser accepts but RFC 9112 does not; empty when fine.
  std::string RefusedHead(const bhttp::request_header<>& msg) const {
    // Beast reads "HTTP/d.d" (and refuses 1.2 .. 1.9 itself).
    if (msg.version() != 10 && msg.version() != 11) {
      return "unsupported HTTP version (HTTP/1.0 and HTTP/1.1 are served)";
    }
    // RFC 9112 section 6.3: a request whose last transfer coding is not
    // "chunked" has no knowable length (Beast would read it as no body,
    // and its bytes as the next request).
    if (msg.count(bhttp::field::transfer_encoding) > 1 ||
        (msg.count(bhttp::field::transfer_encoding) == 1 &&
         !parser_->chunked())) {
      return "Transfer-Encoding must be exactly \"chunked\"";
    }
    return "";
  }

  // Answers with the JSON error shape, without calling the handler, and
  // closes afterwards.
  void Reject(int status, std::string_view code, std::string_view message) {
    ++exchange_id_;
    keep_alive_ = false;
    head_ = false;
    state_ = State::kPending;
    OnSend(exchange_id_, HttpResponse::JsonError(status, code, message));
  }

  void Dispatch();
  void DispatchStreamed(bool wants_continue);
  void CallHandler(HttpRequest req);
  HttpRequest HeadOf(const bhttp::request_header<>& msg) const;

  void Enqueue(std::string bytes) {
    out_.push_back(std::move(bytes));
    if (!writing_) DoWrite();
  }

  void DoWrite() {
    writing_ = true;
    // A client that stops reading the response is dropped after
    // idle_timeout (a pending body read keeps its own deadline).
    if (!body_read_pending_) {
      SetDeadline(DeadlineKind::kIdle, core_->options.idle_timeout);
    }
    net::async_write(socket_, net::buffer(out_.front()),
                     [self = shared_from_this()](beast::error_code ec, size_t) {
                       self->writing_ = false;
                       if (ec) return self->CloseNow();
                       self->out_.pop_front();
                       if (!self->out_.empty()) return self->DoWrite();
                       if (!self->body_read_pending_) self->ClearDeadline();
                       if (self->state_ == State::kDone) self->AfterResponse();
                     });
  }

  // Half-closes, then discards what the client still sends (briefly) so the
  // kernel does not answer unread data with a reset that could destroy the
  // response we just wrote.
  void LingeringClose() {
    if (closed_) return;
    beast::error_code ec;
    socket_.shutdown(tcp::socket::shutdown_send, ec);
    SetDeadline(DeadlineKind::kLinger, std::chrono::seconds(2));
    Drain();
  }

  void Drain() {
    drain_buf_.resize(16 * 1024);
    socket_.async_read_some(
        net::buffer(drain_buf_),
        [self = shared_from_this()](beast::error_code ec, size_t) {
          if (ec) return self->CloseNow();
          self->Drain();
        });
  }

  Socket socket_;
  std::shared_ptr<ServerCore> core_;
  // Clock::time_point ticks, kNoDeadline when none; read by the sweeper.
  std::atomic<int64_t> deadline_{kNoDeadline};
  DeadlineKind deadline_kind_ = DeadlineKind::kIdle;
  // OnDeadline cancelled a read: its operation_aborted is a timeout.
  bool timed_out_ = false;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  // The head, when Options::stream_body was asked about it.
  std::optional<HttpRequest> head_request_;
  // Streamed body of the current exchange (Options::stream_body).
  std::optional<bhttp::request_parser<bhttp::buffer_body>> body_parser_;
  std::string body_piece_;
  bool body_read_pending_ = false;
  bool need_continue_ = false;
  // Content-Length over max_streamed_body_bytes: every read fails.
  bool body_too_large_ = false;
  // The response was written while a body read was pending: close once the
  // read returns.
  bool close_after_body_read_ = false;
  // Parked: the handler has returned without answering and nothing is
  // pending on the socket; the first thread to take parked_ (under
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

// One request/response pair. Keeps its session alive until answered.
class Exchange {
 public:
  Exchange(std::shared_ptr<Session> session, std::shared_ptr<ServerCore> core,
           uint64_t id)
      : session_(std::move(session)), core_(std::move(core)), id_(id) {}

  ~Exchange() {
    Outcome o;
    {
      std::lock_guard<std::mutex> lock(mu_);
      o = outcome_;
    }
    if (o == Outcome::kNone) {
      RunOnSession([id = id_](Session& s) {
        s.OnSend(id, HttpResponse::JsonError(
                         500, "INTERNAL", "the handler dropped the request"));
      });
    } else if (o == Outcome::kChunked) {
      RunOnSession([id = id_](Session& s) { s.OnClose(id); });
    }
  }

  bool Send(HttpResponse r) {
    if (!Claim(Outcome::kNone, Outcome::kDone)) return false;
    if (core_->stopped.load()) return true;
    if (session_->TrySendDirect(id_, r)) return true;
    RunOnSession([id = id_, r = std::move(r)](Session& s) mutable {
      s.OnSend(id, std::move(r));
    });
    return true;
  }

  bool Close() {
    std::lock_guard<std::mutex> lock(mu_);
    if (outcome_ == Outcome::kDone) return false;
    outcome_ = Outcome::kDone;
    RunOnSession([id = id_](Session& s) { s.OnClose(id); });
    return true;
  }

  bool StartChunked(int status, Headers headers) {
    if (!Claim(Outcome::kNone, Outcome::kChunked)) return false;
    RunOnSession(
        [id = id_, status, h = std::move(headers)](Session& s) mutable {
          s.OnStartChunked(id, status, std::move(h));
        });
    return true;
  }

  bool WriteChunk(std::string data) {
    // Holding the lock while posting keeps chunks in call order.
    std::lock_guard<std::mutex> lock(mu_);
    if (outcome_ != Outcome::kChunked) return false;
    RunOnSession([id = id_, d = std::move(data)](Session& s) mutable {
      s.OnChunk(id, std::move(d));
    });
    return true;
  }

  bool FinishChunked() {
    std::lock_guard<std::mutex> lock(mu_);
    if (outcome_ != Outcome::kChunked) return false;
    outcome_ = Outcome::kDone;
    RunOnSession([id = id_](Session& s) { s.OnFinishChunked(id); });
    return true;
  }

 private:
  enum class Outcome { kNone, kChunked, kDone };

  bool Claim(Outcome from, Outcome to) {
    std::lock_guard<std::mutex> lock(mu_);
    if (outcome_ != from) return false;
    outcome_ = to;
    return true;
  }

  template <typename F>
  void RunOnSession(F&& f) {
    if (core_->stopped.load()) return;
    session_->Post([s = session_, f = std::forward<F>(f)]() mutable { f(*s); });
  }

  std::mutex mu_;
  Outcome outcome_ = Outcome::kNone;
  std::shared_ptr<Session> session_;
  std::shared_ptr<ServerCore> core_;
  uint64_t id_;
};

HttpRequest Session::HeadOf(const bhttp::request_header<>& msg) const {
  HttpRequest req;
  req.method = std::string(msg.method_string());
  req.target = std::string(msg.target());
  std::string_view raw_path, raw_query;
  SplitTarget(req.target, &raw_path, &raw_query);
  req.path = PercentDecode(raw_path, false);
  req.query = ParseQuery(raw_query);
  for (const auto& field : msg) {
    req.headers.Add(std::string(field.name_string()),
                    std::string(field.value()));
  }
  req.remote_address = remote_;
  return req;
}

void Session::Dispatch() {
  ClearDeadline();
  auto msg = parser_->release();
  parser_.reset();
  keep_alive_ = msg.keep_alive();
  head_ = msg.method() == bhttp::verb::head;
  HttpRequest req =
      head_request_.has_value() ? std::move(*head_request_) : HeadOf(msg);
  head_request_.reset();
  req.body = std::move(msg.body());
  CallHandler(std::move(req));
}

void Session::DispatchStreamed(bool wants_continue) {
  ClearDeadline();
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
      std::weak_ptr<Session>(shared_from_this()), exchange_id_ + 1);
  CallHandler(std::move(req));
}

void Session::CallHandler(HttpRequest req) {
  ++exchange_id_;
  state_ = State::kPending;
  auto exchange =
      std::make_shared<Exchange>(shared_from_this(), core_, exchange_id_);
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

}  // namespace internal

void BodyReader::Read(ReadDone done) {
  std::shared_ptr<internal::Session> session = session_.lock();
  if (session == nullptr) {
    done(absl::UnavailableError("the connection is closed"));
    return;
  }
  session->Post([session, id = exchange_id_, done = std::move(done)]() mutable {
    session->OnBodyRead(id, std::move(done));
  });
}

HttpResponder::HttpResponder(std::shared_ptr<internal::Exchange> exchange)
    : exchange_(std::move(exchange)) {}
bool HttpResponder::Send(HttpResponse response) {
  return exchange_->Send(std::move(response));
}
bool HttpResponder::Close() { return exchange_->Close(); }
bool HttpResponder::StartChunked(int status, Headers headers) {
  return exchange_->StartChunked(status, std::move(headers));
}
bool HttpResponder::WriteChunk(std::string data) {
  return exchange_->WriteChunk(std::move(data));
}
bool HttpResponder::FinishChunked() { return exchange_->FinishChunked(); }

// One io_context per worker thread (connections are dealt out in turn), so
// an I/O event is handled by the thread that polled it: no hand-off between
// workers. The listener, the sweeper and RunAfter live on the first.
struct HttpServer::Impl {
  std::shared_ptr<internal::ServerCore> core;
  std::vector<std::unique_ptr<net::io_context>> contexts;
  std::vector<net::executor_work_guard<Executor>> work;
  std::optional<net::basic_socket_acceptor<tcp, Executor>> acceptor;
  std::optional<
      net::basic_waitable_timer<Clock, net::wait_traits<Clock>, Executor>>
      sweeper;
  Clock::duration sweep_every{};
  size_t next_context = 0;
  std::vector<std::thread> threads;
  int port = 0;
  bool started = false;
  bool stopped = false;

  net::io_context& First() { return *contexts.front(); }

  void Accept() {
    net::io_context& target = *contexts[next_context++ % contexts.size()];
    acceptor->async_accept(target.get_executor(), [this](beast::error_code ec,
                                                         Socket s) {
      if (ec) {
        if (ec == net::error::operation_aborted || core->stopped) return;
        return Accept();
      }
      beast::error_code ignored;
      s.set_option(tcp::no_delay(true), ignored);
      auto session = std::make_shared<internal::Session>(std::move(s), core);
      {
        std::lock_guard<std::mutex> lock(core->mu);
        core->sessions[session.get()] = session;
      }
      session->Start();
      Accept();
    });
  }

  // Hands every session whose deadline is due to its own thread, then
  // sleeps for sweep_every: a deadline is acted on at most that late.
  void Sweep() {
    const int64_t now = internal::Session::Now();
    std::vector<std::shared_ptr<internal::Session>> due;
    {
      std::lock_guard<std::mutex> lock(core->mu);
      for (auto& [ptr, weak] : core->sessions) {
        if (!ptr->DeadlineDue(now)) continue;
        if (auto s = weak.lock()) due.push_back(std::move(s));
      }
    }
    for (auto& s : due) s->Post([s] { s->OnDeadline(); });
    sweeper->expires_after(sweep_every);
    sweeper->async_wait([this](beast::error_code ec) {
      if (!ec && !core->stopped) Sweep();
    });
  }
};

HttpServer::HttpServer(Options options, Handler handler)
    : impl_(std::make_unique<Impl>()) {
  impl_->core = std::make_shared<internal::ServerCore>();
  impl_->core->options = std::move(options);
  impl_->core->handler = std::move(handler);
}

HttpServer::~HttpServer() { Stop(); }

absl::Status HttpServer::Start() {
  if (impl_->started) return absl::FailedPreconditionError("already started");
  const Options& o = impl_->core->options;
  beast::error_code ec;
  auto address = net::ip::make_address(o.address, ec);
  if (ec) {
    return absl::InvalidArgumentError(
        absl::StrCat("bad listen address '", o.address, "': ", ec.message()));
  }
  tcp::endpoint ep(address, static_cast<unsigned short>(o.port));
  const int n = std::max(1, o.threads);
  for (int i = 0; i < n; ++i) {
    // 1: each context is run by one thread (Asio skips some locking).
    impl_->contexts.push_back(std::make_unique<net::io_context>(1));
  }
  impl_->acceptor.emplace(impl_->First().get_executor());
  impl_->acceptor->open(ep.protocol(), ec);
  if (!ec)
    impl_->acceptor->set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) impl_->acceptor->bind(ep, ec);
  if (!ec)
    impl_->acceptor->listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    return absl::UnavailableError(absl::StrCat(
        "cannot listen on ", o.address, ":", o.port, ": ", ec.message()));
  }
  impl_->port = impl_->acceptor->local_endpoint().port();
  impl_->started = true;
  for (auto& context : impl_->contexts) {
    impl_->work.push_back(net::make_work_guard(context->get_executor()));
  }
  impl_->Accept();
  // A few checks per shortest timeout, between 10 ms and 1 s apart.
  impl_->sweep_every = std::clamp<Clock::duration>(
      std::min<Clock::duration>(o.read_timeout, o.idle_timeout) / 4,
      std::chrono::milliseconds(10), std::chrono::seconds(1));
  impl_->sweeper.emplace(impl_->First().get_executor());
  net::post(impl_->First(), [impl = impl_.get()] { impl->Sweep(); });
  for (auto& context : impl_->contexts) {
    impl_->threads.emplace_back([context = context.get()] { context->run(); });
  }
  return absl::OkStatus();
}

void HttpServer::Stop() {
  if (!impl_->started || impl_->stopped) return;
  impl_->stopped = true;
  // Close the listener and every connection on their own executors, wait for
  // that to happen, then stop the loop.
  std::vector<std::shared_ptr<internal::Session>> sessions;
  {
    std::lock_guard<std::mutex> lock(impl_->core->mu);
    for (auto& [ptr, weak] : impl_->core->sessions) {
      if (auto s = weak.lock()) sessions.push_back(std::move(s));
    }
  }
  std::mutex mu;
  std::condition_variable cv;
  size_t pending = sessions.size() + 1;
  auto done = [&] {
    std::lock_guard<std::mutex> lock(mu);
    if (--pending == 0) cv.notify_all();
  };
  net::post(impl_->First(), [&] {
    beast::error_code ec;
    impl_->acceptor->close(ec);
    impl_->sweeper->cancel();
    done();
  });
  for (auto& s : sessions) {
    s->Post([s, &done] {
      s->Unpark();
      s->CloseNow();
      done();
    });
  }
  sessions.clear();
  {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait_for(lock, std::chrono::seconds(5), [&] { return pending == 0; });
  }
  impl_->core->stopped = true;
  impl_->work.clear();
  for (auto& context : impl_->contexts) context->stop();
  for (auto& t : impl_->threads) t.join();
  impl_->threads.clear();
}

int HttpServer::port() const { return impl_->port; }

void HttpServer::RunAfter(std::chrono::milliseconds delay,
                          std::function<void()> fn) {
  if (impl_->core->stopped || impl_->contexts.empty()) return;  // Not started.
  auto timer = std::make_shared<net::steady_timer>(impl_->First(), delay);
  timer->async_wait([timer, fn = std::move(fn)](beast::error_code ec) {
    if (!ec) fn();
  });
}

}  // namespace ttads::http
