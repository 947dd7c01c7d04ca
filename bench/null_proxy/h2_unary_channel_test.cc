#include "bench/null_proxy/h2_unary_channel.h"

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <future>
#include <thread>

#include "absl/synchronization/notification.h"
#include "grpcpp/generic/async_generic_service.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/server_callback.h"
#include "gtest/gtest.h"

namespace ttads::null_proxy {
namespace {

using std::chrono::milliseconds;
using std::chrono::system_clock;

std::string ToString(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  std::string out;
  (void)buffer.Dump(&slices);
  for (const auto& s : slices) {
    out.append(reinterpret_cast<const char*>(s.begin()), s.size());
  }
  return out;
}

// A grpc++ server whose methods exist to exercise the client:
//   /t.T/Echo  answers the request + "|" + the "x-echo" metadata value;
//   /t.T/Fail  fails with INVALID_ARGUMENT, a non-ASCII message and details;
//   /t.T/Hang  never answers (until the client goes away).
class TestServer {
 public:
  explicit TestServer(int port = 0) {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:" + std::to_string(port),
                             grpc::InsecureServerCredentials(), &port_);
    builder.RegisterCallbackGenericService(&service_);
    server_ = builder.BuildAndStart();
  }
  ~TestServer() { Shutdown(); }
  void Shutdown() {
    if (server_) server_->Shutdown(system_clock::now() + milliseconds(100));
    server_.reset();
  }
  int port() const { return port_; }
  int hang_cancelled() const { return hang_cancelled_.load(); }

 private:
  class Reactor : public grpc::ServerGenericBidiReactor {
   public:
    Reactor(grpc::GenericCallbackServerContext* context, TestServer* server)
        : context_(context), server_(server) {
      StartRead(&request_);
    }
    void OnReadDone(bool ok) override {
      if (!ok) return Finish(grpc::Status(grpc::StatusCode::INTERNAL, "none"));
      const std::string method = context_->method();
      if (method == "/t.T/Echo") {
        std::string echo;
        auto it = context_->client_metadata().find("x-echo");
        if (it != context_->client_metadata().end()) {
          echo.assign(it->second.data(), it->second.size());
        }
        grpc::Slice slice(ToString(request_) + "|" + echo);
        response_ = grpc::ByteBuffer(&slice, 1);
        StartWriteAndFinish(&response_, grpc::WriteOptions(), grpc::Status::OK);
      } else if (method == "/t.T/Fail") {
        Finish(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                            "bad field \xC3\xBC 100%",
                            std::string("det\0ails", 8)));
      } else if (method == "/t.T/Hang") {
        hanging_ = true;
      } else {
        Finish(grpc::Status(grpc::StatusCode::UNIMPLEMENTED, method));
      }
    }
    void OnCancel() override {
      if (hanging_) {
        ++server_->hang_cancelled_;
        Finish(grpc::Status::CANCELLED);
      }
    }
    void OnWriteDone(bool) override {}
    void OnDone() override { delete this; }

   private:
    grpc::GenericCallbackServerContext* context_;
    TestServer* server_;
    grpc::ByteBuffer request_;
    grpc::ByteBuffer response_;
    bool hanging_ = false;
  };
  class Service : public grpc::CallbackGenericService {
   public:
    explicit Service(TestServer* server) : server_(server) {}
    grpc::ServerGenericBidiReactor* CreateReactor(
        grpc::GenericCallbackServerContext* context) override {
      return new Reactor(context, server_);
    }

   private:
    TestServer* server_;
  };

  Service service_{this};
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  std::atomic<int> hang_cancelled_{0};
};

struct Result {
  grpc::Status status;
  std::string response;
};

// Runs an event loop on a thread; the channel lives on it.
class UnaryChannelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    thread_ = std::thread([this] { loop_.run(); });
  }
  void TearDown() override {
    OnLoop([this] { channel_.reset(); });
    work_.reset();
    loop_.stop();
    thread_.join();
  }

  void OnLoop(std::function<void()> fn) {
    std::promise<void> done;
    boost::asio::post(loop_, [&] {
      fn();
      done.set_value();
    });
    done.get_future().wait();
  }

  void MakeChannel(int port, UnaryChannel::Options options = {}) {
    options.port = static_cast<uint16_t>(port);
    OnLoop([&] { channel_ = std::make_unique<UnaryChannel>(loop_, options); });
  }

  Result CallAndWait(const std::string& path, const std::string& request,
                     milliseconds timeout = milliseconds(5000),
                     UnaryChannel::Metadata metadata = {}) {
    std::promise<Result> result;
    OnLoop([&] {
      channel_->Call(path, metadata, request, system_clock::now() + timeout,
                     [&](grpc::Status s, std::string r) {
                       result.set_value({std::move(s), std::move(r)});
                     });
    });
    return result.get_future().get();
  }

  int ConnectionsMade() {
    int n = 0;
    OnLoop([&] { n = channel_->connections_made(); });
    return n;
  }

  boost::asio::io_context loop_{1};
  std::optional<
      boost::asio::executor_work_guard<boost::asio::io_context::executor_type>>
      work_{loop_.get_executor()};
  std::thread thread_;
  std::unique_ptr<UnaryChannel> channel_;
};

TEST_F(UnaryChannelTest, EchoesRequestAndMetadata) {
  TestServer server;
  MakeChannel(server.port());
  Result r = CallAndWait("/t.T/Echo", std::string("a\0b", 3),
                         milliseconds(5000), {{"x-echo", "meta"}});
  ASSERT_TRUE(r.status.ok()) << r.status.error_message();
  EXPECT_EQ(r.response, std::string("a\0b|meta", 8));
  // An empty request and response message work too.
  r = CallAndWait("/t.T/Echo", "");
  ASSERT_TRUE(r.status.ok());
  EXPECT_EQ(r.response, "|");
}

