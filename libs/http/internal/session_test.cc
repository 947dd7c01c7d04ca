#include "libs/http/internal/session.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>

#include "boost/asio/executor_work_guard.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/asio/post.hpp"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/http/internal/server_core.h"

namespace ttads::http::internal {
namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;
using ::testing::HasSubstr;
using ::testing::StartsWith;

// One Session on one end of a loopback TCP connection, on its own
// io_context thread, without HttpServer: the test plays the sweeper (calls
// CheckDeadline) and the client (a raw socket).
class SessionTest : public ::testing::Test {
 protected:
  ~SessionTest() override {
    if (session_ != nullptr) {
      std::promise<void> closed;
      session_->Shutdown([&closed] { closed.set_value(); });
      closed.get_future().wait();
      session_.reset();
    }
    work_.reset();
    io_.stop();
    if (thread_.joinable()) thread_.join();
    if (client_ >= 0) close(client_);
  }

  // Starts the session with `options` and `handler`; client_ is the peer.
  void Open(HttpServer::Options options, Handler handler) {
    core_ = std::make_shared<ServerCore>();
    core_->options = std::move(options);
    core_->handler = std::move(handler);
    tcp::acceptor acceptor(io_,
                           tcp::endpoint(net::ip::address_v4::loopback(), 0));
    client_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(acceptor.local_endpoint().port());
    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    ASSERT_EQ(
        connect(client_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
    Socket socket(io_.get_executor());
    acceptor.accept(socket);
    session_ = std::make_shared<Session>(std::move(socket), core_);
    {
      std::lock_guard<std::mutex> lock(core_->mu);
      core_->sessions[session_.get()] = session_;
    }
    session_->Start();
    thread_ = std::thread([this] { io_.run(); });
  }

  void Write(const std::string& bytes) {
    ASSERT_EQ(write(client_, bytes.data(), bytes.size()),
              static_cast<ssize_t>(bytes.size()));
  }

  // Whether the client has bytes (or EOF) to read within `wait`.
  bool Readable(std::chrono::milliseconds wait) {
    pollfd p{client_, POLLIN, 0};
    return poll(&p, 1, static_cast<int>(wait.count())) == 1;
  }

  // Reads until `needle` has arrived or the session closes.
  std::string ReadUntil(const std::string& needle) {
    std::string got;
    char buf[512];
    while (got.find(needle) == std::string::npos && Readable(kPatience)) {
      ssize_t n = read(client_, buf, sizeof(buf));
      if (n <= 0) break;
      got.append(buf, n);
    }
    return got;
  }

  // Reads to EOF; nullopt if it does not come.
  std::optional<std::string> ReadToEof() {
    std::string got;
    char buf[512];
    while (Readable(kPatience)) {
      ssize_t n = read(client_, buf, sizeof(buf));
      if (n == 0) return got;
      if (n < 0) return std::nullopt;
      got.append(buf, n);
    }
    return std::nullopt;
  }

  static constexpr std::chrono::milliseconds kPatience{10000};

  net::io_context io_{1};
  std::optional<net::executor_work_guard<Executor>> work_{
      net::make_work_guard(io_.get_executor())};
  std::shared_ptr<ServerCore> core_;
  std::shared_ptr<Session> session_;
  std::thread thread_;
  int client_ = -1;
};

void Echo(HttpRequest req, HttpResponder r) {
  r.Send(HttpResponse::Text(200, req.path + "|" + req.body));
}

TEST_F(SessionTest, AnswersPipelinedRequestsInOrderOnOneConnection) {
  Open({}, Echo);
  Write(
      "GET /one HTTP/1.1\r\nHost: x\r\n\r\n"
      "POST /two HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc");
  std::string got = ReadUntil("/two|abc");
  EXPECT_THAT(got, StartsWith("HTTP/1.1 200 OK\r\n"));
  EXPECT_LT(got.find("/one|"), got.find("/two|abc")) << got;
  Write("GET /three HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_THAT(ReadUntil("/three|"), HasSubstr("/three|"));
}

TEST_F(SessionTest, DueReadDeadlineAnswers408AndCloses) {
  HttpServer::Options options;
  options.read_timeout = std::chrono::seconds(0);  // Due as soon as set.
  Open(options, Echo);
  Write("GET / HTTP/1.1\r\nHost: x\r\n");  // The head never ends.
  // Play the sweeper until the session has seen the bytes and acted.
  while (!Readable(std::chrono::milliseconds(10))) session_->CheckDeadline();
  std::optional<std::string> got = ReadToEof();
  ASSERT_TRUE(got.has_value());
  EXPECT_THAT(*got, StartsWith("HTTP/1.1 408 Request Timeout\r\n"));
  EXPECT_THAT(*got, HasSubstr("Connection: close\r\n"));
  EXPECT_THAT(*got, HasSubstr(R"("code":"DEADLINE_EXCEEDED")"));
}

TEST_F(SessionTest, DueIdleDeadlineClosesWithoutAnAnswer) {
  HttpServer::Options options;
  options.idle_timeout = std::chrono::seconds(0);
  Open(options, Echo);
  session_->CheckDeadline();
  EXPECT_EQ(ReadToEof().value_or("<no EOF>"), "");
}

TEST_F(SessionTest, DeadlineNotDueDoesNothing) {
  Open({}, Echo);  // 30 s idle timeout.
  EXPECT_FALSE(session_->DeadlineDue(Deadline::Now()));
  session_->CheckDeadline();
  Write("GET /still HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_THAT(ReadUntil("/still|"), HasSubstr("/still|"));
}

// A handler that returned without answering parks the session; a Send from
// another thread then writes on that thread, even while the session's own
// thread is busy.
TEST_F(SessionTest, ParkedSessionIsAnsweredOnTheSendersThread) {
  std::promise<HttpResponder> parked;
  Open({}, [&parked](HttpRequest, HttpResponder r) {
    parked.set_value(std::move(r));
  });
  Write("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  HttpResponder r = parked.get_future().get();
  // Make sure the handler has returned (the session is parked), then keep
  // the session's thread busy until the answer has arrived.
  std::promise<void> release;
  std::promise<void> blocked;
  net::post(io_, [&] {
    blocked.set_value();
    release.get_future().wait();
  });
  blocked.get_future().wait();
  EXPECT_TRUE(r.Send(HttpResponse::Text(200, "direct")));
  std::string got = ReadUntil("direct");
  release.set_value();
  EXPECT_THAT(got, StartsWith("HTTP/1.1 200 OK\r\n"));
  EXPECT_THAT(got, HasSubstr("direct"));
}

// Calls naming an earlier exchange reach nothing, even while a later one
// waits for its answer.
TEST_F(SessionTest, StaleExchangeIdsAreIgnored) {
  std::promise<HttpResponder> second;
  Open({}, [&second](HttpRequest req, HttpResponder r) {
    if (req.path == "/second") return second.set_value(std::move(r));
    Echo(std::move(req), std::move(r));
  });
  Write("GET /first HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_THAT(ReadUntil("/first|"), HasSubstr("/first|"));
  Write("GET /second HTTP/1.1\r\nHost: x\r\n\r\n");
  HttpResponder r = second.get_future().get();
  session_->Send(1, HttpResponse::Text(200, "stale"));  // /first's id.
  session_->Close(1);
  session_->StartChunked(1, 200, {});
  EXPECT_TRUE(r.Send(HttpResponse::Text(200, "fresh")));
  std::string got = ReadUntil("fresh");
  EXPECT_THAT(got, StartsWith("HTTP/1.1 200 OK\r\n"));
  EXPECT_THAT(got, HasSubstr("fresh"));
  EXPECT_EQ(got.find("stale"), std::string::npos) << got;
}

TEST_F(SessionTest, ShutdownClosesTheConnectionThenCallsBack) {
  Open({}, Echo);
  std::promise<void> closed;
  session_->Shutdown([&closed] { closed.set_value(); });
  closed.get_future().wait();
  EXPECT_EQ(ReadToEof().value_or("<no EOF>"), "");
  // Calls after the close reach nothing.
  session_->Send(1, HttpResponse::Text(200, "late"));
}

}  // namespace
}  // namespace ttads::http::internal
