// The stream and async helpers of libs/server on a real in-process server:
// authentication, request ids, validation, error details, metrics and the
// access log, for server streams, client streams and async unary calls.
#include "libs/server/streams.h"

#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"
#include "libs/log/log.h"
#include "libs/server/metrics.h"
#include "libs/server/work_queue.h"
#include "libs/status/status.h"
#include "libs/testing/grpc_status_matchers.h"
#include "ttads/audience/v1/audience_service.grpc.pb.h"

namespace ttads::server {
namespace {

using ::grpc::health::v1::Health;
using ::grpc::health::v1::HealthCheckRequest;
using ::grpc::health::v1::HealthCheckResponse;
using ::ttads::testing::GrpcIsOk;
using ::ttads::testing::GrpcStatusIs;
namespace av1 = ::ttads::audience::v1;

class FakeAuthenticator : public Authenticator {
 public:
  absl::StatusOr<Caller> Authenticate(std::string_view key) override {
    if (key != "good-key") return absl::UnauthenticatedError("unknown API key");
    return Caller{.team_id = "t1", .member_id = "m1", .role = "owner"};
  }
};

// The error an upstream (TikTok) failure carries before decoration.
absl::Status UpstreamError() {
  absl::Status s = absl::UnavailableError("TikTok answered 50002");
  s.SetPayload("test.upstream", absl::Cord("50002"));
  return s;
}

// What service_kit's decorator does for TikTok errors: details from the
// payload.
absl::Status Decorate(absl::Status s) {
  if (!s.GetPayload("test.upstream").has_value()) return s;
  return status::WithErrorInfo(std::move(s), "TIKTOK_UNAVAILABLE",
                               {{"tiktok_code", "50002"}});
}

// Watch: sends `service` as many SERVING answers as the name is long
// ("abc": 3), then ends; "fail" fails upstream; "hang" never ends.
class WatchReactor
    : public ServerStreamReactor<HealthCheckRequest, HealthCheckResponse> {
 public:
  WatchReactor(const ServiceEnv* env, grpc::CallbackServerContext* context,
               const HealthCheckRequest* request, std::atomic<int>* finished)
      : ServerStreamReactor(env, context, request, "Watch"),
        finished_(finished) {
    Begin();
  }

 protected:
  absl::Status OnStart(const CallContext& call,
                       const HealthCheckRequest& request) override {
    if (request.service() == "fail") return UpstreamError();
    if (request.service() == "hang") return absl::OkStatus();
    // Produce from another thread, as an event source would.
    const int n = static_cast<int>(request.service().size());
    std::thread([this, n] {
      for (int i = 0; i < n; ++i) {
        HealthCheckResponse r;
        r.set_status(HealthCheckResponse::SERVING);
        Send(r);
      }
      End(absl::OkStatus());
    }).detach();
    return absl::OkStatus();
  }
  void OnFinished() override { ++*finished_; }

 private:
  std::atomic<int>* finished_;
};

class TestHealth : public Health::CallbackService {
 public:
  TestHealth(const ServiceEnv* env, std::atomic<int>* finished)
      : env_(env), finished_(finished) {}
  grpc::ServerWriteReactor<HealthCheckResponse>* Watch(
      grpc::CallbackServerContext* context,
      const HealthCheckRequest* request) override {
    return new WatchReactor(env_, context, request, finished_);
  }
  // Async: answered from another thread.
  grpc::ServerUnaryReactor* Check(grpc::CallbackServerContext* context,
                                  const HealthCheckRequest* request,
                                  HealthCheckResponse* response) override {
    return HandleAsyncUnary<HealthCheckRequest, HealthCheckResponse>(
        *env_, context, request, response, "Check",
        [](const CallContext&, const HealthCheckRequest& req,
           HealthCheckResponse* resp, Finisher finish) {
          std::thread([&req, resp, finish = std::move(finish)] {
            if (req.service() == "fail") return finish(UpstreamError());
            resp->set_status(HealthCheckResponse::SERVING);
            finish(absl::OkStatus());
          }).detach();
        });
  }

