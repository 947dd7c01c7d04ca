#include "libs/server/peer_channel.h"

#include <atomic>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "grpcpp/generic/async_generic_service.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "libs/server/server_runner.h"
#include "libs/testing/grpc_status_matchers.h"
#include "libs/testing/status_matchers.h"

namespace ttads::server {
namespace {

using ::ttads::testing::GrpcIsOk;
using ::ttads::testing::IsOk;

// A server that answers every method with an empty message and remembers
// how many calls it served and from which client connections (peer
// addresses).
class CountingServer {
 public:
  explicit CountingServer(absl::Duration max_connection_age) {
    // grpc.health.v1 as every ttads server has it: the peer channel's
    // health watch reads SERVING (the generic service would otherwise take
    // the Watch call and answer it with an empty, not-serving status).
    grpc::EnableDefaultHealthCheckService(true);
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port_);
    if (max_connection_age > absl::ZeroDuration()) {
      builder.AddChannelArgument(
          GRPC_ARG_MAX_CONNECTION_AGE_MS,
          static_cast<int>(absl::ToInt64Milliseconds(max_connection_age)));
      builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_GRACE_MS, 1000);
    }
    builder.RegisterCallbackGenericService(&service_);
    server_ = builder.BuildAndStart();
  }
  ~CountingServer() { Stop(); }

  void Stop() {
    if (server_ == nullptr) return;
    server_->Shutdown(std::chrono::system_clock::now());
    server_->Wait();
    server_.reset();
  }
  int port() const { return port_; }
  int calls() const { return service_.calls.load(); }
  size_t peers() {
    absl::MutexLock lock(&service_.mu);
    return service_.peers.size();
  }

 private:
  struct Service : grpc::CallbackGenericService {
    grpc::ServerGenericBidiReactor* CreateReactor(
        grpc::GenericCallbackServerContext* context) override {
      if (context->method() != "/test.Echo/Call") return Unimplemented();
      calls.fetch_add(1);
      {
        absl::MutexLock lock(&mu);
        peers.insert(context->peer());
      }
      class Reactor : public grpc::ServerGenericBidiReactor {
       public:
        Reactor() { StartRead(&request_); }
        void OnReadDone(bool) override {
          StartWriteAndFinish(&response_, grpc::WriteOptions(),
                              grpc::Status::OK);
        }
        void OnDone() override { delete this; }

       private:
        grpc::ByteBuffer request_;
        grpc::Slice empty_{std::string()};
        grpc::ByteBuffer response_{&empty_, 1};
      };
      return new Reactor();
    }
    static grpc::ServerGenericBidiReactor* Unimplemented() {
      class Reactor : public grpc::ServerGenericBidiReactor {
       public:
        Reactor() { Finish(grpc::Status(grpc::StatusCode::UNIMPLEMENTED, "")); }
        void OnDone() override { delete this; }
      };
      return new Reactor();
    }
    std::atomic<int> calls{0};
    absl::Mutex mu;
    std::set<std::string> peers;
  };

  Service service_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

grpc::Status CallOnce(grpc::GenericStub& stub) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(5));
  context.set_wait_for_ready(true);
  grpc::Slice empty{std::string()};
  grpc::ByteBuffer request(&empty, 1);
  grpc::ByteBuffer response;
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  grpc::Status result;
  stub.UnaryCall(&context, "/test.Echo/Call", grpc::StubOptions(), &request,
                 &response, [&](grpc::Status status) {
                   std::lock_guard<std::mutex> lock(mu);
                   result = status;
                   done = true;
                   cv.notify_one();
                 });
  std::unique_lock<std::mutex> lock(mu);
  cv.wait(lock, [&] { return done; });
  return result;
}

