#include "bench/null_proxy/h2_unary_channel.h"

#include <nghttp2/nghttp2.h>

#include <algorithm>
#include <array>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <unordered_map>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace ttads::null_proxy {

namespace net = boost::asio;
using tcp = net::ip::tcp;
using SteadyClock = std::chrono::steady_clock;

namespace {

// gRPC's mapping of a non-gRPC HTTP answer to a status code
// (doc/http-grpc-status-mapping.md in the gRPC repository).
grpc::StatusCode CodeForHttpStatus(int http_status) {
  switch (http_status) {
    case 400:
      return grpc::StatusCode::INTERNAL;
    case 401:
      return grpc::StatusCode::UNAUTHENTICATED;
    case 403:
      return grpc::StatusCode::PERMISSION_DENIED;
    case 404:
      return grpc::StatusCode::UNIMPLEMENTED;
    case 429:
    case 502:
    case 503:
    case 504:
      return grpc::StatusCode::UNAVAILABLE;
    default:
      return grpc::StatusCode::UNKNOWN;
  }
}

// grpc-message is percent-encoded (RFC 3986 style, upper or lower hex).
std::string PercentDecode(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    int value = 0;
    if (in[i] == '%' && i + 2 < in.size() &&
        absl::ascii_isxdigit(static_cast<unsigned char>(in[i + 1])) &&
        absl::ascii_isxdigit(static_cast<unsigned char>(in[i + 2])) &&
        absl::SimpleHexAtoi(absl::string_view(in.data() + i + 1, 2), &value)) {
      out.push_back(static_cast<char>(value));
      i += 2;
    } else {
      out.push_back(in[i]);
    }
  }
  return out;
}

// "<n>m": milliseconds, at most 8 digits as gRPC requires; longer
// deadlines go out in seconds or minutes.
std::string GrpcTimeout(std::chrono::system_clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                  deadline - std::chrono::system_clock::now())
                  .count();
  left = std::max<int64_t>(left, 1);
  if (left < 100000000) return absl::StrCat(left, "m");
  const int64_t seconds = left / 1000;
  if (seconds < 100000000) return absl::StrCat(seconds, "S");
  return absl::StrCat(std::min<int64_t>(seconds / 60, 99999999), "M");
}

nghttp2_nv Header(std::string_view name, std::string_view value) {
  return nghttp2_nv{
      const_cast<uint8_t*>(reinterpret_cast<const uint8_t*>(name.data())),
      const_cast<uint8_t*>(reinterpret_cast<const uint8_t*>(value.data())),
      name.size(), value.size(), NGHTTP2_NV_FLAG_NONE};
}

}  // namespace

