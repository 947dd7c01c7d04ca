#include "libs/http/server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <deque>
#include <future>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/http/test_client.h"
#include "libs/testing/status_matchers.h"

namespace ttads::http {
namespace {

using ::testing::HasSubstr;
using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;

// Starts a server on an ephemeral loopback port with `handler`.
std::unique_ptr<HttpServer> StartServer(Handler handler,
                                        HttpServer::Options options = {}) {
  auto server = std::make_unique<HttpServer>(options, std::move(handler));
  EXPECT_THAT(server->Start(), IsOk());
  return server;
}

std::string Url(const HttpServer& s, const std::string& target) {
  return absl::StrCat("http://127.0.0.1:", s.port(), target);
}

TEST(HttpServerTest, RoutesMethodPathQueryHeadersAndBody) {
  auto server = StartServer([](HttpRequest req, HttpResponder r) {
    std::string out = absl::StrCat(
        req.method, "|", req.path, "|", req.QueryParam("x").value_or("-"), "|",
        req.query.count("x"), "|", req.headers.Get("x-thing").value_or("-"),
        "|", req.body, "|", req.target);
    r.Send(HttpResponse::Text(req.path == "/missing" ? 404 : 200, out));
  });
  TestClient client;
  auto res = client.Request("POST", Url(*server, "/a%20b/?x=1&x=2&y=%5B%5D"),
                            {"X-Thing: yes"}, "payload");
  ASSERT_EQ(res.curl_code, 0) << res.curl_error;
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.body, "POST|/a b/|1|2|yes|payload|/a%20b/?x=1&x=2&y=%5B%5D");