TEST(PeerChannelTest, SpreadsCallsOverEveryAddressOfTheTarget) {
  CountingServer a(absl::ZeroDuration());
  CountingServer b(absl::ZeroDuration());
  auto channel = CreatePeerChannel(
      absl::StrCat("ipv4:127.0.0.1:", a.port(), ",127.0.0.1:", b.port()));
  grpc::GenericStub stub(channel);
  for (int i = 0; i < 40; ++i) ASSERT_THAT(CallOnce(stub), GrpcIsOk()) << i;
  // round_robin alternates over ready subchannels: both replicas get a
  // share (pick_first would give one of them all 40).
  EXPECT_GE(a.calls(), 10);
  EXPECT_GE(b.calls(), 10);
  EXPECT_EQ(a.calls() + b.calls(), 40);
}

TEST(PeerChannelTest, KeepsAnsweringFromTheOtherReplicaWhenOneStops) {
  CountingServer a(absl::ZeroDuration());
  CountingServer b(absl::ZeroDuration());
  auto channel = CreatePeerChannel(
      absl::StrCat("ipv4:127.0.0.1:", a.port(), ",127.0.0.1:", b.port()));
  grpc::GenericStub stub(channel);
  for (int i = 0; i < 10; ++i) ASSERT_THAT(CallOnce(stub), GrpcIsOk());
  a.Stop();
  const int b_before = b.calls();
  for (int i = 0; i < 20; ++i) {
    grpc::Status status = CallOnce(stub);
    EXPECT_THAT(status, GrpcIsOk()) << i;
  }
  EXPECT_EQ(b.calls() - b_before, 20);
}

TEST(PeerChannelTest, ServerMaxConnectionAgeMakesTheClientReconnect) {
  // The server closes each connection after ~300 ms; a channel that keeps
  // calling reconnects (and re-resolves), seen by the server as calls from
  // more than one client connection — with no failed call.
  CountingServer server(absl::Milliseconds(300));
  auto channel = CreatePeerChannel(absl::StrCat("127.0.0.1:", server.port()));
  grpc::GenericStub stub(channel);
  const absl::Time until = absl::Now() + absl::Seconds(5);
  while (server.peers() < 2 && absl::Now() < until) {
    grpc::Status status = CallOnce(stub);
    ASSERT_THAT(status, GrpcIsOk());
    absl::SleepFor(absl::Milliseconds(20));
  }
  EXPECT_GE(server.peers(), 2u);
}

TEST(PeerChannelTest, ServerRunnerClosesConnectionsAtTheirMaxAge) {
  // With ServerRunner's option set, a connected channel does not stay READY:
  // the server's GOAWAY at the maximum age moves it on (to IDLE, from which
  // the next call reconnects and re-resolves). Without it the channel would
  // stay READY for the whole wait.
  ServerOptions options;
  options.name = "age";
  options.max_connection_age = absl::Milliseconds(300);
  options.max_connection_age_grace = absl::Milliseconds(100);
  options.drain = absl::ZeroDuration();
  ServerRunner runner(options);
  ASSERT_THAT(runner.Start(), IsOk());
  // pick_first, so that after the GOAWAY the channel rests in IDLE.
  auto channel = grpc::CreateChannel(absl::StrCat("127.0.0.1:", runner.port()),
                                     grpc::InsecureChannelCredentials());
  ASSERT_TRUE(channel->WaitForConnected(std::chrono::system_clock::now() +
                                        std::chrono::seconds(5)));
  ASSERT_EQ(channel->GetState(false), GRPC_CHANNEL_READY);
  EXPECT_TRUE(channel->WaitForStateChange(
      GRPC_CHANNEL_READY,
      std::chrono::system_clock::now() + std::chrono::seconds(5)));
  EXPECT_NE(channel->GetState(false), GRPC_CHANNEL_READY);
  runner.Shutdown();
}

TEST(PeerChannelTest, ServerRunnerDefaultsToAFiniteMaxConnectionAge) {
  ServerOptions options;
  EXPECT_GT(options.max_connection_age, absl::ZeroDuration());
  EXPECT_GT(options.max_connection_age_grace, absl::ZeroDuration());
}

}  // namespace
}  // namespace ttads::server