// One HTTP/2 connection and its streams. Kept alive by the channel (while
// current) and by its own pending operations.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(net::io_context& loop, const UnaryChannel::Options& options)
      : loop_(loop),
        options_(options),
        authority_(absl::StrCat(options.host, ":", options.port)),
        socket_(loop),
        ticker_(loop) {}

  ~Connection() {
    if (session_ != nullptr) nghttp2_session_del(session_);
  }

  // Starts connecting; calls made meanwhile wait for the connection.
  void Start() {
    started_at_ = SteadyClock::now();
    auto self = shared_from_this();
    beast_error_code ec;
    auto address = net::ip::make_address(options_.host, ec);
    if (!ec) {
      socket_.async_connect(
          tcp::endpoint(address, options_.port),
          [self](beast_error_code ec) { self->OnConnect(ec); });
    } else {
      auto resolver = std::make_shared<tcp::resolver>(loop_);
      resolver->async_resolve(
          options_.host, std::to_string(options_.port),
          [self, resolver](beast_error_code ec,
                           tcp::resolver::results_type results) {
            if (ec) return self->OnConnect(ec);
            net::async_connect(
                self->socket_, results,
                [self](beast_error_code ec, const tcp::endpoint&) {
                  self->OnConnect(ec);
                });
          });
    }
    ArmTicker();
  }

  // False once the connection broke, failed or was told to go away: new
  // calls then need a new connection.
  bool Usable() const { return !closed_ && !goaway_; }
  bool Failed() const { return failed_connect_; }
  bool Idle() const { return streams_.empty() && waiting_.empty(); }

  void Call(std::string_view path, const UnaryChannel::Metadata& metadata,
            std::string request, std::chrono::system_clock::time_point deadline,
            UnaryChannel::Done done) {
    auto stream = std::make_unique<Stream>();
    stream->path = std::string(path);
    stream->metadata = metadata;
    stream->deadline = deadline;
    stream->done = std::move(done);
    // The 5-byte gRPC message prefix: not compressed, big-endian length.
    const uint32_t n = static_cast<uint32_t>(request.size());
    stream->request.reserve(request.size() + 5);
    stream->request.push_back('\0');
    for (int shift = 24; shift >= 0; shift -= 8) {
      stream->request.push_back(static_cast<char>((n >> shift) & 0xff));
    }
    stream->request.append(request);
    ArmTicker();  // For the deadline.
    if (session_ == nullptr) {
      waiting_.push_back(std::move(stream));
      return;
    }
    Submit(std::move(stream));
    ScheduleFlush();
  }

  // The channel is going away: close, and drop every callback uncalled.
  void Abandon() {
    waiting_.clear();
    for (auto& [id, stream] : streams_) stream->done = nullptr;
    Close();
  }

 private:
  using beast_error_code = boost::system::error_code;

  struct Stream {
    std::string path;
    UnaryChannel::Metadata metadata;
    std::string request;  // Prefixed message.
    size_t sent = 0;
    std::chrono::system_clock::time_point deadline;
    UnaryChannel::Done done;
    std::string response;  // Prefixed message(s) as received.
    int http_status = 0;
    bool has_grpc_status = false;
    int grpc_status = 0;
    std::string grpc_message;
    std::string details;
    bool too_large = false;
  };
  struct Finished {
    UnaryChannel::Done done;
    grpc::Status status;
    std::string response;
  };

  void OnConnect(beast_error_code ec) {
    if (closed_) return;
    if (ec) {
      failed_connect_ = true;
      return FailAll(
          grpc::Status(grpc::StatusCode::UNAVAILABLE,
                       absl::StrCat("cannot connect to ", options_.host, ":",
                                    options_.port, ": ", ec.message())));
    }
    beast_error_code ignored;
    socket_.set_option(tcp::no_delay(true), ignored);
    nghttp2_session_callbacks* callbacks;
    nghttp2_session_callbacks_new(&callbacks);
    nghttp2_session_callbacks_set_on_header_callback(callbacks, &OnHeader);
    nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks,
                                                              &OnData);
    nghttp2_session_callbacks_set_on_stream_close_callback(callbacks,
                                                           &OnStreamClose);
    nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks, &OnFrame);
    nghttp2_session_client_new(&session_, callbacks, this);
    nghttp2_session_callbacks_del(callbacks);
    // Large windows: responses are read as fast as they come.
    const nghttp2_settings_entry settings[] = {
        {NGHTTP2_SETTINGS_ENABLE_PUSH, 0},
        {NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, 4 * 1024 * 1024}};
    nghttp2_submit_settings(session_, NGHTTP2_FLAG_NONE, settings,
                            std::size(settings));
    nghttp2_session_set_local_window_size(session_, NGHTTP2_FLAG_NONE, 0,
                                          16 * 1024 * 1024);
    auto waiting = std::move(waiting_);
    waiting_.clear();
    for (auto& stream : waiting) Submit(std::move(stream));
    ScheduleFlush();
    Read();
  }

  void Submit(std::unique_ptr<Stream> stream) {
    std::vector<nghttp2_nv> headers;
    headers.reserve(8 + stream->metadata.size());
    const std::string timeout = GrpcTimeout(stream->deadline);
    headers.push_back(Header(":method", "POST"));
    headers.push_back(Header(":scheme", "http"));
    headers.push_back(Header(":path", stream->path));
    headers.push_back(Header(":authority", authority_));
    headers.push_back(Header("content-type", "application/grpc"));
    headers.push_back(Header("te", "trailers"));
    headers.push_back(Header("grpc-timeout", timeout));
    for (const auto& [name, value] : stream->metadata) {
      headers.push_back(Header(name, value));
    }
    nghttp2_data_provider body;
    body.source.ptr = stream.get();
    body.read_callback = &ReadBody;
    Stream* raw = stream.get();
    const int32_t id = nghttp2_submit_request(session_, nullptr, headers.data(),
                                              headers.size(), &body, raw);
    if (id < 0) {
      Finished f{std::move(stream->done),
                 grpc::Status(grpc::StatusCode::UNAVAILABLE,
                              absl::StrCat("cannot start the call: ",
                                           nghttp2_strerror(id))),
                 ""};
      if (f.done) f.done(std::move(f.status), "");
      return;
    }
    streams_.emplace(id, std::move(stream));
  }

  static ssize_t ReadBody(nghttp2_session*, int32_t, uint8_t* buf,
                          size_t length, uint32_t* flags,
                          nghttp2_data_source* source, void*) {
    auto* stream = static_cast<Stream*>(source->ptr);
    const size_t n = std::min(length, stream->request.size() - stream->sent);
    std::copy_n(stream->request.data() + stream->sent, n, buf);
    stream->sent += n;
    if (stream->sent == stream->request.size()) {
      *flags |= NGHTTP2_DATA_FLAG_EOF;
    }
    return static_cast<ssize_t>(n);
  }

  static int OnHeader(nghttp2_session* session, const nghttp2_frame* frame,
                      const uint8_t* name, size_t namelen, const uint8_t* value,
                      size_t valuelen, uint8_t, void*) {
    if (frame->hd.type != NGHTTP2_HEADERS) return 0;
    auto* stream = static_cast<Stream*>(
        nghttp2_session_get_stream_user_data(session, frame->hd.stream_id));
    if (stream == nullptr) return 0;
    absl::string_view n(reinterpret_cast<const char*>(name), namelen);
    absl::string_view v(reinterpret_cast<const char*>(value), valuelen);
    if (n == ":status") {
      int status = 0;
      if (absl::SimpleAtoi(v, &status)) stream->http_status = status;
    } else if (n == "grpc-status") {
      int code = 0;
      stream->has_grpc_status = absl::SimpleAtoi(v, &code);
      stream->grpc_status = code;
    } else if (n == "grpc-message") {
      stream->grpc_message =
          PercentDecode(std::string_view(v.data(), v.size()));
    } else if (n == "grpc-status-details-bin") {
      std::string decoded;
      if (absl::Base64Unescape(v, &decoded)) stream->details = decoded;
    }
    return 0;
  }

  static int OnData(nghttp2_session* session, uint8_t, int32_t stream_id,
                    const uint8_t* data, size_t len, void* user) {
    auto* self = static_cast<Connection*>(user);
    auto* stream = static_cast<Stream*>(
        nghttp2_session_get_stream_user_data(session, stream_id));
    if (stream == nullptr || stream->too_large) return 0;
    if (stream->response.size() + len > self->options_.max_response_bytes + 5) {
      stream->too_large = true;
      stream->response.clear();
      nghttp2_submit_rst_stream(session, NGHTTP2_FLAG_NONE, stream_id,
                                NGHTTP2_CANCEL);
      return 0;
    }
    stream->response.append(reinterpret_cast<const char*>(data), len);
    return 0;
  }

  static int OnFrame(nghttp2_session*, const nghttp2_frame* frame, void* user) {
    if (frame->hd.type == NGHTTP2_GOAWAY) {
      static_cast<Connection*>(user)->goaway_ = true;
    }
    return 0;
  }

  static int OnStreamClose(nghttp2_session*, int32_t stream_id,
                           uint32_t error_code, void* user) {
    auto* self = static_cast<Connection*>(user);
    auto it = self->streams_.find(stream_id);
    if (it == self->streams_.end()) return 0;
    std::unique_ptr<Stream> stream = std::move(it->second);
    self->streams_.erase(it);
    if (!stream->done) return 0;  // Already answered (deadline).
    Finished f{std::move(stream->done), grpc::Status::OK, ""};
    f.status = StatusOf(*stream, error_code, &f.response);
    self->finished_.push_back(std::move(f));
    return 0;
  }

  static grpc::Status StatusOf(Stream& stream, uint32_t error_code,
                               std::string* response) {
    if (stream.too_large) {
      return grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                          "response larger than the client accepts");
    }
    if (stream.has_grpc_status) {
      if (stream.grpc_status != 0) {
        return grpc::Status(static_cast<grpc::StatusCode>(
                                std::clamp(stream.grpc_status, 0, 16)),
                            stream.grpc_message, stream.details);
      }
      const std::string& r = stream.response;
      if (r.size() < 5) {
        return grpc::Status(grpc::StatusCode::INTERNAL,
                            "the server sent no response message");
      }
      if (r[0] != '\0') {
        return grpc::Status(grpc::StatusCode::INTERNAL,
                            "compressed responses are not supported");
      }
      uint32_t n = 0;
      for (int i = 1; i <= 4; ++i) n = (n << 8) | static_cast<uint8_t>(r[i]);
      if (r.size() != size_t{n} + 5) {
        return grpc::Status(grpc::StatusCode::INTERNAL,
                            "a unary call answered with a malformed message");
      }
      *response = r.substr(5);
      return grpc::Status::OK;
    }
    if (error_code == NGHTTP2_REFUSED_STREAM) {
      return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                          "the server refused the stream");
    }
    if (error_code == NGHTTP2_CANCEL) {
      return grpc::Status(grpc::StatusCode::CANCELLED, "stream cancelled");
    }
    if (error_code != NGHTTP2_NO_ERROR) {
      return grpc::Status(
          grpc::StatusCode::UNAVAILABLE,
          absl::StrCat("stream reset: ", nghttp2_http2_strerror(error_code)));
    }
    if (stream.http_status != 0 && stream.http_status != 200) {
      return grpc::Status(
          CodeForHttpStatus(stream.http_status),
          absl::StrCat("the server answered HTTP ", stream.http_status));
    }
    return grpc::Status(grpc::StatusCode::INTERNAL,
                        "the server closed the stream without a grpc-status");
  }

  void Read() {
    auto self = shared_from_this();
    socket_.async_read_some(
        net::buffer(in_), [self](beast_error_code ec, size_t n) {
          if (self->closed_) return;
          if (ec) {
            return self->FailAll(grpc::Status(
                grpc::StatusCode::UNAVAILABLE,
                absl::StrCat("connection to ", self->options_.host, ":",
                             self->options_.port, " lost: ", ec.message())));
          }
          const ssize_t used = nghttp2_session_mem_recv(
              self->session_,
              reinterpret_cast<const uint8_t*>(self->in_.data()), n);
          self->RunFinished();
          if (used < 0) {
            return self->FailAll(grpc::Status(
                grpc::StatusCode::UNAVAILABLE,
                absl::StrCat("HTTP/2 error: ",
                             nghttp2_strerror(static_cast<int>(used)))));
          }
          self->ScheduleFlush();
          self->Read();
        });
  }

  // Done callbacks run after nghttp2 has returned, so they may start calls.
  void RunFinished() {
    auto finished = std::move(finished_);
    finished_.clear();
    for (Finished& f : finished)
      f.done(std::move(f.status), std::move(f.response));
  }

  // Calls started in the same turn of the loop go out in one write.
  void ScheduleFlush() {
    if (flush_scheduled_ || closed_) return;
    flush_scheduled_ = true;
    net::post(loop_, [self = shared_from_this()] {
      self->flush_scheduled_ = false;
      self->Flush();
    });
  }

  void Flush() {
    if (writing_ || closed_ || session_ == nullptr) return;
    for (;;) {
      const uint8_t* data = nullptr;
      const ssize_t n = nghttp2_session_mem_send(session_, &data);
      if (n < 0) {
        return FailAll(
            grpc::Status(grpc::StatusCode::UNAVAILABLE,
                         absl::StrCat("HTTP/2 error: ",
                                      nghttp2_strerror(static_cast<int>(n)))));
      }
      if (n == 0) break;
      out_.append(reinterpret_cast<const char*>(data), static_cast<size_t>(n));
    }
    RunFinished();  // Streams nghttp2 closed while sending.
    if (out_.empty()) {
      if (!nghttp2_session_want_read(session_) &&
          !nghttp2_session_want_write(session_)) {
        FailAll(grpc::Status(grpc::StatusCode::UNAVAILABLE,
                             "the server closed the connection"));
      }
      return;
    }
    writing_ = true;
    writing_buf_.swap(out_);
    out_.clear();
    net::async_write(socket_, net::buffer(writing_buf_),
                     [self = shared_from_this()](beast_error_code ec, size_t) {
                       self->writing_ = false;
                       self->writing_buf_.clear();
                       if (self->closed_) return;
                       if (ec) {
                         return self->FailAll(grpc::Status(
                             grpc::StatusCode::UNAVAILABLE,
                             absl::StrCat("write failed: ", ec.message())));
                       }
                       self->Flush();
                     });
  }

  // Deadlines (and the connect timeout) are checked every tick while
  // anything is outstanding.
  void ArmTicker() {
    if (ticking_ || closed_) return;
    ticking_ = true;
    ticker_.expires_after(options_.tick);
    ticker_.async_wait([self = shared_from_this()](beast_error_code ec) {
      self->ticking_ = false;
      if (ec || self->closed_) return;
      self->Tick();
    });
  }

  void Tick() {
    if (session_ == nullptr &&
        SteadyClock::now() - started_at_ > options_.connect_timeout) {
      failed_connect_ = true;
      return FailAll(
          grpc::Status(grpc::StatusCode::UNAVAILABLE,
                       absl::StrCat("connecting to ", options_.host, ":",
                                    options_.port, " timed out")));
    }
    const auto now = std::chrono::system_clock::now();
    for (auto it = waiting_.begin(); it != waiting_.end();) {
      if ((*it)->deadline > now) {
        ++it;
        continue;
      }
      finished_.push_back({std::move((*it)->done),
                           grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED,
                                        "Deadline Exceeded"),
                           ""});
      it = waiting_.erase(it);
    }
    for (auto& [id, stream] : streams_) {
      if (!stream->done || stream->deadline > now) continue;
      finished_.push_back({std::move(stream->done),
                           grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED,
                                        "Deadline Exceeded"),
                           ""});
      stream->done = nullptr;
      nghttp2_submit_rst_stream(session_, NGHTTP2_FLAG_NONE, id,
                                NGHTTP2_CANCEL);
    }
    RunFinished();
    ScheduleFlush();
    if (!Idle() || session_ == nullptr) ArmTicker();
  }

  void FailAll(const grpc::Status& status) {
    for (auto& stream : waiting_) {
      finished_.push_back({std::move(stream->done), status, ""});
    }
    waiting_.clear();
    for (auto& [id, stream] : streams_) {
      if (stream->done)
        finished_.push_back({std::move(stream->done), status, ""});
    }
    streams_.clear();
    Close();
    RunFinished();
  }

  void Close() {
    if (closed_) return;
    closed_ = true;
    beast_error_code ignored;
    socket_.close(ignored);
    ticker_.cancel();
  }

  net::io_context& loop_;
  const UnaryChannel::Options options_;
  const std::string authority_;  // host:port
  tcp::socket socket_;
  net::steady_timer ticker_;
  nghttp2_session* session_ = nullptr;
  SteadyClock::time_point started_at_;
  std::vector<std::unique_ptr<Stream>> waiting_;
  std::unordered_map<int32_t, std::unique_ptr<Stream>> streams_;
  std::vector<Finished> finished_;
  std::array<char, 64 * 1024> in_;
  std::string out_;
  std::string writing_buf_;
  bool writing_ = false;
  bool flush_scheduled_ = false;
  bool ticking_ = false;
  bool closed_ = false;
  bool goaway_ = false;
  bool failed_connect_ = false;
};