 private:
  const ServiceEnv* env_;
  std::atomic<int>* finished_;
};

// SyncMembers as a client stream: counts the values; a value "fail" fails
// upstream.
class CountingReactor
    : public ClientStreamReactor<av1::SyncMembersRequest, av1::SyncJob> {
 public:
  CountingReactor(const ServiceEnv* env, grpc::CallbackServerContext* context,
                  grpc::ByteBuffer* response, std::atomic<int>* aborted)
      : ClientStreamReactor(env, context, response, "SyncMembers"),
        aborted_(aborted) {
    Begin();
  }

 protected:
  absl::Status OnMessage(const CallContext&, av1::SyncMembersRequest& m,
                         int index) override {
    if (index == 0) audience_ = m.audience_id();
    for (const auto& b : m.batches()) {
      for (const auto& v : b.values()) {
        if (v == "fail") return UpstreamError();
        ++values_;
      }
    }
    return absl::OkStatus();
  }
  absl::Status OnEnd(const CallContext& call, int messages,
                     av1::SyncJob* job) override {
    job->set_audience_id(audience_);
    job->set_received(values_);
    job->set_job_id(call.caller.team_id + ":" + std::to_string(messages));
    return absl::OkStatus();
  }
  void OnAbort(const absl::Status&) override { ++*aborted_; }

 private:
  std::atomic<int>* aborted_;
  std::string audience_;
  int values_ = 0;
};

class TestAudience
    : public av1::AudienceService::WithRawCallbackMethod_SyncMembers<
          av1::AudienceService::CallbackService> {
 public:
  TestAudience(const ServiceEnv* env, std::atomic<int>* aborted)
      : env_(env), aborted_(aborted) {}
  grpc::ServerReadReactor<grpc::ByteBuffer>* SyncMembers(
      grpc::CallbackServerContext* context,
      grpc::ByteBuffer* response) override {
    return new CountingReactor(env_, context, response, aborted_);
  }

 private:
  const ServiceEnv* env_;
  std::atomic<int>* aborted_;
};

class StreamsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_.service_name = "test";
    env_.authenticator = &auth_;
    env_.work = &work_;
    env_.metrics = &metrics_;
    env_.decorate_error = Decorate;
    log::SetLevel(log::Level::kDebug);
    log::SetSinkForTesting([this](std::string_view line) {
      std::lock_guard<std::mutex> lock(log_mu_);
      log_.emplace_back(line);
    });
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port);
    builder.RegisterService(&health_);
    builder.RegisterService(&audience_);
    std::vector<
        std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
        interceptors;
    interceptors.push_back(metrics_.ServerInterceptor());
    builder.experimental().SetInterceptorCreators(std::move(interceptors));
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    channel_ = grpc::CreateChannel("127.0.0.1:" + std::to_string(port),
                                   grpc::InsecureChannelCredentials());
  }
  void TearDown() override {
    server_->Shutdown(absl::ToChronoTime(absl::Now() + absl::Seconds(1)));
    server_->Wait();
    log::SetSinkForTesting(nullptr);
    log::SetLevel(log::Level::kInfo);
  }

  static void Authorize(grpc::ClientContext* ctx, const std::string& rid) {
    ctx->AddMetadata("authorization", "Bearer good-key");
    ctx->AddMetadata("x-request-id", rid);
  }

  // Calls recorded for `method` with `code` (go-grpc-prometheus' spelling,
  // e.g. "OK", "Unavailable").
  double Calls(const std::string& method, const std::string& code) {
    for (const auto& family : metrics_.registry().Collect()) {
      if (family.name != "grpc_server_handled_total") continue;
      for (const auto& m : family.metric) {
        std::string got_method, got_code;
        for (const auto& l : m.label) {
          if (l.name == "grpc_method") got_method = l.value;
          if (l.name == "grpc_code") got_code = l.value;
        }
        if (got_method == method && got_code == code) return m.counter.value;
      }
    }
    return 0;
  }

  // The access log line of the call with request id `rid`, or "".
  std::string LogLine(const std::string& rid) {
    std::lock_guard<std::mutex> lock(log_mu_);
    for (const auto& line : log_) {
      if (absl::StrContains(line, "\"request_id\":\"" + rid + "\"") &&
          absl::StrContains(line, "\"msg\":\"call\"")) {
        return line;
      }
    }
    return "";
  }

  static std::string ReasonOf(const grpc::Status& s) {
    google::rpc::Status rpc;
    if (!rpc.ParseFromString(s.error_details())) return "";
    for (const auto& any : rpc.details()) {
      google::rpc::ErrorInfo info;
      if (any.UnpackTo(&info)) return info.reason();
    }
    return "";
  }

  static std::string InitialRequestId(const grpc::ClientContext& ctx) {
    auto it = ctx.GetServerInitialMetadata().find("x-request-id");
    if (it == ctx.GetServerInitialMetadata().end()) return "";
    return std::string(it->second.data(), it->second.size());
  }

  FakeAuthenticator auth_;
  WorkQueue work_{2};
  Metrics metrics_{"test"};
  ServiceEnv env_;
  std::atomic<int> finished_{0};
  std::atomic<int> aborted_{0};
  TestHealth health_{&env_, &finished_};
  TestAudience audience_{&env_, &aborted_};
  std::unique_ptr<grpc::Server> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::mutex log_mu_;
  std::vector<std::string> log_;
};

