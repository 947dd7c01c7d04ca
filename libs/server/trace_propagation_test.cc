// W3C trace propagation through the pipeline on a real in-process server:
// the caller's traceparent is continued with a span per call, handed on to
// internal calls (PrepareOutbound, and the InternalChannel interceptor for
// calls made without it), echoed as `traceresponse`, and named by every log
// line written while serving and by the access log line, which is sampled
// for successes only.
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"
#include "libs/log/log.h"
#include "libs/server/call_context.h"
#include "libs/server/metrics.h"
#include "libs/server/unary.h"
#include "libs/server/work_queue.h"
#include "libs/testing/grpc_status_matchers.h"
#include "libs/trace/trace_context.h"
#include "nlohmann/json.hpp"

namespace ttads::server {
namespace {

using ::grpc::health::v1::Health;
using ::grpc::health::v1::HealthCheckRequest;
using ::grpc::health::v1::HealthCheckResponse;
using ::ttads::testing::GrpcIsOk;
using ::ttads::testing::GrpcStatusIs;

constexpr char kTraceId[] = "4bf92f3577b34da6a3ce929d0e0e4736";
constexpr char kCallerSpan[] = "00f067aa0ba902b7";
constexpr char kTraceparent[] =
    "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

struct Seen {
  std::string trace_id, span_id, parent_span_id, tracestate;
};

// Check(service): "leaf" answers; "fail" fails; "relay-prepare" calls
// leaf with PrepareOutbound; "relay-plain" calls leaf with a bare context
// (only the channel's interceptor adds the trace). Records each call's span
// under its service name.
class TracedHealth : public Health::CallbackService {
 public:
  explicit TracedHealth(const ServiceEnv* env) : env_(env) {}
  void set_channel(std::shared_ptr<grpc::Channel> channel) {
    stub_ = Health::NewStub(std::move(channel));
  }
  Seen seen(const std::string& name) {
    std::lock_guard<std::mutex> lock(mu_);
    return seen_[name];
  }

  grpc::ServerUnaryReactor* Check(grpc::CallbackServerContext* context,
                                  const HealthCheckRequest* request,
                                  HealthCheckResponse* response) override {
    return HandleUnary<HealthCheckRequest, HealthCheckResponse>(
        *env_, context, request, response, "Check",
        [this](const CallContext& call, const HealthCheckRequest& req,
               HealthCheckResponse* resp) -> absl::Status {
          {
            std::lock_guard<std::mutex> lock(mu_);
            seen_[req.service()] = {
                std::string(call.trace.trace_id_view()),
                std::string(call.trace.span_id_view()),
                std::string(call.trace.parent_span_id_view()),
                call.trace.tracestate};
          }
          log::Info("working", {{"on", req.service()}});
          if (req.service() == "fail") {
            return absl::FailedPreconditionError("asked to fail");
          }
          if (absl::StartsWith(req.service(), "relay")) {
            grpc::ClientContext ctx;
            if (req.service() == "relay-prepare") PrepareOutbound(call, &ctx);
            HealthCheckRequest leaf;
            leaf.set_service("leaf");
            HealthCheckResponse out;
            grpc::Status s = stub_->Check(&ctx, leaf, &out);
            if (!s.ok()) return absl::UnavailableError(s.error_message());
          }
          resp->set_status(HealthCheckResponse::SERVING);
          return absl::OkStatus();
        });
  }