TEST_F(UnaryChannelTest, ErrorCarriesCodeMessageAndDetails) {
  TestServer server;
  MakeChannel(server.port());
  Result r = CallAndWait("/t.T/Fail", "x");
  EXPECT_EQ(r.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(r.status.error_message(), "bad field \xC3\xBC 100%");
  EXPECT_EQ(r.status.error_details(), std::string("det\0ails", 8));
  r = CallAndWait("/t.T/Nope", "x");
  EXPECT_EQ(r.status.error_code(), grpc::StatusCode::UNIMPLEMENTED);
}

TEST_F(UnaryChannelTest, DeadlineExceededResetsTheStream) {
  TestServer server;
  MakeChannel(server.port());
  const auto start = std::chrono::steady_clock::now();
  Result r = CallAndWait("/t.T/Hang", "x", milliseconds(200));
  EXPECT_EQ(r.status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_GE(std::chrono::steady_clock::now() - start, milliseconds(190));
  // The server learns of it (grpc-timeout or the reset).
  for (int i = 0; i < 100 && server.hang_cancelled() == 0; ++i) {
    std::this_thread::sleep_for(milliseconds(20));
  }
  EXPECT_EQ(server.hang_cancelled(), 1);
  // The connection still serves other calls.
  EXPECT_TRUE(CallAndWait("/t.T/Echo", "y").status.ok());
  EXPECT_EQ(ConnectionsMade(), 1);
}

TEST_F(UnaryChannelTest, NothingListeningIsUnavailableThenFailsFast) {
  int port = 0;
  {
    TestServer probe;  // Learn a free port, then free it.
    port = probe.port();
  }
  UnaryChannel::Options options;
  options.reconnect_backoff = std::chrono::seconds(30);
  MakeChannel(port, options);
  Result r = CallAndWait("/t.T/Echo", "x");
  EXPECT_EQ(r.status.error_code(), grpc::StatusCode::UNAVAILABLE);
  r = CallAndWait("/t.T/Echo", "x");
  EXPECT_EQ(r.status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(ConnectionsMade(), 1);  // Within the backoff: no new attempt.
}

TEST_F(UnaryChannelTest, ReconnectsAfterTheServerRestarts) {
  auto server = std::make_unique<TestServer>();
  const int port = server->port();
  UnaryChannel::Options options;
  options.reconnect_backoff = milliseconds(50);
  MakeChannel(port, options);
  ASSERT_TRUE(CallAndWait("/t.T/Echo", "1").status.ok());
  server.reset();
  // The lost connection (or the GOAWAY before it) is noticed; calls fail
  // as UNAVAILABLE until the server is back.
  Result r;
  for (int i = 0; i < 50; ++i) {
    r = CallAndWait("/t.T/Echo", "2");
    if (!r.status.ok()) break;
    std::this_thread::sleep_for(milliseconds(20));
  }
  EXPECT_EQ(r.status.error_code(), grpc::StatusCode::UNAVAILABLE);
  server = std::make_unique<TestServer>(port);
  ASSERT_EQ(server->port(), port);
  for (int i = 0; i < 100; ++i) {
    r = CallAndWait("/t.T/Echo", "3");
    if (r.status.ok()) break;
    std::this_thread::sleep_for(milliseconds(20));
  }
  ASSERT_TRUE(r.status.ok()) << r.status.error_message();
  EXPECT_EQ(r.response, "3|");
  EXPECT_GE(ConnectionsMade(), 2);
}

TEST_F(UnaryChannelTest, ConcurrentCallsShareOneConnection) {
  TestServer server;
  MakeChannel(server.port());
  constexpr int kCalls = 500;
  std::atomic<int> ok{0};
  std::atomic<int> done{0};
  absl::Notification all_done;
  OnLoop([&] {
    for (int i = 0; i < kCalls; ++i) {
      std::string request = std::to_string(i);
      channel_->Call("/t.T/Echo", {}, request,
                     system_clock::now() + std::chrono::seconds(10),
                     [&, request](grpc::Status s, std::string r) {
                       if (s.ok() && r == request + "|") ++ok;
                       if (++done == kCalls) all_done.Notify();
                     });
    }
  });
  ASSERT_TRUE(all_done.WaitForNotificationWithTimeout(absl::Seconds(20)));
  EXPECT_EQ(ok.load(), kCalls);
  EXPECT_EQ(ConnectionsMade(), 1);
}

TEST_F(UnaryChannelTest, LargeRequestAndResponseCrossFlowControlWindows) {
  TestServer server;
  MakeChannel(server.port());
  std::string big(3 * 1024 * 1024 + 17, 'z');
  Result r = CallAndWait("/t.T/Echo", big);
  ASSERT_TRUE(r.status.ok()) << r.status.error_message();
  EXPECT_EQ(r.response, big + "|");
}

TEST_F(UnaryChannelTest, OversizedResponseIsResourceExhausted) {
  TestServer server;
  UnaryChannel::Options options;
  options.max_response_bytes = 1000;
  MakeChannel(server.port(), options);
  Result r = CallAndWait("/t.T/Echo", std::string(5000, 'q'));
  EXPECT_EQ(r.status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_TRUE(CallAndWait("/t.T/Echo", "small").status.ok());
}

}  // namespace
}  // namespace ttads::null_proxy