TEST_F(StreamsTest, ServerStreamIsMeteredAndLoggedWithItsRequestId) {
  auto stub = Health::NewStub(channel_);
  grpc::ClientContext ctx;
  Authorize(&ctx, "watch-1");
  HealthCheckRequest req;
  req.set_service("abcd");
  auto reader = stub->Watch(&ctx, req);
  HealthCheckResponse r;
  int n = 0;
  while (reader->Read(&r)) ++n;
  grpc::Status s = reader->Finish();
  ASSERT_THAT(s, GrpcIsOk());
  EXPECT_EQ(n, 4);
  EXPECT_EQ(InitialRequestId(ctx), "watch-1");
  EXPECT_EQ(Calls("Watch", "OK"), 1);
  const std::string line = LogLine("watch-1");
  EXPECT_TRUE(absl::StrContains(line, "\"method\":\"Watch\"")) << line;
  EXPECT_TRUE(absl::StrContains(line, "\"team_id\":\"t1\"")) << line;
}

TEST_F(StreamsTest, ServerStreamNeedsAKey) {
  auto stub = Health::NewStub(channel_);
  grpc::ClientContext ctx;
  ctx.AddMetadata("x-request-id", "watch-nokey");
  HealthCheckRequest req;
  req.set_service("abc");
  auto reader = stub->Watch(&ctx, req);
  HealthCheckResponse r;
  EXPECT_FALSE(reader->Read(&r));
  EXPECT_THAT(reader->Finish(),
              GrpcStatusIs(grpc::StatusCode::UNAUTHENTICATED));
  EXPECT_EQ(Calls("Watch", "Unauthenticated"), 1);
}

TEST_F(StreamsTest, ServerStreamErrorKeepsUpstreamDetails) {
  auto stub = Health::NewStub(channel_);
  grpc::ClientContext ctx;
  Authorize(&ctx, "watch-fail");
  HealthCheckRequest req;
  req.set_service("fail");
  auto reader = stub->Watch(&ctx, req);
  HealthCheckResponse r;
  EXPECT_FALSE(reader->Read(&r));
  grpc::Status s = reader->Finish();
  EXPECT_THAT(s, GrpcStatusIs(grpc::StatusCode::UNAVAILABLE));
  EXPECT_EQ(ReasonOf(s), "TIKTOK_UNAVAILABLE");
  EXPECT_EQ(Calls("Watch", "Unavailable"), 1);
}

TEST_F(StreamsTest, ServerStreamEndsAtTheDeadline) {
  auto stub = Health::NewStub(channel_);
  grpc::ClientContext ctx;
  Authorize(&ctx, "watch-hang");
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Milliseconds(300)));
  HealthCheckRequest req;
  req.set_service("hang");
  auto reader = stub->Watch(&ctx, req);
  HealthCheckResponse r;
  EXPECT_FALSE(reader->Read(&r));
  EXPECT_THAT(reader->Finish(),
              GrpcStatusIs(grpc::StatusCode::DEADLINE_EXCEEDED));
  // The server side ends too (recorded, and the reactor finished).
  for (int i = 0; i < 200 && finished_.load() == 0; ++i) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_EQ(finished_.load(), 1);
  EXPECT_EQ(Calls("Watch", "DeadlineExceeded"), 1)
      << Calls("Watch", "Canceled");
}