 private:
  const ServiceEnv* env_;
  std::unique_ptr<Health::Stub> stub_;
  std::mutex mu_;
  std::map<std::string, Seen> seen_;
};

class TracePropagationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_.service_name = "test";
    env_.work = &work_;
    log::SetSinkForTesting([this](std::string_view line) {
      std::lock_guard<std::mutex> lock(log_mu_);
      log_.push_back(nlohmann::json::parse(line));
    });
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port);
    builder.RegisterService(&health_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    const std::string address = "127.0.0.1:" + std::to_string(port);
    health_.set_channel(metrics_.InternalChannel(address));
    stub_ = Health::NewStub(
        grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  }
  void TearDown() override {
    server_->Shutdown(absl::ToChronoTime(absl::Now() + absl::Seconds(1)));
    server_->Wait();
    log::SetSinkForTesting(nullptr);
    log::SetAccessLogSamplePercent(100);
  }

  grpc::Status Call(const std::string& service, const std::string& traceparent,
                    std::string* traceresponse = nullptr,
                    const std::string& tracestate = "") {
    grpc::ClientContext ctx;
    if (!traceparent.empty()) ctx.AddMetadata("traceparent", traceparent);
    if (!tracestate.empty()) ctx.AddMetadata("tracestate", tracestate);
    HealthCheckRequest req;
    req.set_service(service);
    HealthCheckResponse resp;
    grpc::Status s = stub_->Check(&ctx, req, &resp);
    if (traceresponse != nullptr) {
      auto it = ctx.GetServerInitialMetadata().find("traceresponse");
      if (it != ctx.GetServerInitialMetadata().end()) {
        *traceresponse = std::string(it->second.data(), it->second.size());
      }
    }
    return s;
  }

  std::vector<nlohmann::json> Lines(const std::string& msg) {
    std::lock_guard<std::mutex> lock(log_mu_);
    std::vector<nlohmann::json> out;
    for (const auto& l : log_) {
      if (l["msg"] == msg) out.push_back(l);
    }
    return out;
  }

  ServiceEnv env_;
  WorkQueue work_{4};
  Metrics metrics_{"test"};
  TracedHealth health_{&env_};
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<Health::Stub> stub_;
  std::mutex log_mu_;
  std::vector<nlohmann::json> log_;
};

TEST_F(TracePropagationTest, TheCallersTraceReachesTheNextHopAsItsParent) {
  std::string traceresponse;
  ASSERT_THAT(
      Call("relay-prepare", kTraceparent, &traceresponse, "congo=t61rcWkgMzE"),
      GrpcIsOk());
  Seen relay = health_.seen("relay-prepare");
  Seen leaf = health_.seen("leaf");
  EXPECT_EQ(relay.trace_id, kTraceId);
  EXPECT_EQ(relay.parent_span_id, kCallerSpan);
  EXPECT_NE(relay.span_id, kCallerSpan);
  EXPECT_EQ(relay.tracestate, "congo=t61rcWkgMzE");
  EXPECT_EQ(leaf.trace_id, kTraceId);
  EXPECT_EQ(leaf.parent_span_id, relay.span_id);
  EXPECT_NE(leaf.span_id, relay.span_id);
  EXPECT_EQ(leaf.tracestate, "congo=t61rcWkgMzE");
  EXPECT_EQ(traceresponse,
            std::string("00-") + kTraceId + "-" + relay.span_id + "-01");
}

TEST_F(TracePropagationTest, TheInternalChannelCarriesTheTraceByItself) {
  ASSERT_THAT(Call("relay-plain", kTraceparent), GrpcIsOk());
  Seen relay = health_.seen("relay-plain");
  Seen leaf = health_.seen("leaf");
  EXPECT_EQ(leaf.trace_id, kTraceId);
  EXPECT_EQ(leaf.parent_span_id, relay.span_id);
}

TEST_F(TracePropagationTest, AMalformedTraceparentStartsANewTrace) {
  std::string traceresponse;
  ASSERT_THAT(
      Call("leaf", "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
           &traceresponse),
      GrpcIsOk());
  Seen leaf = health_.seen("leaf");
  EXPECT_EQ(leaf.trace_id.size(), 32u);
  EXPECT_NE(leaf.trace_id, kTraceId);
  EXPECT_EQ(leaf.parent_span_id, "");
  EXPECT_TRUE(trace::ParseTraceparent(traceresponse).has_value());
  ASSERT_THAT(Call("leaf", ""), GrpcIsOk());
  EXPECT_NE(health_.seen("leaf").trace_id, leaf.trace_id);
}

TEST_F(TracePropagationTest, AccessLinesAndHandlerLinesNameTheTrace) {
  ASSERT_THAT(Call("relay-prepare", kTraceparent), GrpcIsOk());
  Seen relay = health_.seen("relay-prepare");
  Seen leaf = health_.seen("leaf");
  std::vector<nlohmann::json> calls = Lines("call");
  ASSERT_EQ(calls.size(), 2u);  // leaf, then relay
  for (const auto& line : calls) {
    EXPECT_EQ(line["level"], "info");
    EXPECT_EQ(line["server"], "test");
    EXPECT_EQ(line["method"], "Check");
    EXPECT_EQ(line["code"], "OK");
    EXPECT_EQ(line["trace_id"], kTraceId);
    EXPECT_TRUE(absl::StartsWith(line["peer"].get<std::string>(), "ipv4:"))
        << line;
    EXPECT_TRUE(line.contains("ms"));
  }
  EXPECT_EQ(calls[0]["span_id"], leaf.span_id);
  EXPECT_EQ(calls[0]["parent_span_id"], relay.span_id);
  EXPECT_EQ(calls[1]["span_id"], relay.span_id);
  EXPECT_EQ(calls[1]["parent_span_id"], kCallerSpan);
  std::vector<nlohmann::json> work = Lines("working");
  ASSERT_EQ(work.size(), 2u);
  for (const auto& line : work) EXPECT_EQ(line["trace_id"], kTraceId);
}

TEST_F(TracePropagationTest, SamplingDropsSuccessesButNeverFailures) {
  log::SetAccessLogSamplePercent(0);
  ASSERT_THAT(Call("leaf", kTraceparent), GrpcIsOk());
  EXPECT_THAT(Call("fail", kTraceparent),
              GrpcStatusIs(grpc::StatusCode::FAILED_PRECONDITION));
  std::vector<nlohmann::json> calls = Lines("call");
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0]["code"], "FAILED_PRECONDITION");
  EXPECT_EQ(calls[0]["level"], "warn");
  EXPECT_EQ(calls[0]["trace_id"], kTraceId);
  log::SetAccessLogSamplePercent(100);
  ASSERT_THAT(Call("leaf", kTraceparent), GrpcIsOk());
  EXPECT_EQ(Lines("call").size(), 2u);
}

}  // namespace
}  // namespace ttads::server
