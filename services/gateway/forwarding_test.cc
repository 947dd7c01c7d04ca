#include "services/gateway/forwarding.h"

#include <atomic>
#include <future>

#include "absl/synchronization/mutex.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "libs/testing/grpc_status_matchers.h"
#include "libs/testing/status_matchers.h"
#include "prometheus/text_serializer.h"
#include "ttads/preflight/v1/preflight_service.grpc.pb.h"

namespace ttads::gateway {
namespace {

using ::testing::HasSubstr;
using ::ttads::testing::GrpcIsOk;
using ::ttads::testing::GrpcStatusIs;
using ::ttads::testing::IsOk;

// Refuses its first `refuse` calls with UNAVAILABLE; records the metadata.
class FakePreflight : public preflight::v1::PreflightService::CallbackService {
 public:
  grpc::ServerUnaryReactor* PublishCheck(
      grpc::CallbackServerContext* ctx,
      const preflight::v1::PublishCheckRequest* req,
      preflight::v1::PublishCheckResponse* resp) override {
    ++calls;
    {
      absl::MutexLock lock(&mu);
      for (const auto& [k, v] : ctx->client_metadata()) {
        metadata[std::string(k.data(), k.size())] =
            std::string(v.data(), v.size());
      }
    }
    auto* reactor = ctx->DefaultReactor();
    if (refuse.fetch_sub(1) > 0) {
      reactor->Finish(
          grpc::Status(grpc::StatusCode::UNAVAILABLE, "restarting"));
      return reactor;
    }
    resp->set_advertiser_id(req->advertiser_id());
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }
  std::atomic<int> calls{0};
  std::atomic<int> refuse{0};
  absl::Mutex mu;
  std::map<std::string, std::string> metadata;
};

class ForwardingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port);
    builder.RegisterService(&preflight_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    pool_ = std::make_unique<BackendPool>(std::map<std::string, std::string>{
        {"ttads.preflight.v1.PreflightService",
         absl::StrCat("127.0.0.1:", port)}});
    auto routes = RouteTable::FromLinkedServices("ttads.");
    ASSERT_THAT(routes, IsOk());
    routes_ = std::make_unique<RouteTable>(*std::move(routes));
    call_.route =
        routes_->Match("GET", "/api/v1/tiktok/publish-check").value().route;
    call_.api_key = &key_;
    call_.request_id = &request_id_;
    call_.metric_method = &method_;
    call_.timeout = std::chrono::seconds(5);
  }
  void TearDown() override { server_->Shutdown(); }

  // A unary PublishCheck through `forwarder`: status and response bytes.
  std::pair<grpc::Status, std::string> Unary(Forwarder& forwarder) {
    preflight::v1::PublishCheckRequest request;
    request.set_advertiser_id("adv1");
    std::promise<std::pair<grpc::Status, std::string>> done;
    forwarder.Unary(call_, request, [&done](grpc::Status s, std::string r) {
      done.set_value({std::move(s), std::move(r)});
    });
    return done.get_future().get();
  }
  std::string Metrics() {
    return prometheus::TextSerializer().Serialize(registry_.Collect());
  }

  FakePreflight preflight_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<BackendPool> pool_;
  std::unique_ptr<RouteTable> routes_;
  server::WorkQueue blocking_{1};
  prometheus::Registry registry_;
  std::string key_ = "ttads_key";
  std::string request_id_ = "rid-1";
  std::string method_ = "ttads.preflight.v1.PreflightService.PublishCheck";
  BackendCall call_;
};

TEST_F(ForwardingTest, UnaryCallCarriesTheKeyAndRequestId) {
  Forwarder forwarder(*pool_, blocking_, registry_);
  auto [status, bytes] = Unary(forwarder);
  ASSERT_THAT(status, GrpcIsOk());
  preflight::v1::PublishCheckResponse response;
  ASSERT_TRUE(response.ParseFromString(bytes));
  EXPECT_EQ(response.advertiser_id(), "adv1");
  absl::MutexLock lock(&preflight_.mu);
  EXPECT_EQ(preflight_.metadata["authorization"], "Bearer ttads_key");
  EXPECT_EQ(preflight_.metadata["x-request-id"], "rid-1");
}

TEST_F(ForwardingTest, UnavailableIsRetriedOnceWhenSafeAndCounted) {
  Forwarder forwarder(*pool_, blocking_, registry_);
  call_.may_retry = true;
  preflight_.refuse = 1;
  EXPECT_THAT(Unary(forwarder).first, GrpcIsOk());
  EXPECT_EQ(preflight_.calls.load(), 2);
  EXPECT_THAT(Metrics(), HasSubstr("ttads_gateway_backend_retries_total{"
                                   "method=\"ttads.preflight.v1."
                                   "PreflightService.PublishCheck\"} 1"));
  preflight_.refuse = 2;
  EXPECT_THAT(Unary(forwarder).first,
              GrpcStatusIs(grpc::StatusCode::UNAVAILABLE));
  EXPECT_EQ(preflight_.calls.load(), 4);  // Twice, never three times.
}

TEST_F(ForwardingTest, UnsafeCallsAreNotRetried) {
  Forwarder forwarder(*pool_, blocking_, registry_);
  call_.may_retry = false;
  preflight_.refuse = 1;
  EXPECT_THAT(Unary(forwarder).first,
              GrpcStatusIs(grpc::StatusCode::UNAVAILABLE));
  EXPECT_EQ(preflight_.calls.load(), 1);
}

}  // namespace
}  // namespace ttads::gateway
