#include "libs/server/decode_guard.h"

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "libs/server/server_runner.h"
#include "libs/server/unary.h"
#include "libs/testing/grpc_status_matchers.h"
#include "libs/testing/status_matchers.h"
#include "ttads/ads/v1/ads_service.grpc.pb.h"

namespace ttads::server {
namespace {

using ::testing::HasSubstr;
using ::ttads::testing::GrpcIsOk;
using ::ttads::testing::GrpcStatusIs;
using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;

namespace ads = ::ttads::ads::v1;

// CallTikTokApi echoes the path through the shared pipeline; WatchAds ends
// at once. Both record that they ran.
class TestAdsService : public ads::AdsService::CallbackService {
 public:
  explicit TestAdsService(ServiceEnv* env) : env_(env) {}

  grpc::ServerUnaryReactor* CallTikTokApi(
      grpc::CallbackServerContext* context,
      const ads::CallTikTokApiRequest* request,
      ads::CallTikTokApiResponse* response) override {
    return HandleUnary<ads::CallTikTokApiRequest, ads::CallTikTokApiResponse>(
        *env_, context, request, response, "CallTikTokApi",
        [this](const CallContext&, const ads::CallTikTokApiRequest& req,
               ads::CallTikTokApiResponse* resp) -> absl::Status {
          ++domain_calls;
          resp->set_message(req.path());
          return absl::OkStatus();
        });
  }

  grpc::ServerWriteReactor<ads::AdEvent>* WatchAds(
      grpc::CallbackServerContext*, const ads::WatchAdsRequest*) override {
    ++domain_calls;
    class Done : public grpc::ServerWriteReactor<ads::AdEvent> {
     public:
      Done() { Finish(grpc::Status::OK); }
      void OnDone() override { delete this; }
    };
    return new Done;
  }

  std::atomic<int> domain_calls{0};

 private:
  ServiceEnv* env_;
};

class DecodeGuardTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_.service_name = "test";
    env_.work = &work_;
    runner_ = std::make_unique<ServerRunner>(
        ServerOptions{.name = "test", .drain = absl::ZeroDuration()});
    service_ = std::make_unique<TestAdsService>(&env_);
    runner_->AddService(service_.get(), ads::AdsService::service_full_name());
    ASSERT_THAT(runner_->Start(), IsOk());
    channel_ =
        grpc::CreateChannel("127.0.0.1:" + std::to_string(runner_->port()),
                            grpc::InsecureChannelCredentials());
  }

  // Sends `bytes` as the request of unary `method` and returns the status.
  grpc::Status RawUnary(const std::string& method, const std::string& bytes) {
    grpc::GenericStub stub(channel_);
    grpc::ClientContext ctx;
    grpc::Slice slice(bytes);
    grpc::ByteBuffer request(&slice, 1);
    grpc::ByteBuffer response;
    std::mutex mu;
    std::condition_variable cv;
    bool done = false;
    grpc::Status result;
    stub.UnaryCall(&ctx, method, grpc::StubOptions(), &request, &response,
                   [&](grpc::Status s) {
                     std::lock_guard<std::mutex> lock(mu);
                     result = std::move(s);
                     done = true;
                     cv.notify_one();
                   });
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return done; });
    return result;
  }

  // Sends `bytes` as the one request of a server-streaming `method`, reads
  // every response and returns the final status.
  grpc::Status RawServerStream(const std::string& method,
                               const std::string& bytes) {
    grpc::GenericStub stub(channel_);
    grpc::ClientContext ctx;
    grpc::CompletionQueue cq;
    auto call = stub.PrepareCall(&ctx, method, &cq);
    void* tag;
    bool ok;
    call->StartCall(reinterpret_cast<void*>(1));
    cq.Next(&tag, &ok);
    grpc::Slice slice(bytes);
    grpc::ByteBuffer request(&slice, 1);
    call->WriteLast(request, grpc::WriteOptions(), reinterpret_cast<void*>(2));
    cq.Next(&tag, &ok);
    grpc::ByteBuffer response;
    do {
      call->Read(&response, reinterpret_cast<void*>(3));
      cq.Next(&tag, &ok);
    } while (ok);
    grpc::Status status;
    call->Finish(&status, reinterpret_cast<void*>(4));
    cq.Next(&tag, &ok);
    return status;
  }

  static std::vector<std::string> ViolationFields(const grpc::Status& s) {
    std::vector<std::string> out;
    google::rpc::Status rpc;
    if (!rpc.ParseFromString(s.error_details())) return out;
    for (const auto& any : rpc.details()) {
      google::rpc::BadRequest bad;
      if (any.UnpackTo(&bad)) {
        for (const auto& v : bad.field_violations()) out.push_back(v.field());
      }
    }
    return out;
  }

  bool Healthy() {
    auto stub = grpc::health::v1::Health::NewStub(channel_);
    grpc::ClientContext ctx;
    grpc::health::v1::HealthCheckResponse resp;
    return stub->Check(&ctx, {}, &resp).ok() &&
           resp.status() == grpc::health::v1::HealthCheckResponse::SERVING;
  }

  static constexpr char kRaw[] = "/ttads.ads.v1.AdsService/CallTikTokApi";
  static constexpr char kWatch[] = "/ttads.ads.v1.AdsService/WatchAds";

  WorkQueue work_{2};
  ServiceEnv env_;
  std::unique_ptr<ServerRunner> runner_;
  std::unique_ptr<TestAdsService> service_;
  std::shared_ptr<grpc::Channel> channel_;
};