  res = client.Get(Url(*server, "/missing"));
  EXPECT_EQ(res.status, 404);
  EXPECT_THAT(res.body, HasSubstr("GET|/missing|-|0|-||"));
}

TEST(HttpServerTest, KeepAliveReusesTheConnection) {
  auto server = StartServer([](HttpRequest req, HttpResponder r) {
    r.Send(HttpResponse::Text(200, req.path));
  });
  TestClient client;
  auto first = client.Get(Url(*server, "/one"));
  auto second = client.Get(Url(*server, "/two"));
  ASSERT_EQ(first.curl_code, 0);
  ASSERT_EQ(second.curl_code, 0);
  EXPECT_EQ(first.new_connections, 1);
  EXPECT_EQ(second.new_connections, 0);
  EXPECT_EQ(second.body, "/two");
}

TEST(HttpServerTest, ConnectionCloseIsHonoured) {
  auto server = StartServer([](HttpRequest req, HttpResponder r) {
    r.Send(HttpResponse::Text(200, "bye"));
  });
  TestClient client;
  auto first = client.Get(Url(*server, "/"), {"Connection: close"});
  EXPECT_EQ(first.Header("connection"), "close");
  auto second = client.Get(Url(*server, "/"));
  EXPECT_EQ(second.new_connections, 1);
}

TEST(HttpServerTest, BodyOverLimitGets413) {
  HttpServer::Options options;
  options.max_body_bytes = 1024;
  bool called = false;
  auto server = StartServer(
      [&called](HttpRequest, HttpResponder r) {
        called = true;
        r.Send(HttpResponse::Text(200, "ok"));
      },
      options);
  TestClient client;
  auto res = client.Request("POST", Url(*server, "/upload"), {},
                            std::string(4096, 'x'));
  EXPECT_EQ(res.status, 413);
  EXPECT_EQ(res.Header("content-type"), "application/json");
  EXPECT_EQ(res.body, R"({"error":"the request body is over 1024 bytes",)"
                      R"("code":"RESOURCE_EXHAUSTED","details":[]})");
  EXPECT_FALSE(called);
  auto small = client.Request("POST", Url(*server, "/upload"), {},
                              std::string(1000, 'x'));
  EXPECT_EQ(small.status, 200);
}

TEST(HttpServerTest, HeadersOverLimitGet431) {
  HttpServer::Options options;
  options.max_header_bytes = 1024;
  auto server = StartServer(
      [](HttpRequest, HttpResponder r) { r.Send(HttpResponse::Text(200, "")); },
      options);
  TestClient client;
  auto res =
      client.Get(Url(*server, "/"), {"X-Big: " + std::string(4000, 'h')});
  EXPECT_EQ(res.status, 431);
  EXPECT_EQ(res.Header("content-type"), "application/json");
  EXPECT_THAT(res.body, HasSubstr(R"("code":"RESOURCE_EXHAUSTED")"));
}

TEST(HttpServerTest, ResponseCanComeLaterFromAnotherThread) {
  absl::Mutex mu;
  std::vector<HttpResponder> parked;
  auto server = StartServer([&](HttpRequest, HttpResponder r) {
    absl::MutexLock lock(&mu);
    parked.push_back(std::move(r));
  });
  auto pending = std::async(std::launch::async, [&] {
    TestClient client;
    return client.Get(Url(*server, "/slow"));
  });
  {
    absl::MutexLock lock(&mu);
    mu.Await(absl::Condition(
        +[](std::vector<HttpResponder>* v) { return !v->empty(); }, &parked));
  }
  std::thread([&] {
    absl::MutexLock lock(&mu);
    EXPECT_TRUE(parked[0].Send(HttpResponse::Text(202, "later")));
    EXPECT_FALSE(parked[0].Send(HttpResponse::Text(200, "again")));
  }).join();
  auto res = pending.get();
  EXPECT_EQ(res.status, 202);
  EXPECT_EQ(res.body, "later");
  absl::MutexLock lock(&mu);
  parked.clear();  // Responders must not outlive the server.
}

TEST(HttpServerTest, RunAfterCompletesAResponseOnATimer) {
  HttpServer* self = nullptr;
  auto server = StartServer([&self](HttpRequest, HttpResponder r) {
    self->RunAfter(std::chrono::milliseconds(20),
                   [r]() mutable { r.Send(HttpResponse::Text(200, "timer")); });
  });
  self = server.get();
  TestClient client;
  auto res = client.Get(Url(*server, "/"));
  EXPECT_EQ(res.body, "timer");
}

TEST(HttpServerTest, CloseDropsTheConnectionWithoutAResponse) {
  auto server = StartServer([](HttpRequest, HttpResponder r) { r.Close(); });
  TestClient client;
  auto res = client.Get(Url(*server, "/drop"));
  EXPECT_NE(res.curl_code, 0);
  EXPECT_EQ(res.status, 0);
}

TEST(HttpServerTest, DroppedResponderGives500) {
  auto server = StartServer([](HttpRequest, HttpResponder) {});
  TestClient client;
  auto res = client.Get(Url(*server, "/"));
  EXPECT_EQ(res.status, 500);
  EXPECT_THAT(res.body, HasSubstr(R"("code":"INTERNAL")"));
}

TEST(HttpServerTest, ChunkedStreamingThenKeepAlive) {
  HttpServer* self = nullptr;
  auto server = StartServer([&self](HttpRequest req, HttpResponder r) {
    if (req.path != "/stream") {
      r.Send(HttpResponse::Text(200, "plain"));
      return;
    }
    Headers h;
    h.Add("Content-Type", "application/x-ndjson");
    r.StartChunked(200, h);
    r.WriteChunk("{\"n\":1}\n");
    r.WriteChunk("");  // Ignored: would terminate the stream.
    self->RunAfter(std::chrono::milliseconds(10), [r]() mutable {
      r.WriteChunk("{\"n\":2}\n");
      r.WriteChunk(std::string(70000, 'z') + "\n");
      r.FinishChunked();
      EXPECT_FALSE(r.WriteChunk("late"));
    });
  });
  self = server.get();
  TestClient client;
  auto res = client.Get(Url(*server, "/stream"));
  ASSERT_EQ(res.curl_code, 0) << res.curl_error;
  EXPECT_EQ(res.Header("transfer-encoding"), "chunked");
  EXPECT_EQ(res.Header("content-type"), "application/x-ndjson");
  EXPECT_EQ(res.body,
            "{\"n\":1}\n{\"n\":2}\n" + std::string(70000, 'z') + "\n");
  auto next = client.Get(Url(*server, "/after"));
  EXPECT_EQ(next.body, "plain");
  EXPECT_EQ(next.new_connections, 0);
}

// Connects a raw socket to the server's port.
int Connect(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  EXPECT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  return fd;
}

// Reads until the peer closes (or `limit` passes); returns what arrived and
// whether the close came.
std::pair<std::string, bool> ReadUntilClosed(int fd,
                                             std::chrono::seconds limit) {
  timeval tv{static_cast<time_t>(limit.count()), 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  std::string got;
  char buf[512];
  while (true) {
    ssize_t n = read(fd, buf, sizeof(buf));
    if (n == 0) return {got, true};
    if (n < 0) return {got, false};
    got.append(buf, n);
  }
}

// A server that answers every request with an empty 200.
std::unique_ptr<HttpServer> StartEmpty200(HttpServer::Options options) {
  return StartServer(
      [](HttpRequest, HttpResponder r) { r.Send(HttpResponse::Text(200, "")); },
      options);
}

void WriteAll(int fd, const std::string& bytes) {
  ASSERT_EQ(write(fd, bytes.data(), bytes.size()),
            static_cast<ssize_t>(bytes.size()));
}

TEST(HttpServerTest, SlowClientIsDisconnectedAfterReadTimeout) {
  HttpServer::Options options;
  options.read_timeout = std::chrono::seconds(1);
  auto server = StartEmpty200(options);
  int fd = Connect(server->port());
  WriteAll(fd, "GET / HTTP/1.1\r\nHost: x\r\n");
  // The server gives up on us: a 408, then EOF.
  auto [got, closed] = ReadUntilClosed(fd, std::chrono::seconds(10));
  close(fd);
  EXPECT_TRUE(closed);
  EXPECT_THAT(got, ::testing::StartsWith("HTTP/1.1 408")) << got;
  EXPECT_THAT(got, HasSubstr(R"("code":"DEADLINE_EXCEEDED")")) << got;
}

// Finding 6: every request Beast's parser (or RFC 9112) refuses gets a JSON
// 400 and the connection closes; the handler never sees it.
TEST(HttpServerTest, MalformedRequestsGetAJson400ThenClose) {
  std::atomic<int> handled{0};
  auto server = StartServer([&handled](HttpRequest, HttpResponder r) {
    ++handled;
    r.Send(HttpResponse::Text(200, "ok"));
  });
  const std::string post = "POST / HTTP/1.1\r\nHost: x\r\n";
  const std::vector<std::string> inputs = {
      std::string("GET / HTTP/1.1\r\nHost: x\r\nX-A: a\0b\r\n\r\n", 37),
      "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\x01b\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n",
      post + "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello",
      post + "Content-Length: -1\r\n\r\n",
      post + "Content-Length: 99999999999999999999999\r\n\r\n",
      post +
          "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
          "0\r\n\r\n",
      post +
          "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n"
          "0\r\n\r\n",
      post + "Transfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n",
      post + "Transfer-Encoding: gzip\r\n\r\nGET /smuggled HTTP/1.1\r\n\r\n",
      post + "Transfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n",
      "GET / HTTP/2.0\r\nHost: x\r\n\r\n",
      "GET / HTTP/0.9\r\nHost: x\r\n\r\n",
      "GET / HTTQ/1.1\r\nHost: x\r\n\r\n",
      "G@T / HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: x\r\n",  // Cut short, then EOF.
  };
  for (const std::string& input : inputs) {
    int fd = Connect(server->port());
    WriteAll(fd, input);
    shutdown(fd, SHUT_WR);
    auto [got, closed] = ReadUntilClosed(fd, std::chrono::seconds(10));
    close(fd);
    EXPECT_TRUE(closed) << input;
    EXPECT_THAT(got, ::testing::StartsWith("HTTP/1.1 400")) << input;
    EXPECT_THAT(got, HasSubstr("Content-Type: application/json")) << input;
    EXPECT_THAT(got, HasSubstr(R"("code":"INVALID_ARGUMENT")")) << input;
    EXPECT_THAT(got, HasSubstr("Connection: close")) << input;
    // One answer only: nothing smuggled behind the bad request was served.
    EXPECT_EQ(got.find("HTTP/1.1", 1), std::string::npos) << got;
  }
  EXPECT_EQ(handled.load(), 0);
}

// Reads from a raw socket until `needle` has arrived or the peer closes.
std::string ReadUntil(int fd, const std::string& needle) {
  std::string got;
  char buf[512];
  while (got.find(needle) == std::string::npos) {
    ssize_t n = read(fd, buf, sizeof(buf));
    if (n <= 0) break;
    got.append(buf, n);
  }
  return got;
}

// Reads a streamed body to its end (or first error) and answers with what
// it got: 200 + "<pieces>:<body>" or 4xx + the error.
void ReadAllThenAnswer(std::shared_ptr<BodyReader> reader, HttpResponder r,
                       std::shared_ptr<std::string> got = nullptr,
                       int pieces = 0) {
  if (got == nullptr) got = std::make_shared<std::string>();
  reader->Read([reader, r, got,
                pieces](absl::StatusOr<std::string> piece) mutable {
    if (!piece.ok()) {
      int status = piece.status().code() == absl::StatusCode::kResourceExhausted
                       ? 413
                       : 400;
      r.Send(HttpResponse::Text(status, std::string(piece.status().message())));
      return;
    }
    if (piece->empty()) {
      r.Send(HttpResponse::Text(200, absl::StrCat(pieces, ":", *got)));
      return;
    }
    got->append(*piece);
    ReadAllThenAnswer(reader, r, got, pieces + 1);
  });
}

HttpServer::Options StreamUploads() {
  HttpServer::Options options;
  options.max_body_bytes = 1024;  // Streamed bodies are not held to this.
  options.stream_body = [](const HttpRequest& head) {
    return head.path == "/upload";
  };
  return options;
}

void StreamedEcho(HttpRequest req, HttpResponder r) {
  if (req.body_reader == nullptr) {
    r.Send(HttpResponse::Text(200, "whole:" + req.body));
    return;
  }
  ReadAllThenAnswer(req.body_reader, r);
}

TEST(HttpServerTest, IdleKeepAliveConnectionIsClosedAfterIdleTimeout) {
  HttpServer::Options options;
  options.idle_timeout = std::chrono::seconds(1);
  auto server = StartEmpty200(options);
  int fd = Connect(server->port());
  // Requests 0.4 s apart keep it open past the idle timeout...
  for (int i = 0; i < 4; ++i) {
    WriteAll(fd, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_THAT(ReadUntil(fd, "\r\n\r\n"),
                ::testing::StartsWith("HTTP/1.1 200"))
        << "request " << i;
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
  }
  // ...then silence closes it, without a response.
  auto [rest, closed] = ReadUntilClosed(fd, std::chrono::seconds(10));
  close(fd);
  EXPECT_TRUE(closed);
  EXPECT_EQ(rest, "");
}

TEST(HttpServerTest, StalledStreamedBodyReadFailsAfterReadTimeout) {
  HttpServer::Options options = StreamUploads();
  options.read_timeout = std::chrono::seconds(1);
  std::promise<absl::Status> outcome;
  auto server = StartServer(
      [&outcome](HttpRequest req, HttpResponder r) {
        req.body_reader->Read([&outcome, reader = req.body_reader,
                               r](absl::StatusOr<std::string> first) mutable {
          // The first piece came with the head; the second never comes.
          reader->Read([&outcome, r](absl::StatusOr<std::string> next) mutable {
            outcome.set_value(next.status());
            r.Send(HttpResponse::Text(408, "slow body\n"));
          });
        });
      },
      options);
  int fd = Connect(server->port());
  std::string partial =
      "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n"
      "0123456789";
  ASSERT_EQ(write(fd, partial.data(), partial.size()),
            static_cast<ssize_t>(partial.size()));
  auto future = outcome.get_future();
  ASSERT_EQ(future.wait_for(std::chrono::seconds(10)),
            std::future_status::ready);
  EXPECT_THAT(future.get(), StatusIs(absl::StatusCode::kDeadlineExceeded,
                                     HasSubstr("no body bytes for 1 s")));
  EXPECT_THAT(ReadUntil(fd, "slow body"),
              ::testing::StartsWith("HTTP/1.1 408"));
  close(fd);
}

TEST(HttpServerTest, StreamedBodyReachesTheHandlerBeforeItIsComplete) {
  std::promise<void> called;
  auto server = StartServer(
      [&called](HttpRequest req, HttpResponder r) {
        called.set_value();
        StreamedEcho(std::move(req), std::move(r));
      },
      StreamUploads());
  int fd = Connect(server->port());
  std::string head =
      "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
      "Content-Length: 10\r\n\r\nabcd";
  ASSERT_EQ(write(fd, head.data(), head.size()),
            static_cast<ssize_t>(head.size()));
  ASSERT_EQ(called.get_future().wait_for(std::chrono::seconds(5)),
            std::future_status::ready);
  ASSERT_EQ(write(fd, "efghij", 6), 6);
  std::string got = ReadUntil(fd, "abcdefghij");
  close(fd);
  EXPECT_EQ(got.rfind("HTTP/1.1 200", 0), 0u) << got;
  EXPECT_THAT(got, HasSubstr("abcdefghij"));
}

TEST(HttpServerTest, LargeStreamedBodyArrivesInPiecesThenKeepAlive) {
  auto server = StartServer(StreamedEcho, StreamUploads());
  TestClient client;
  std::string body;
  for (int i = 0; i < 30000; ++i) absl::StrAppend(&body, i, "\n");
  auto res = client.Request("POST", Url(*server, "/upload"),
                            {"Content-Type: text/plain"}, body);
  ASSERT_EQ(res.status, 200) << res.body;
  size_t colon = res.body.find(':');
  EXPECT_GT(std::stoi(res.body.substr(0, colon)), 1);  // Several pieces.
  EXPECT_EQ(res.body.substr(colon + 1), body);
  // Read to its end: the connection serves the next request.
  auto next = client.Request("POST", Url(*server, "/other"), {}, "small");
  EXPECT_EQ(next.body, "whole:small");
  EXPECT_EQ(next.new_connections, 0);
}

TEST(HttpServerTest, StreamedChunkedBody) {
  auto server = StartServer(StreamedEcho, StreamUploads());
  int fd = Connect(server->port());
  std::string request =
      "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
      "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n4\r\ndefg\r\n0\r\n\r\n";
  ASSERT_EQ(write(fd, request.data(), request.size()),
            static_cast<ssize_t>(request.size()));
  std::string got = ReadUntil(fd, "abcdefg");
  close(fd);
  EXPECT_THAT(got, HasSubstr("abcdefg"));
}

TEST(HttpServerTest, AnswerBeforeTheBodyIsReadClosesTheConnection) {
  auto server = StartServer(
      [](HttpRequest req, HttpResponder r) {
        EXPECT_NE(req.body_reader, nullptr);
        r.Send(HttpResponse::Text(400, "no thanks"));
      },
      StreamUploads());
  TestClient client;
  auto res =
      client.Request("POST", Url(*server, "/upload"),
                     {"Content-Type: text/plain"}, std::string(500, 'x'));
  EXPECT_EQ(res.status, 400);
  EXPECT_EQ(res.body, "no thanks");
  EXPECT_EQ(res.Header("connection"), "close");
}

TEST(HttpServerTest, StreamedBodyOverItsLimitIsAReadError) {
  HttpServer::Options options = StreamUploads();
  options.max_streamed_body_bytes = 100 * 1024;
  auto server = StartServer(StreamedEcho, options);
  TestClient client;
  auto ok =
      client.Request("POST", Url(*server, "/upload"),
                     {"Content-Type: text/plain"}, std::string(90 * 1024, 'x'));
  EXPECT_EQ(ok.status, 200);
  auto res = client.Request("POST", Url(*server, "/upload"),
                            {"Content-Type: text/plain"},
                            std::string(300 * 1024, 'x'));
  EXPECT_EQ(res.status, 413);
  EXPECT_THAT(res.body, HasSubstr("over 102400 bytes"));
  // Not picked by stream_body: still held to max_body_bytes.
  auto whole = client.Request("POST", Url(*server, "/other"), {},
                              std::string(4096, 'x'));
  EXPECT_EQ(whole.status, 413);
}

TEST(HttpServerTest, PipelinedAndSplitRequestsAreAnsweredInOrder) {
  auto server = StartServer([](HttpRequest req, HttpResponder r) {
    r.Send(HttpResponse::Text(200,
                              absl::StrCat("[", req.path, ":", req.body, "]")));
  });
  int fd = Connect(server->port());
  // Two requests in one segment (the second with a body), then a third
  // whose head and body arrive in separate writes.
  std::string two =
      "GET /one HTTP/1.1\r\nHost: x\r\n\r\n"
      "POST /two HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc";
  ASSERT_EQ(write(fd, two.data(), two.size()),
            static_cast<ssize_t>(two.size()));
  std::string got = ReadUntil(fd, "[/two:abc]");
  EXPECT_LT(got.find("[/one:]"), got.find("[/two:abc]")) << got;
  std::string head = "POST /three HTTP/1.1\r\nHost: x\r\nContent-Le";
  ASSERT_EQ(write(fd, head.data(), head.size()),
            static_cast<ssize_t>(head.size()));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  std::string rest = "ngth: 4\r\n\r\nde";
  ASSERT_EQ(write(fd, rest.data(), rest.size()),
            static_cast<ssize_t>(rest.size()));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ASSERT_EQ(write(fd, "fg", 2), 2);
  EXPECT_THAT(ReadUntil(fd, "[/three:defg]"), HasSubstr("[/three:defg]"));
  close(fd);
}

// Answers every request from one of `threads` worker threads (as the
// gateway does from gRPC completion threads): some at once, racing the
// handler's return, most a little later, when the connection is idle.
class AnswerElsewhere {
 public:
  explicit AnswerElsewhere(int threads) {
    for (int i = 0; i < threads; ++i) {
      workers_.emplace_back([this] { Run(); });
    }
  }
  ~AnswerElsewhere() {
    {
      absl::MutexLock lock(&mu_);
      done_ = true;
    }
    for (auto& t : workers_) t.join();
  }
  void Handle(HttpRequest req, HttpResponder r) {
    absl::MutexLock lock(&mu_);
    queue_.push_back({std::move(req), std::move(r)});
  }

 private:
  void Run() {
    int n = 0;
    while (true) {
      std::pair<HttpRequest, HttpResponder> item{HttpRequest(),
                                                 HttpResponder(nullptr)};
      {
        absl::MutexLock lock(&mu_);
        mu_.Await(absl::Condition(
            +[](AnswerElsewhere* self) {
              return self->done_ || !self->queue_.empty();
            },
            this));
        if (queue_.empty()) return;
        item = std::move(queue_.front());
        queue_.pop_front();
      }
      if (++n % 3 != 0)
        std::this_thread::sleep_for(std::chrono::microseconds(200));
      HttpRequest& req = item.first;
      std::string body = req.path == "/big"
                             ? std::string(4 << 20, 'b')
                             : absl::StrCat(req.path, "|", req.body);
      item.second.Send(HttpResponse::Text(200, std::move(body)));
    }
  }

  absl::Mutex mu_;
  std::deque<std::pair<HttpRequest, HttpResponder>> queue_;
  bool done_ = false;
  std::vector<std::thread> workers_;
};

TEST(HttpServerTest, ManyKeepAliveClientsAnsweredFromOtherThreads) {
  AnswerElsewhere answers(3);
  auto server = StartServer(
      [&answers](HttpRequest req, HttpResponder r) {
        answers.Handle(std::move(req), std::move(r));
      },
      {.threads = 2});
  std::vector<std::thread> clients;
  std::atomic<int> ok{0};
  for (int c = 0; c < 6; ++c) {
    clients.emplace_back([&, c] {
      TestClient client;
      for (int i = 0; i < 150; ++i) {
        const std::string path = absl::StrCat("/c", c, "/r", i);
        auto res = i % 10 == 9 ? client.Request("POST", Url(*server, path), {},
                                                "payload")
                               : client.Get(Url(*server, path));
        std::string want =
            absl::StrCat(path, "|", i % 10 == 9 ? "payload" : "");
        if (res.status == 200 && res.body == want) {
          ++ok;
        } else {
          ADD_FAILURE() << path << ": " << res.status << " " << res.body << " "
                        << res.curl_error;
        }
        if (i > 0) EXPECT_EQ(res.new_connections, 0) << path;
      }
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(ok.load(), 6 * 150);
  server->Stop();
}

TEST(HttpServerTest, LargeHeadAndCloseAnsweredFromOtherThreads) {
  AnswerElsewhere answers(2);
  auto server = StartServer([&answers](HttpRequest req, HttpResponder r) {
    answers.Handle(std::move(req), std::move(r));
  });
  TestClient client;
  // Larger than a socket buffer: the rest goes out from the I/O thread.
  auto big = client.Get(Url(*server, "/big"));
  EXPECT_EQ(big.status, 200);
  EXPECT_EQ(big.body, std::string(4 << 20, 'b'));
  auto next = client.Get(Url(*server, "/after-big"));
  EXPECT_EQ(next.body, "/after-big|");
  EXPECT_EQ(next.new_connections, 0);
  auto closing = client.Get(Url(*server, "/bye"), {"Connection: close"});
  EXPECT_EQ(closing.body, "/bye|");
  EXPECT_EQ(closing.Header("connection"), "close");
  auto reopened = client.Get(Url(*server, "/again"));
  EXPECT_EQ(reopened.body, "/again|");
  EXPECT_EQ(reopened.new_connections, 1);
  // Pipelined requests, each answered from a worker thread, in order.
  int fd = Connect(server->port());
  std::string three =
      "GET /p1 HTTP/1.1\r\nHost: x\r\n\r\nGET /p2 HTTP/1.1\r\nHost: "
      "x\r\n\r\nGET /p3 HTTP/1.1\r\nHost: x\r\n\r\n";
  ASSERT_EQ(write(fd, three.data(), three.size()),
            static_cast<ssize_t>(three.size()));
  std::string got = ReadUntil(fd, "/p3|");
  close(fd);
  EXPECT_LT(got.find("/p1|"), got.find("/p2|")) << got;
  EXPECT_LT(got.find("/p2|"), got.find("/p3|")) << got;
  server->Stop();
}

TEST(HttpServerTest, StopEndsPendingRequestsAndIsIdempotent) {
  absl::Mutex mu;
  std::vector<HttpResponder> parked;
  auto server = StartServer([&](HttpRequest, HttpResponder r) {
    absl::MutexLock lock(&mu);
    parked.push_back(std::move(r));
  });
  auto pending = std::async(std::launch::async, [&] {
    TestClient client;
    return client.Get(Url(*server, "/"));
  });
  {
    absl::MutexLock lock(&mu);
    mu.Await(absl::Condition(
        +[](std::vector<HttpResponder>* v) { return !v->empty(); }, &parked));
  }
  server->Stop();
  server->Stop();
  auto res = pending.get();
  EXPECT_NE(res.curl_code, 0);
  absl::MutexLock lock(&mu);
  EXPECT_TRUE(parked[0].Send(HttpResponse::Text(200, "ignored")));
  parked.clear();
}

TEST(HttpServerTest, StartFailsOnABadAddress) {
  HttpServer::Options options;
  options.address = "not-an-ip";
  HttpServer server(options, [](HttpRequest, HttpResponder) {});
  EXPECT_THAT(server.Start(), StatusIs(absl::StatusCode::kInvalidArgument,
                                       HasSubstr("not-an-ip")));
}

}  // namespace
}  // namespace ttads::http