UnaryChannel::UnaryChannel(boost::asio::io_context& loop, Options options)
    : loop_(loop), options_(std::move(options)) {}

UnaryChannel::~UnaryChannel() {
  if (current_) current_->Abandon();
  for (auto& weak : retiring_) {
    if (auto c = weak.lock()) c->Abandon();
  }
}

void UnaryChannel::Call(std::string_view path, const Metadata& metadata,
                        std::string request,
                        std::chrono::system_clock::time_point deadline,
                        Done done) {
  if (current_ && current_->Failed()) {
    failed_until_ = SteadyClock::now() + options_.reconnect_backoff;
    current_.reset();
  }
  if (!current_ || !current_->Usable()) {
    if (current_) {
      retiring_.push_back(current_);
      current_.reset();
    }
    std::erase_if(retiring_, [](const std::weak_ptr<Connection>& w) {
      auto c = w.lock();
      return c == nullptr || c->Idle();
    });
    if (SteadyClock::now() < failed_until_) {
      done(grpc::Status(grpc::StatusCode::UNAVAILABLE,
                        absl::StrCat("cannot connect to ", options_.host, ":",
                                     options_.port, " (retrying shortly)")),
           "");
      return;
    }
    current_ = std::make_shared<Connection>(loop_, options_);
    ++connections_made_;
    current_->Start();
  }
  current_->Call(path, metadata, std::move(request), deadline, std::move(done));
}

}  // namespace ttads::null_proxy