TEST_F(DecodeGuardTest, GarbageBytesAreInvalidArgument) {
  const grpc::Status s = RawUnary(kRaw, "\xff\xff\xff\xff\xff\x07garbage");
  EXPECT_THAT(s, GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                              HasSubstr("does not decode as "
                                        "ttads.ads.v1.CallTikTokApiRequest")));
  EXPECT_EQ(service_->domain_calls, 0);
  EXPECT_TRUE(Healthy());
}

TEST_F(DecodeGuardTest, InvalidUtf8NamesTheField) {
  // Field 2 (path), length 3, bytes that are not UTF-8.
  const grpc::Status s = RawUnary(kRaw, std::string("\x12\x03\xff\xfe\x41", 5));
  EXPECT_THAT(s, GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT));
  EXPECT_EQ(ViolationFields(s), std::vector<std::string>{"path"});
  EXPECT_EQ(service_->domain_calls, 0);
}

TEST_F(DecodeGuardTest, InvalidUtf8InANestedStructNamesItsPath) {
  ads::CallTikTokApiRequest req;
  req.set_path("/ad/get/");
  (*req.mutable_body()->mutable_fields())["k"].set_string_value("\xc3\x28");
  std::string bytes;
  ASSERT_TRUE(req.SerializeToString(&bytes));
  const grpc::Status s = RawUnary(kRaw, bytes);
  EXPECT_THAT(s, GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT));
  EXPECT_EQ(ViolationFields(s),
            std::vector<std::string>{"body.fields.string_value"});
}

TEST_F(DecodeGuardTest, StructNestedPastTheLimitIsInvalidArgument) {
  ads::CallTikTokApiRequest req;
  req.set_path("/ad/get/");
  google::protobuf::Value* v = &(*req.mutable_body()->mutable_fields())["k"];
  for (int i = 0; i < 200; ++i) v = v->mutable_list_value()->add_values();
  v->set_number_value(1);
  std::string bytes;
  ASSERT_TRUE(req.SerializeToString(&bytes));
  const grpc::Status s = RawUnary(kRaw, bytes);
  EXPECT_THAT(s, GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT));
  EXPECT_EQ(service_->domain_calls, 0);
  EXPECT_TRUE(Healthy());
}

TEST_F(DecodeGuardTest, ServerStreamingRequestThatDoesNotDecode) {
  const grpc::Status s = RawServerStream(kWatch, "\x0a\x05\xff");
  EXPECT_THAT(s, GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                              HasSubstr("ttads.ads.v1.WatchAdsRequest")));
  EXPECT_EQ(service_->domain_calls, 0);
}

TEST_F(DecodeGuardTest, SyncHandlersToo) {
  const grpc::Status s =
      RawUnary("/grpc.health.v1.Health/Check", "\x0a\xff\x01");
  EXPECT_THAT(s, GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT));
  EXPECT_TRUE(Healthy());
}

TEST_F(DecodeGuardTest, DecodableRequestsReachTheHandler) {
  ads::CallTikTokApiRequest req;
  req.set_path("/ad/get/");
  std::string bytes;
  ASSERT_TRUE(req.SerializeToString(&bytes));
  EXPECT_THAT(RawUnary(kRaw, bytes), GrpcIsOk());
  EXPECT_EQ(service_->domain_calls, 1);
  EXPECT_THAT(RawServerStream(kWatch, ""), GrpcIsOk());
  EXPECT_EQ(service_->domain_calls, 2);
}

TEST_F(DecodeGuardTest, ContractChecksRunBeforeTheDomain) {
  // Decodes, but `path` is REQUIRED and `body` carries an unknown enum.
  ads::CallTikTokApiRequest req;
  (*req.mutable_body()->mutable_fields())["k"].set_null_value(
      static_cast<google::protobuf::NullValue>(3));
  std::string bytes;
  ASSERT_TRUE(req.SerializeToString(&bytes));
  const grpc::Status s = RawUnary(kRaw, bytes);
  EXPECT_THAT(s, GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT));
  EXPECT_EQ(ViolationFields(s), (std::vector<std::string>{
                                    "path", "body.fields[\"k\"].null_value"}));
  EXPECT_EQ(service_->domain_calls, 0);
}

TEST(UndecodableRequestTest, DecodeStreamMessageNamesTheMessageAndField) {
  ads::CallTikTokApiRequest ok_req;
  ok_req.set_path("/x/");
  std::string bytes;
  ASSERT_TRUE(ok_req.SerializeToString(&bytes));
  grpc::Slice good_slice(bytes);
  grpc::ByteBuffer good(&good_slice, 1);
  ads::CallTikTokApiRequest out;
  EXPECT_THAT(DecodeStreamMessage(&good, 0, &out), IsOk());
  EXPECT_EQ(out.path(), "/x/");

  grpc::Slice bad_slice(std::string("\x12\x02\xff\xfe", 4));
  grpc::ByteBuffer bad(&bad_slice, 1);
  const absl::Status s = DecodeStreamMessage(&bad, 2, &out);
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument,
                          HasSubstr("message 3 of the stream")));
  google::rpc::BadRequest violations;
  ASSERT_TRUE(status::GetDetail(s, &violations));
  ASSERT_EQ(violations.field_violations_size(), 1);
  EXPECT_EQ(violations.field_violations(0).field(), "path");
}

}  // namespace
}  // namespace ttads::server