TEST_F(StreamsTest, AsyncUnaryIsMeteredLoggedAndDecorated) {
  auto stub = Health::NewStub(channel_);
  {
    grpc::ClientContext ctx;
    Authorize(&ctx, "check-1");
    HealthCheckRequest req;
    HealthCheckResponse resp;
    ASSERT_THAT(stub->Check(&ctx, req, &resp), GrpcIsOk());
    EXPECT_EQ(resp.status(), HealthCheckResponse::SERVING);
    EXPECT_EQ(InitialRequestId(ctx), "check-1");
  }
  grpc::ClientContext ctx;
  Authorize(&ctx, "check-2");
  HealthCheckRequest req;
  req.set_service("fail");
  HealthCheckResponse resp;
  grpc::Status s = stub->Check(&ctx, req, &resp);
  EXPECT_THAT(s, GrpcStatusIs(grpc::StatusCode::UNAVAILABLE));
  EXPECT_EQ(ReasonOf(s), "TIKTOK_UNAVAILABLE");
  EXPECT_EQ(Calls("Check", "OK"), 1);
  EXPECT_EQ(Calls("Check", "Unavailable"), 1);
  EXPECT_TRUE(absl::StrContains(LogLine("check-2"), "\"method\":\"Check\""));
}

TEST_F(StreamsTest, ClientStreamIsMeteredAndLoggedWithItsRequestId) {
  auto stub = av1::AudienceService::NewStub(channel_);
  grpc::ClientContext ctx;
  Authorize(&ctx, "sync-1");
  av1::SyncJob job;
  auto writer = stub->SyncMembers(&ctx, &job);
  av1::SyncMembersRequest first;
  first.set_audience_id("aud_1");
  ASSERT_TRUE(writer->Write(first));
  for (int i = 0; i < 3; ++i) {
    av1::SyncMembersRequest m;
    auto* b = m.add_batches();
    b->set_type(av1::IDENTIFIER_TYPE_EMAIL);
    b->add_values("a@example.com");
    b->add_values("b@example.com");
    ASSERT_TRUE(writer->Write(m));
  }
  writer->WritesDone();
  grpc::Status s = writer->Finish();
  ASSERT_THAT(s, GrpcIsOk());
  EXPECT_EQ(job.audience_id(), "aud_1");
  EXPECT_EQ(job.received(), 6);
  EXPECT_EQ(job.job_id(), "t1:4");
  EXPECT_EQ(InitialRequestId(ctx), "sync-1");
  EXPECT_EQ(Calls("SyncMembers", "OK"), 1);
  EXPECT_TRUE(
      absl::StrContains(LogLine("sync-1"), "\"method\":\"SyncMembers\""));
}

TEST_F(StreamsTest, ClientStreamErrorKeepsUpstreamDetailsAndAborts) {
  auto stub = av1::AudienceService::NewStub(channel_);
  grpc::ClientContext ctx;
  Authorize(&ctx, "sync-fail");
  av1::SyncJob job;
  auto writer = stub->SyncMembers(&ctx, &job);
  av1::SyncMembersRequest m;
  auto* b = m.add_batches();
  b->set_type(av1::IDENTIFIER_TYPE_EMAIL);
  b->add_values("fail");
  writer->Write(m);
  writer->WritesDone();
  grpc::Status s = writer->Finish();
  EXPECT_THAT(s, GrpcStatusIs(grpc::StatusCode::UNAVAILABLE));
  EXPECT_EQ(ReasonOf(s), "TIKTOK_UNAVAILABLE");
  EXPECT_EQ(aborted_.load(), 1);
  EXPECT_EQ(Calls("SyncMembers", "Unavailable"), 1);
}

TEST_F(StreamsTest, ClientStreamChecksEveryMessagesContract) {
  auto stub = av1::AudienceService::NewStub(channel_);
  grpc::ClientContext ctx;
  Authorize(&ctx, "sync-bad");
  av1::SyncJob job;
  auto writer = stub->SyncMembers(&ctx, &job);
  av1::SyncMembersRequest ok;
  ok.set_audience_id("aud_1");
  writer->Write(ok);
  av1::SyncMembersRequest bad;
  bad.set_operation(static_cast<av1::MemberOperation>(77));  // out of range
  writer->Write(bad);
  writer->WritesDone();
  grpc::Status s = writer->Finish();
  EXPECT_THAT(s, GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT));
  EXPECT_EQ(aborted_.load(), 1);
}

}  // namespace
}  // namespace ttads::server
